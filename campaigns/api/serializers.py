"""Output serializers of the campaign API. Figures come from campaigns.selectors (one
definition each), never computed here."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.models import Campaign, ReminderPolicy
from campaigns.selectors import campaign_countdown, rate
from core.api.fields import RateFractionField


class ReminderPolicySerializer(serializers.ModelSerializer):
    has_webhook = serializers.SerializerMethodField(help_text=_("A group robot is set (its URL is not shown)."))

    class Meta:
        model = ReminderPolicy
        fields = [
            "days_before",
            "on_the_day",
            "repeat_every_days_overdue",
            "escalate_after_days_overdue",
            "has_webhook",
            "webhook_style",
        ]
        read_only_fields = fields

    def get_has_webhook(self, policy) -> bool:
        return bool(policy.webhook_url)


class CampaignSerializer(serializers.ModelSerializer):
    days_left = serializers.SerializerMethodField(help_text=_("Days to the end date; negative once ended."))
    milestones_total = serializers.IntegerField(source="total", read_only=True)
    milestones_met = serializers.IntegerField(source="met", read_only=True)
    milestones_met_on_time = serializers.IntegerField(source="met_on_time", read_only=True)
    milestones_due = serializers.IntegerField(source="due", read_only=True)
    milestones_overdue = serializers.IntegerField(source="overdue", read_only=True)
    completion_rate = serializers.SerializerMethodField(help_text=_("Met ÷ all milestones."))
    reminder_policy = serializers.SerializerMethodField(help_text=_("Null: the default ladder applies."))

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "start_date",
            "end_date",
            "days_left",
            "goals",
            "goal_projects_to_start",
            "goal_projects_to_sign",
            "goal_investment",
            "milestones_total",
            "milestones_met",
            "milestones_met_on_time",
            "milestones_due",
            "milestones_overdue",
            "completion_rate",
            "reminder_policy",
        ]
        read_only_fields = fields

    def get_days_left(self, campaign) -> int:
        return campaign_countdown(campaign, self.context["today"]).days_left

    @extend_schema_field(RateFractionField())
    def get_completion_rate(self, campaign) -> float | None:
        return RateFractionField().to_representation(rate(campaign.met, campaign.total))

    @extend_schema_field(ReminderPolicySerializer(allow_null=True))
    def get_reminder_policy(self, campaign):
        try:
            policy = campaign.reminder_policy
        except ObjectDoesNotExist:
            return None
        return ReminderPolicySerializer(policy).data


class GoalSerializer(serializers.Serializer):
    target = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True, read_only=True)
    actual = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    rate = RateFractionField()


class GoalsSerializer(serializers.Serializer):
    projects_to_start = GoalSerializer(read_only=True)
    projects_to_sign = GoalSerializer(read_only=True)
    investment = GoalSerializer(read_only=True, help_text=_("Investment reported during the campaign, 10k yuan."))


class CountdownSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=["upcoming", "running", "ended"], read_only=True)
    days_total = serializers.IntegerField(read_only=True)
    days_elapsed = serializers.IntegerField(read_only=True)
    days_left = serializers.IntegerField(read_only=True)
    time_elapsed_rate = RateFractionField()


class MilestoneCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField(read_only=True)
    met = serializers.IntegerField(read_only=True)
    met_on_time = serializers.IntegerField(read_only=True)
    due = serializers.IntegerField(read_only=True, help_text=_("Not done, due today or later."))
    overdue = serializers.IntegerField(read_only=True, help_text=_("Not done, past the due date."))
    due_so_far = serializers.IntegerField(read_only=True, help_text=_("Due date today or earlier."))
    completion_rate = RateFractionField(help_text=_("Met ÷ total."))
    on_time_rate = RateFractionField(help_text=_("Met on time ÷ due so far."))


class RankingRowSerializer(serializers.Serializer):
    position = serializers.IntegerField(read_only=True, help_text=_("1 = best; 0 = nothing due yet (unranked)."))
    id = serializers.IntegerField(source="key", read_only=True, allow_null=True)
    name = serializers.CharField(read_only=True)
    total = serializers.IntegerField(read_only=True)
    met = serializers.IntegerField(read_only=True)
    met_on_time = serializers.IntegerField(read_only=True)
    due_so_far = serializers.IntegerField(read_only=True)
    overdue = serializers.IntegerField(read_only=True)
    on_time_rate = RateFractionField()


class CampaignStatisticsSerializer(serializers.Serializer):
    today = serializers.DateField(read_only=True)
    countdown = CountdownSerializer(source="*", read_only=True)
    milestones = MilestoneCountsSerializer(source="*", read_only=True)
    projects = serializers.IntegerField(read_only=True)
    goals = GoalsSerializer(read_only=True)
    ranking_parks = RankingRowSerializer(many=True, read_only=True)
    ranking_units = RankingRowSerializer(many=True, read_only=True)
