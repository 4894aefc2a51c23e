"""Input serializers of the project API: types and shapes only.

Permissions and the rules of the domain (no report for a month not yet begun, one report a
month, completion not before start, backwards moves need a reason …) are checked by
projects.services, which answers with field-level errors of its own. References to projects
accept only projects the user can see (an unknown and an invisible id look the same).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import MonthField, ScopedPrimaryKeyRelatedField
from core.models import Department, Official, Park
from enterprises.models import ChainSegment, Enterprise, ServiceTeam
from enterprises.selectors import enterprises_visible_to
from projects.models import MONEY, Level, Milestone, Project, Stage
from projects.selectors import projects_visible_to


def money(**kwargs) -> serializers.DecimalField:
    """An amount in 万元. The sign is the service's rule (it explains a negative amount)."""
    return serializers.DecimalField(**MONEY, **kwargs)


def visible_project(**kwargs) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(queryset=Project.objects.all(), scope=projects_visible_to, **kwargs)


def pk_of(model, **kwargs) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(queryset=model.objects.all(), **kwargs)


# --- Projects ----------------------------------------------------------------------------------


class ProjectInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    enterprise = ScopedPrimaryKeyRelatedField(queryset=Enterprise.objects.all(), scope=enterprises_visible_to)
    park = pk_of(Park)
    segment = pk_of(ChainSegment, required=False, allow_null=True)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    total_investment = money()
    planned_start = serializers.DateField(required=False, allow_null=True)
    planned_completion = serializers.DateField(required=False, allow_null=True)
    parent = visible_project(required=False, allow_null=True)
    phase_label = serializers.CharField(max_length=20, required=False, allow_blank=True)
    construction_content = serializers.CharField(required=False, allow_blank=True)
    assigned_leader = pk_of(Official, required=False, allow_null=True)
    responsible_unit = pk_of(Department, required=False, allow_null=True)
    responsible_official = pk_of(Official, required=False, allow_null=True)
    service_team = pk_of(ServiceTeam, required=False, allow_null=True)
    is_key = serializers.BooleanField(required=False)
    key_label = serializers.CharField(max_length=50, required=False, allow_blank=True)
    stage = serializers.ChoiceField(
        choices=Stage.choices, required=False, help_text=_("Initial stage (default: planned / reserve).")
    )


class ProjectUpdateSerializer(ProjectInputSerializer):
    """A change of the descriptive fields; the stage moves only through POST …/stage/."""

    stage = None

    def validate(self, attrs):
        if "stage" in self.initial_data:
            raise serializers.ValidationError(
                {"stage": [_("Change the stage with POST /api/v1/projects/{id}/stage/ (it keeps the history).")]}
            )
        return attrs


class StageChangeInputSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=Stage.choices)
    changed_on = serializers.DateField(required=False, allow_null=True, help_text=_("Default: today."))
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Required for a move backwards or to stopped.")
    )


# --- Monthly progress reports -------------------------------------------------------------------


class ProgressReportUpdateSerializer(serializers.Serializer):
    investment = money(help_text=_("Investment completed in the month, 10k yuan."))
    physical_progress = serializers.CharField(allow_blank=True)
    percent_complete = serializers.IntegerField(required=False, allow_null=True)
    next_steps = serializers.CharField(required=False, allow_blank=True)
    problems = serializers.CharField(required=False, allow_blank=True)
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=_("Photos of the site (multipart/form-data), added to the report."),
    )


class ProgressReportCreateSerializer(ProgressReportUpdateSerializer):
    project = visible_project()
    month = MonthField(help_text=_('"YYYY-MM" or any date of the month.'))


# --- Annual targets ----------------------------------------------------------------------------


class AnnualTargetUpdateSerializer(serializers.Serializer):
    planned_investment = money()
    first_half_investment = money(required=False, allow_null=True)
    target_start = serializers.DateField(required=False, allow_null=True)
    target_completion = serializers.DateField(required=False, allow_null=True)
    target_production = serializers.DateField(required=False, allow_null=True)
    output_value_target = money(required=False, allow_null=True)


class AnnualTargetCreateSerializer(AnnualTargetUpdateSerializer):
    project = visible_project()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    planned_investment = money(required=False)


# --- Milestones --------------------------------------------------------------------------------


class MilestoneUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    due_date = serializers.DateField()
    responsible = pk_of(Official, required=False, allow_null=True)
    # The campaign model is the campaigns app's (above this one): reached through the relation.
    campaign = pk_of(Milestone.campaign.field.related_model, required=False, allow_null=True)
    sort_order = serializers.IntegerField(required=False, min_value=0)


class MilestoneCreateSerializer(MilestoneUpdateSerializer):
    project = visible_project()


class MilestoneCompleteSerializer(serializers.Serializer):
    completed_on = serializers.DateField(required=False, allow_null=True, help_text=_("Default: today."))
    evidence = serializers.CharField(required=False, allow_blank=True)
    evidence_file = serializers.FileField(
        required=False, allow_null=True, help_text=_("A photo as evidence (multipart/form-data).")
    )


class MilestoneReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
