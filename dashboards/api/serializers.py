"""Output (and query-parameter) serializers of the dashboard API: the cockpit's figures as JSON.

They only shape what dashboards.selectors computed; nothing is counted here. A rate with an
empty denominator has `rate` and `percent` null (the browser shows "—").
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import DateParamField, RateFractionField
from dashboards.models import LeagueSnapshot, LeagueSnapshotRow

MONEY = {"max_digits": 16, "decimal_places": 2, "coerce_to_string": False}


class WeekParamsSerializer(serializers.Serializer):
    week = DateParamField(required=False, help_text=_("Any day of the week (Monday to Sunday); default: this week."))


class RateSerializer(serializers.Serializer):
    """A figure's rate (core.rates.Rate) with the counts behind it."""

    numerator = serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=False)
    denominator = serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=False)
    rate = RateFractionField(source="value")
    percent = serializers.FloatField(
        allow_null=True,
        help_text=_("The rate in percent, one decimal place (45.2); null when the denominator is empty."),
    )


class StageCountSerializer(serializers.Serializer):
    stage = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    url = serializers.CharField(help_text=_("The filtered list behind the figure."))


class MonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    label = serializers.CharField()
    done = serializers.DecimalField(**MONEY, allow_null=True)
    cumulative = serializers.DecimalField(**MONEY, allow_null=True)
    plan_to_date = serializers.DecimalField(**MONEY)


class InvestmentSerializer(serializers.Serializer):
    project_count = serializers.IntegerField()
    total_investment = serializers.DecimalField(**MONEY)
    plan_projects = serializers.IntegerField(help_text=_("Projects with a plan for the year."))
    year_plan = serializers.DecimalField(**MONEY)
    year_done_planned = serializers.DecimalField(**MONEY, help_text=_("Reported this year by projects with a plan."))
    year_done_all = serializers.DecimalField(**MONEY)
    completion = RateSerializer(help_text=_("年度投资完成率"))
    time_share = serializers.DecimalField(max_digits=6, decimal_places=4, coerce_to_string=False)
    points_vs_schedule = serializers.DecimalField(
        max_digits=7, decimal_places=1, coerce_to_string=False, allow_null=True
    )
    monthly = MonthSerializer(many=True)
    url = serializers.CharField()
    projects_url = serializers.CharField()


class RateFigureSerializer(serializers.Serializer):
    rate = RateSerializer()
    url = serializers.CharField()
    url_pending = serializers.CharField()


class HealthColorSerializer(serializers.Serializer):
    color = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    url = serializers.CharField()


class HealthRuleCountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    color = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    url = serializers.CharField()


class HealthSummarySerializer(serializers.Serializer):
    colors = HealthColorSerializer(many=True)
    total = serializers.IntegerField()
    rules = HealthRuleCountSerializer(many=True)


class CampaignGoalSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    target = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=False)
    actual = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=False)
    rate = RateSerializer()


class CampaignSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="campaign.pk")
    name = serializers.CharField(source="campaign.name")
    start_date = serializers.DateField(source="campaign.start_date")
    end_date = serializers.DateField(source="campaign.end_date")
    days_left = serializers.IntegerField()
    days_total = serializers.IntegerField()
    days_elapsed = serializers.IntegerField()
    total = serializers.IntegerField()
    met = serializers.IntegerField()
    met_on_time = serializers.IntegerField()
    due = serializers.IntegerField(help_text=_("Not done, due today or later."))
    overdue = serializers.IntegerField()
    completion = RateSerializer(help_text=_("Met ÷ all the campaign's milestones."))
    on_time = RateSerializer(help_text=_("Met on time ÷ due by today."))
    goals = CampaignGoalSerializer(many=True)
    urls = serializers.DictField(child=serializers.CharField())


class DepartmentIssuesSerializer(serializers.Serializer):
    department_id = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    open_url = serializers.CharField()
    overdue_url = serializers.CharField()


class IssueRatesSerializer(serializers.Serializer):
    raised = serializers.IntegerField()
    response = RateSerializer(help_text=_("回音率"))
    resolution = RateSerializer(help_text=_("办结率"))
    solution = RateSerializer(help_text=_("解决率"))
    on_time = RateSerializer(help_text=_("按期办结率"))
    satisfaction = RateSerializer(help_text=_("满意率"))
    mean_working_days = serializers.DecimalField(
        max_digits=8, decimal_places=1, coerce_to_string=False, allow_null=True
    )
    url = serializers.CharField()


class VisitSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    date = serializers.DateField()
    location = serializers.CharField()
    leaders = serializers.SerializerMethodField()
    instruction_count = serializers.IntegerField()
    open_count = serializers.IntegerField()

    def get_leaders(self, visit) -> list[str]:
        return [leader.title or leader.name for leader in visit.leaders.all()]


