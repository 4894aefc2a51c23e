"""Output serializers of the project API.

Derived values (cumulative investment, this year's investment and plan, missing report,
overdue milestones, a milestone's overdue flag) are read from the selectors' annotations,
never computed here.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import MonthField, ProtectedFileURLField
from core.api.serializers import RefSerializer, UserRefSerializer
from enterprises.api.serializers import SegmentRefSerializer
from projects.milestones import State
from projects.models import MONEY, AnnualTarget, Milestone, ProgressPhoto, ProgressReport, Project, StageChange

SUM = {"max_digits": 16, "decimal_places": 2, "read_only": True}


class ProjectRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "code", "name"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    enterprise = RefSerializer(read_only=True)
    park = RefSerializer(read_only=True)
    segment = SegmentRefSerializer(read_only=True, allow_null=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    parent = ProjectRefSerializer(read_only=True, allow_null=True)
    assigned_leader = RefSerializer(read_only=True, allow_null=True)
    responsible_unit = RefSerializer(read_only=True, allow_null=True)
    responsible_official = RefSerializer(read_only=True, allow_null=True)
    service_team = RefSerializer(read_only=True, allow_null=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    cumulative_investment = serializers.DecimalField(**SUM, help_text=_("Sum of all monthly reports, 10k yuan."))
    year_investment = serializers.DecimalField(**SUM, help_text=_("Reported this calendar year, 10k yuan."))
    year_plan = serializers.DecimalField(
        **SUM, allow_null=True, help_text=_("This year's planned investment (annual target), 10k yuan.")
    )
    last_report_month = MonthField(read_only=True, allow_null=True)
    report_missing = serializers.BooleanField(read_only=True, help_text=_("The monthly report now due is missing."))
    overdue_milestones = serializers.IntegerField(read_only=True)
    health = serializers.CharField(
        read_only=True, help_text=_("Health colour: red, yellow, green; empty when stopped or not yet computed.")
    )
    health_since = serializers.DateTimeField(read_only=True, allow_null=True, help_text=_("The colour holds since."))

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "enterprise",
            "park",
            "segment",
            "level",
            "level_label",
            "total_investment",
            "planned_start",
            "planned_completion",
            "parent",
            "phase_label",
            "construction_content",
            "assigned_leader",
            "responsible_unit",
            "responsible_official",
            "service_team",
            "is_key",
            "key_label",
            "stage",
            "stage_label",
            "stage_changed_on",
            "stopped_reason",
            "cumulative_investment",
            "year_investment",
            "year_plan",
            "last_report_month",
            "report_missing",
            "overdue_milestones",
            "health",
            "health_since",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class StageChangeSerializer(serializers.ModelSerializer):
    from_stage_label = serializers.CharField(source="get_from_stage_display", read_only=True)
    to_stage_label = serializers.CharField(source="get_to_stage_display", read_only=True)
    changed_by = UserRefSerializer(read_only=True, allow_null=True)
    is_backwards = serializers.BooleanField(read_only=True)

    class Meta:
        model = StageChange
        fields = [
            "id",
            "from_stage",
            "from_stage_label",
            "to_stage",
            "to_stage_label",
            "changed_on",
            "reason",
            "is_backwards",
            "changed_by",
            "recorded_at",
        ]
        read_only_fields = fields


class ProgressPhotoSerializer(serializers.ModelSerializer):
    image = ProtectedFileURLField(help_text=_("The photo's address; only users who may see the project get it."))

    class Meta:
        model = ProgressPhoto
        fields = ["id", "image", "original_name", "caption", "uploaded_at"]
        read_only_fields = fields


class ProgressReportSerializer(serializers.ModelSerializer):
    project = ProjectRefSerializer(read_only=True)
    month = MonthField(read_only=True)
    cumulative = serializers.DecimalField(
        **SUM, help_text=_("Cumulative investment of the project up to and including this month, 10k yuan.")
    )
    photos = ProgressPhotoSerializer(many=True, read_only=True)
    submitted_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "project",
            "month",
            "investment",
            "cumulative",
            "physical_progress",
            "percent_complete",
            "next_steps",
            "problems",
            "photos",
            "submitted_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AnnualTargetSerializer(serializers.ModelSerializer):
    project = ProjectRefSerializer(read_only=True)
    second_half_investment = serializers.DecimalField(**MONEY, read_only=True, allow_null=True)

    class Meta:
        model = AnnualTarget
        fields = [
            "id",
            "project",
            "year",
            "planned_investment",
            "first_half_investment",
            "second_half_investment",
            "target_start",
            "target_completion",
            "target_production",
            "output_value_target",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    project = ProjectRefSerializer(read_only=True)
    campaign = RefSerializer(read_only=True, allow_null=True)
    responsible = RefSerializer(read_only=True, allow_null=True)
    completed_by = UserRefSerializer(read_only=True, allow_null=True)
    done = serializers.BooleanField(source="is_done", read_only=True)
    evidence_file = ProtectedFileURLField(
        source="evidence_url", help_text=_("The evidence photo's address; only users who may see the project get it.")
    )
    state = serializers.ChoiceField(
        choices=State.choices, read_only=True, help_text=_("Today: met, due (to do) or overdue.")
    )
    overdue = serializers.BooleanField(read_only=True, help_text=_("Not done and the due date has passed."))
    days_left = serializers.SerializerMethodField(
        help_text=_("Days until the due date (negative: overdue); null when done.")
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "project",
            "campaign",
            "title",
            "due_date",
            "responsible",
            "done",
            "state",
            "overdue",
            "days_left",
            "completed_on",
            "evidence",
            "evidence_file",
            "evidence_file_name",
            "completed_by",
            "sort_order",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_days_left(self, milestone) -> int | None:
        if milestone.is_done:
            return None
        return milestone.days_left(today=self.context.setdefault("today", timezone.localdate()))
