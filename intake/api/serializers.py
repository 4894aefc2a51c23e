"""Serializers of the intake API. Inputs check types and shapes only; the rules (who may, which
step from which state, required notes, duplicates) are intake.services'."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.serializers import RefSerializer, UserRefSerializer
from core.models import Department, Park
from enterprises.api.serializers import SegmentRefSerializer
from enterprises.models import ChainSegment, Enterprise
from intake import workflow
from intake.models import Candidate, CandidateEvent, DispatchEntry
from projects.api.serializers import ProjectRefSerializer
from projects.api.validators import money, pk_of, visible_project
from projects.models import Level

QUANTITY = {"max_digits": 14, "decimal_places": 2}


class CandidateSerializer(serializers.ModelSerializer):
    enterprise = RefSerializer(read_only=True, allow_null=True)
    park = RefSerializer(read_only=True)
    segment = SegmentRefSerializer(read_only=True, allow_null=True)
    unit = RefSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    # Blank until the candidate is approved into the library (the schema says so: "" is allowed).
    level = serializers.ChoiceField(choices=Level.choices, allow_blank=True, read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    project = ProjectRefSerializer(read_only=True, allow_null=True)
    created_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Candidate
        fields = [
            "id",
            "name",
            "enterprise",
            "enterprise_name",
            "credit_code",
            "park",
            "segment",
            "content",
            "total_investment",
            "land_area",
            "energy_tce",
            "expected_start",
            "contact_name",
            "contact_phone",
            "unit",
            "status",
            "status_label",
            "level",
            "level_label",
            "project",
            "submitted_at",
            "decided_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CandidateUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, allow_blank=True)
    enterprise = pk_of(Enterprise, required=False, allow_null=True)
    enterprise_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True)
    park = pk_of(Park)
    segment = pk_of(ChainSegment, required=False, allow_null=True)
    content = serializers.CharField(allow_blank=True)
    total_investment = money()
    land_area = serializers.DecimalField(**QUANTITY, required=False, allow_null=True, help_text=_("mu"))
    energy_tce = serializers.DecimalField(
        **QUANTITY, required=False, allow_null=True, help_text=_("Tonnes of standard coal a year.")
    )
    expected_start = serializers.DateField(required=False, allow_null=True)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)


class CandidateCreateSerializer(CandidateUpdateSerializer):
    unit = pk_of(
        Department,
        required=False,
        allow_null=True,
        help_text=_("The submitting unit; default: your own. Only the supervision office names another."),
    )
    submit = serializers.BooleanField(default=False, help_text=_("Submit for review at once (else a draft)."))
    note = serializers.CharField(required=False, allow_blank=True, help_text=_("Note for the reviewers."))


class CandidateStepSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(s.action, s.label) for s in workflow.STEPS.values()])
    note = serializers.CharField(required=False, allow_blank=True, help_text=_("Required to return or reject."))
    level = serializers.ChoiceField(choices=Level.choices, required=False, help_text=_("approve: the level."))
    code = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text=_("approve: the project code (default: given).")
    )


class CandidateEventSerializer(serializers.ModelSerializer):
    actor = UserRefSerializer(read_only=True, allow_null=True)
    label = serializers.SerializerMethodField()

    class Meta:
        model = CandidateEvent
        fields = ["id", "action", "label", "from_status", "to_status", "note", "data", "actor", "at"]
        read_only_fields = fields

    def get_label(self, event) -> str:
        return workflow.event_label(event.action)


class DispatchEntrySerializer(serializers.ModelSerializer):
    project = ProjectRefSerializer(read_only=True)
    added_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = DispatchEntry
        fields = ["id", "project", "year", "note", "added_by", "added_at"]
        read_only_fields = fields


class DispatchAddSerializer(serializers.Serializer):
    project = visible_project()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class DispatchRemoveSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text=_("Why the project is taken off the list."))
