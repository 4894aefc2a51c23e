"""Output and input serializers of the funding API. Inputs check types and shapes only; the
rules (permissions, negative amounts, status and dates) are funding.services'."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.serializers import UserRefSerializer
from funding.models import FundingLine, PolicyLevel, PolicyStatus, PolicySupport, Source
from projects.api.serializers import ProjectRefSerializer
from projects.api.validators import money, visible_project


class FundingLineSerializer(serializers.ModelSerializer):
    project = ProjectRefSerializer(read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    updated_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = FundingLine
        fields = [
            "id",
            "project",
            "year",
            "source",
            "source_label",
            "planned",
            "received",
            "note",
            "updated_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class FundingLineUpdateSerializer(serializers.Serializer):
    planned = money(help_text=_("Planned for the year, 10k yuan."))
    received = money(required=False, help_text=_("Received (in place) so far, 10k yuan."))
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class FundingLineSetSerializer(FundingLineUpdateSerializer):
    project = visible_project()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    source = serializers.ChoiceField(choices=Source.choices)


class PolicySupportSerializer(serializers.ModelSerializer):
    project = ProjectRefSerializer(read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    updated_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PolicySupport
        fields = [
            "id",
            "project",
            "name",
            "level",
            "level_label",
            "amount_sought",
            "amount_granted",
            "status",
            "status_label",
            "applied_on",
            "approved_on",
            "disbursed_on",
            "note",
            "updated_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PolicySupportUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, allow_blank=True)
    level = serializers.ChoiceField(choices=PolicyLevel.choices)
    amount_sought = money()
    amount_granted = money(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=PolicyStatus.choices, required=False)
    applied_on = serializers.DateField(required=False, allow_null=True)
    approved_on = serializers.DateField(required=False, allow_null=True)
    disbursed_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


class PolicySupportCreateSerializer(PolicySupportUpdateSerializer):
    project = visible_project()