class ReasonSerializer(serializers.Serializer):
    color = serializers.CharField()
    kind = serializers.CharField()
    text = serializers.CharField()


class ProjectHealthSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="project.pk")
    code = serializers.CharField(source="project.code")
    name = serializers.CharField(source="project.name")
    stage = serializers.CharField(source="project.stage")
    park = serializers.CharField(source="project.park.name")
    health = serializers.CharField()
    reasons = ReasonSerializer(many=True)
    start_due = serializers.DateField(source="project.start_due", allow_null=True)
    year_plan = serializers.DecimalField(source="project.year_plan", **MONEY, allow_null=True)
    year_done = serializers.DecimalField(
        source="project.year_done",
        **MONEY,
        allow_null=True,
        help_text=_("Invested this year; null while the project's health has not been computed yet."),
    )
    completion = RateFractionField(help_text=_("Invested this year ÷ the year's plan."))


class MyChainSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="chain.pk")
    name = serializers.CharField(source="chain.name")
    segment_count = serializers.IntegerField()
    gap_count = serializers.IntegerField()
    enterprise_count = serializers.IntegerField()
    project_count = serializers.IntegerField()
    url = serializers.CharField()


class LeagueRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeagueSnapshotRow
        fields = [
            "rank",
            "name",
            "park",
            "department",
            "score",
            "band",
            "rates",
            "milestones_due",
            "milestones_on_time",
            "year_plan",
            "year_done",
            "time_share",
            "response_due",
            "response_in_time",
            "resolved",
            "resolved_on_time",
            "rated",
            "satisfied",
        ]


class LeagueSnapshotSerializer(serializers.ModelSerializer):
    rows = LeagueRowSerializer(many=True, source="ordered_rows")

    class Meta:
        model = LeagueSnapshot
        fields = ["id", "kind", "title", "period_start", "period_end", "published_at", "weights", "rows"]


class LeagueSnapshotListSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeagueSnapshot
        fields = ["id", "kind", "title", "period_start", "period_end", "published_at"]


class StandingSerializer(serializers.Serializer):
    """A row of the standings so far (computed now, not published)."""

    rank = serializers.IntegerField(allow_null=True)
    unit_id = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False, allow_null=True)
    band = serializers.CharField()
    rates = serializers.DictField(child=RateFractionField())


class LeagueSummarySerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    snapshot = LeagueSnapshotSerializer(allow_null=True, help_text=_("The latest published table, if any."))
    live = StandingSerializer(
        many=True, allow_null=True, help_text=_("Standings of the year so far when none is published.")
    )
    live_start = serializers.DateField()


class FundingSourceSerializer(serializers.Serializer):
    source = serializers.CharField()
    label = serializers.CharField()
    planned = serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=False)
    received = serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=False)
    rate = RateSerializer()
    url = serializers.CharField(help_text=_("The funding lines behind the figure."))


class FundingSerializer(serializers.Serializer):
    planned = serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=False)
    received = serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=False)
    rate = RateSerializer(help_text=_("Funds in place: received ÷ planned (lines with a plan)."))
    projects = serializers.IntegerField()
    sources = FundingSourceSerializer(many=True)
    policies_sought = serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=False)
    policies_granted = serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=False)
    policies_by_status = serializers.DictField(child=serializers.IntegerField())
    url = serializers.CharField()


class MapPointSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    lat = serializers.FloatField(help_text=_("In the map's datum (MAP_TILE_DATUM; default WGS-84)."))
    lng = serializers.FloatField()
    key = serializers.CharField(help_text=_("The health colour or the stage, per `color`."))
    color = serializers.CharField()
    stage = serializers.CharField()
    health = serializers.CharField()
    url = serializers.CharField()
    lines = serializers.ListField(child=serializers.CharField())


class MapLegendSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    color = serializers.CharField()
    count = serializers.IntegerField()


class MapSerializer(serializers.Serializer):
    color_by = serializers.CharField()
    datum = serializers.CharField(source="tile.datum")
    legend = MapLegendSerializer(many=True)
    points = MapPointSerializer(many=True)
    parks = serializers.ListField(
        child=serializers.DictField(), help_text=_("GeoJSON features of the parks' boundaries.")
    )
    unlocated = serializers.SerializerMethodField(help_text=_("Projects of the filters with no location yet."))

    def get_unlocated(self, data) -> list[dict]:
        return [{"id": r.project.pk, "code": r.project.code, "name": r.project.name} for r in data["unlocated"]]


class CockpitSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    as_of = serializers.DateField(help_text=_("The report date of the figures."))
    time_share = serializers.DecimalField(
        max_digits=6, decimal_places=4, coerce_to_string=False, help_text=_("序时进度, 0 to 1.")
    )
    stages = StageCountSerializer(many=True)
    investment = InvestmentSerializer()
    funding = FundingSerializer(help_text=_("资金到位: funds in place against the plan"))
    start = RateFigureSerializer(help_text=_("开工率"))
    production = RateFigureSerializer(help_text=_("投产率"))
    health = HealthSummarySerializer()
    campaigns = CampaignSummarySerializer(many=True)
    issues_by_department = DepartmentIssuesSerializer(many=True)
    issue_rates = IssueRatesSerializer()
    visits = VisitSummarySerializer(many=True)
    league = serializers.SerializerMethodField()
    my_projects = ProjectHealthSerializer(many=True)
    my_chains = MyChainSerializer(many=True)

    @extend_schema_field(LeagueSummarySerializer(many=True))
    def get_league(self, data) -> list:
        return LeagueSummarySerializer(data["league"].values(), many=True).data


class ChainSegmentMapSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="segment.pk")
    name = serializers.CharField(source="segment.name")
    is_gap = serializers.BooleanField()
    enterprises = serializers.SerializerMethodField()
    projects = serializers.SerializerMethodField()

    def get_enterprises(self, item) -> list[dict]:
        return [{"id": e.pk, "name": e.name} for e in item["enterprises"]]

    def get_projects(self, item) -> list[dict]:
        return [{"id": p.pk, "code": p.code, "name": p.name} for p in item["projects"]]


class ChainColumnSerializer(serializers.Serializer):
    position = serializers.CharField()
    label = serializers.CharField()
    segments = ChainSegmentMapSerializer(many=True)


class ChainMapSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="chain.pk")
    name = serializers.CharField(source="chain.name")
    chief = serializers.CharField(source="chain.chief", allow_null=True)
    is_mine = serializers.BooleanField()
    gap_count = serializers.IntegerField()
    columns = ChainColumnSerializer(many=True)


class BriefingSerializer(serializers.Serializer):
    week_start = serializers.DateField()
    week_end = serializers.DateField()
    until = serializers.DateField()
    investment = InvestmentSerializer(source="headline.investment")
    health = HealthSummarySerializer(source="headline.health")
    stage_moves = serializers.SerializerMethodField()
    reports_filed = serializers.SerializerMethodField()
    reports_missing = serializers.SerializerMethodField()
    report_month = serializers.DateField(help_text=_("The month whose reports are being collected (last month)."))
    report_due = serializers.DateField(help_text=_("The day the reports for report_month are due."))
    reports_statement = serializers.CharField(help_text=_("The briefing's sentence on monthly reports."))
    milestones_met = serializers.SerializerMethodField()
    milestones_missed = serializers.SerializerMethodField()
    issues_opened = serializers.SerializerMethodField()
    issues_closed = serializers.SerializerMethodField()
    issues_overdue = serializers.SerializerMethodField()
    issues_overdue_count = serializers.IntegerField()
    top_categories = serializers.ListField(child=serializers.DictField())

    def get_stage_moves(self, b) -> list[dict]:
        return [
            {
                "project": c.project_id,
                "name": c.project.name,
                "from": c.from_stage,
                "to": c.to_stage,
                "date": c.changed_on,
                "reason": c.reason,
            }
            for c in b.stage_moves
        ]

    def get_reports_filed(self, b) -> list[dict]:
        return [
            {"project": r.project_id, "name": r.project.name, "month": r.month, "investment": r.investment}
            for r in b.reports_filed
        ]

    def get_reports_missing(self, b) -> list[dict]:
        return [{"project": p.pk, "name": p.name, "last_report_month": p.last_report_month} for p in b.reports_missing]

    def _milestones(self, rows) -> list[dict]:
        return [
            {
                "id": m.pk,
                "project": m.project_id,
                "title": m.title,
                "due_date": m.due_date,
                "completed_on": m.completed_on,
            }
            for m in rows
        ]

    def get_milestones_met(self, b) -> list[dict]:
        return self._milestones(b.milestones_met)

    def get_milestones_missed(self, b) -> list[dict]:
        return self._milestones(b.milestones_missed)

    def _issues(self, rows) -> list[dict]:
        return [
            {
                "id": i.pk,
                "title": i.title,
                "status": i.status,
                "lead_department": i.lead_department_id,
                "raised_at": i.raised_at,
            }
            for i in rows
        ]

    def get_issues_opened(self, b) -> list[dict]:
        return self._issues(b.issues_opened)

    def get_issues_closed(self, b) -> list[dict]:
        return self._issues(b.issues_closed)

    def get_issues_overdue(self, b) -> list[dict]:
        return self._issues(b.issues_overdue)
