"""The cockpit's figures, each from a few aggregate queries over the user's visible rows.

Every figure is computed here and nowhere else, and the browser page, the API, the weekly
briefing and the exports all read it from here. A figure's query count does not depend on the
number of rows (cockpit: constant, proven in tests). Rates are `measures.Rate`: an empty
denominator gives None, shown "—". Issue measures come from issues.selectors (their one
definition); health from dashboards.health (the rules kept as data).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.selectors import campaign_countdown, campaign_statistics, campaigns_visible_to
from core.calendar import end_of_day
from core.rates import Rate, percent
from core.roles import official_of
from dashboards import links
from dashboards.filters import DashboardFilter
from dashboards.health import MEASURES, active_rules, health_reasons, start_due_expression, with_health
from dashboards.league import league_standings
from dashboards.measures import month_end, report_date, time_elapsed_share
from dashboards.models import Color, HealthRule, LeagueFormula, LeagueSnapshot, ProjectHealthReason
from enterprises.models import ChainSegment, Enterprise, IndustryChain
from enterprises.selectors import chains_visible_to
from funding.selectors import funding_summary
from issues.models import Status as IssueStatus
from issues.selectors import issue_measures_total, issues_visible_to, visits_visible_to, with_deadline_state
from projects.milestones import State as MilestoneState
from projects.models import AnnualTarget, ProgressReport, Project, Stage
from projects.selectors import projects_visible_to

ZERO = Decimal("0")


# --- Scope -------------------------------------------------------------------------------------


@dataclass
class Scope:
    """What every figure needs: who asks, the filters, and the dates the figures are taken at."""

    user: object
    filters: DashboardFilter  # valid values only: a refused one is shown on the page, not used
    today: datetime.date
    now: datetime.datetime
    rules: list[HealthRule] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.filters.figure_year

    @property
    def as_of(self) -> datetime.date:
        """The report date of the figures (measures.report_date)."""
        return report_date(self.filters.figure_year, self.today)

    @property
    def share(self) -> Decimal:
        """序时进度 at the report date."""
        return time_elapsed_share(self.filters.figure_year, self.as_of)

    @property
    def health_date(self) -> datetime.date:
        """The date health is judged at: the report date, but never later than today (a year
        that has not begun is judged as it stands today)."""
        return min(self.as_of, self.today)

    @property
    def health_now(self) -> datetime.datetime:
        """The moment deadlines are judged at: now, or the end of a past year's report date."""
        if self.health_date == self.today:
            return self.now
        return end_of_day(self.health_date)

    def projects(self) -> QuerySet[Project]:
        return self.filters.filter_queryset(projects_visible_to(self.user))

    def issues(self):
        return issues_visible_to(self.user).filter(self.filters.issue_q())

    @property
    def official(self):
        return official_of(self.user)


def dashboard_scope(*, user, filters: DashboardFilter, today: datetime.date | None = None, now=None) -> Scope:
    """The scope of the figures (reads the active health rules once)."""
    now = now or timezone.now()
    today = today or timezone.localdate()
    return Scope(user=user, filters=filters, today=today, now=now, rules=active_rules())


def _with_mine_first(qs: QuerySet[Project], official) -> QuerySet[Project]:
    """Order the projects the user is assigned leader of (包挂) first."""
    if official is None:
        return qs.annotate(mine=Value(1, output_field=IntegerField()))
    return qs.annotate(
        mine=Case(When(assigned_leader=official, then=Value(0)), default=Value(1), output_field=IntegerField())
    )


# --- Projects: stages, investment, start and production rates ---------------------------------


def stage_counts(scope: Scope) -> list[dict]:
    """Projects per stage, every stage listed in life-cycle order (zero included). One query."""
    counts = dict(scope.projects().order_by().values_list("stage").annotate(n=Count("pk")))
    return [
        {
            "stage": stage.value,
            "label": str(stage.label),
            "count": counts.get(stage.value, 0),
            "url": links.project_list_url(scope.filters, stage=stage.value),
        }
        for stage in Stage
    ]


def _year_reports(scope: Scope) -> QuerySet[ProgressReport]:
    """Reports of the visible, filtered projects for the year, up to the report date."""
    start = datetime.date(scope.year, 1, 1)
    return ProgressReport.objects.filter(
        project__in=scope.projects().values("pk"), month__gte=start, month__lte=scope.as_of
    )


def _has_plan(year: int, project_ref: str = "project"):
    return Exists(AnnualTarget.objects.filter(project=OuterRef(project_ref), year=year, planned_investment__gt=0))


def investment_summary(scope: Scope) -> dict:
    """Total investment of the projects, the year's plan and the investment reported for it.

    年度投资完成率 = reported for the year up to the report date by projects with a plan ÷ the
    plan of those projects; `points` = that rate minus 序时进度, in percentage points. The
    monthly curve gives, per month, the investment reported (projects with a plan) and its
    running total, against the plan spread by time elapsed to the end of the month. Three
    queries.
    """
    year, as_of, share = scope.year, scope.as_of, scope.share
    projects = scope.projects()
    totals = projects.aggregate(count=Count("pk"), total=Sum("total_investment"))
    plan = AnnualTarget.objects.filter(
        year=year, planned_investment__gt=0, project__in=projects.values("pk")
    ).aggregate(projects=Count("pk"), total=Sum("planned_investment"))
    plan_total = plan["total"] or ZERO
    monthly = {
        row["month"]: row
        for row in _year_reports(scope)
        # A join on the year's target (unique per project and year), not a subquery per report.
        .annotate(
            plan=FilteredRelation(
                "project__annual_targets",
                condition=Q(project__annual_targets__year=year, project__annual_targets__planned_investment__gt=0),
            )
        )
        .order_by()
        .values("month")
        .annotate(all=Sum("investment"), planned=Sum("investment", filter=Q(plan__isnull=False)))
    }
    done_all = sum((row["all"] or ZERO for row in monthly.values()), ZERO)
    done_planned = sum((row["planned"] or ZERO for row in monthly.values()), ZERO)
    rate = Rate(done_planned, plan_total)
    curve, running = [], ZERO
    for month_number in range(1, 13):
        month = datetime.date(year, month_number, 1)
        reported = month <= as_of
        amount = (monthly.get(month) or {}).get("planned") or ZERO
        running += amount
        curve.append(
            {
                "month": month,
                "label": _("Month %(n)d") % {"n": month_number},
                "done": amount if reported else None,
                "cumulative": running if reported else None,
                "plan_to_date": (plan_total * time_elapsed_share(year, month_end(month))).quantize(Decimal("0.01")),
            }
        )
    return {
        "project_count": totals["count"],
        "total_investment": totals["total"] or ZERO,
        "plan_projects": plan["projects"],
        "year_plan": plan_total,
        "year_done_planned": done_planned,
        "year_done_all": done_all,
        "completion": rate,
        "time_share": share,
        "time_share_percent": percent(share),
        "points_vs_schedule": None if rate.value is None else percent(rate.value - share),
        "monthly": curve,
        "url": links.drill_url("investment", scope.filters),
        "projects_url": links.project_list_url(scope.filters),
    }


def start_rate(scope: Scope) -> dict:
    """开工率: projects due to start in the year (health.start_due_expression) that have started
    ÷ projects due to start in the year. One query."""
    started = Q(stage__in=Stage.started_values())
    if uses_stored_health(scope):  # the stored health keeps this year's start due date (one join)
        due = scope.projects().annotate(start_due=F("health_record__start_due"))
    else:
        due = scope.projects().annotate(start_due=start_due_expression(scope.year))
    counts = due.filter(start_due__year=scope.year).aggregate(total=Count("pk"), done=Count("pk", filter=started))
    return {
        "rate": Rate(counts["done"], counts["total"]),
        "url": links.drill_url("start", scope.filters),
        "url_pending": links.drill_url("start", scope.filters, state="pending"),
    }


def production_rate(scope: Scope) -> dict:
    """投产率: projects whose annual target puts production in the year that are in production
    (or at capacity) ÷ those projects. One query."""
    counts = AnnualTarget.objects.filter(
        year=scope.year, target_production__year=scope.year, project__in=scope.projects().values("pk")
    ).aggregate(total=Count("pk"), done=Count("pk", filter=Q(project__stage__in=Stage.production_values())))
    return {
        "rate": Rate(counts["done"], counts["total"]),
        "url": links.drill_url("production", scope.filters),
        "url_pending": links.drill_url("production", scope.filters, state="pending"),
    }


def funding_in_place(scope: Scope) -> dict:
    """资金到位: funds received ÷ funds planned for the year over the lines with a plan, per source
    and in total (funding.selectors.funding_summary: the one definition), each figure linking to
    the funding lines behind it. Four queries."""
    s = funding_summary(scope.projects(), scope.year)
    return {
        "planned": s.planned,
        "received": s.received,
        "rate": Rate(s.received_with_plan, s.planned_with_plan),
        "projects": s.projects,
        "sources": [
            {
                "source": line.source,
                "label": line.label,
                "planned": line.planned,
                "received": line.received,
                "rate": Rate(line.received, line.planned),
                "url": links.funding_list_url(scope.filters, source=line.source),
            }
            for line in s.sources
            if line.lines
        ],
        "policies_sought": s.policies_sought,
        "policies_granted": s.policies_granted,
        "policies_by_status": s.policies_by_status,
        "url": links.funding_list_url(scope.filters),
    }


# --- Health ------------------------------------------------------------------------------------


def uses_stored_health(scope: Scope) -> bool:
    """Today's health is read from the stored table (dashboards.models.ProjectHealth); a past
    year's, judged at its 31 December, is derived (dashboards.health.with_health)."""
    return scope.health_date == timezone.localdate()


def with_stored_health(qs: QuerySet[Project], rules: list[HealthRule]) -> QuerySet[Project]:
    """Annotate projects with their stored health under the names `with_health` gives (one join,
    and one indexed EXISTS per active rule): `health` ("" when not computed yet), the measures and
    the `rule_<id>` flags."""
    return qs.annotate(
        health=Coalesce(F("health_record__color"), Value("")),
        health_since=F("health_record__since"),
        **{name: F(f"health_record__{name}") for name in MEASURES},
        **{
            f"rule_{r.pk}": Exists(ProjectHealthReason.objects.filter(health_id=OuterRef("pk"), rule_id=r.pk))
            for r in rules
        },
    )


def projects_with_health(scope: Scope) -> QuerySet[Project]:
    """The visible, filtered projects with their health (stopped ones left out): stored for
    today, derived by dashboards.health for a past year."""
    qs = scope.projects().exclude(stage=Stage.STOPPED)
    if uses_stored_health(scope):
        return with_stored_health(qs, scope.rules)
    return with_health(qs, rules=scope.rules, year=scope.year, as_of=scope.health_date, now=scope.health_now)


def health_summary(scope: Scope) -> dict:
    """Red/yellow/green counts and, per rule, how many projects it fires for. Two queries on the
    stored table (one aggregate query over the derived health for a past year)."""
    if uses_stored_health(scope):
        live = scope.projects().exclude(stage=Stage.STOPPED)
        counts = live.aggregate(**{c.value: Count("pk", filter=Q(health_record__color=c.value)) for c in Color})
        fired = dict(
            ProjectHealthReason.objects.filter(health__project__in=live.values("pk"))
            .order_by()
            .values_list("rule")
            .annotate(n=Count("pk"))
        )
        counts.update({f"n_rule_{r.pk}": fired.get(r.pk, 0) for r in scope.rules})
    else:
        aggregates = {c.value: Count("pk", filter=Q(health=c.value)) for c in Color}
        # Aggregate names must differ from the annotations they filter on.
        aggregates.update({f"n_rule_{r.pk}": Count("pk", filter=Q(**{f"rule_{r.pk}": True})) for r in scope.rules})
        counts = projects_with_health(scope).aggregate(**aggregates)
    return {
        "colors": [
            {
                "color": c.value,
                "label": str(c.label),
                "count": counts[c.value],
                "url": links.drill_url("health", scope.filters, color=c.value),
            }
            for c in Color
        ],
        "total": sum(counts[c.value] for c in Color),
        "rules": [
            {
                "id": r.pk,
                "color": r.color,
                "label": r.condition_text,
                "count": counts[f"n_rule_{r.pk}"],
                "url": links.drill_url("health", scope.filters, rule=r.pk),
            }
            for r in scope.rules
        ],
    }


def health_rows(scope: Scope, qs: QuerySet[Project]) -> list[dict]:
    """Rows of annotated projects with their reasons (no query beyond evaluating `qs`)."""
    return [
        {
            "project": p,
            "health": p.health,
            "health_label": str(Color(p.health).label) if p.health else "",
            "reasons": health_reasons(p, scope.rules, year=scope.year, as_of=scope.health_date),
            "completion": Rate(p.year_done, p.year_plan),
        }
        for p in qs
    ]


# --- Leader's own projects and chains ----------------------------------------------------------


def my_projects(scope: Scope) -> list[dict]:
    """Projects the user is assigned leader of (包挂), worst health first, with reasons."""
    official = scope.official
    if official is None:
        return []
    qs = (
        projects_with_health(scope)
        .filter(assigned_leader=official)
        .select_related("park", "enterprise")
        .annotate(
            severity=Case(
                When(health=Color.RED, then=Value(0)),
                When(health=Color.YELLOW, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("severity", "-is_key", "code")
    )
    return health_rows(scope, qs)


def my_chains(scope: Scope) -> list[dict]:
    """Chains the user is chief of (链长), with projects, enterprises and gap segments. One query."""
    official = scope.official
    if official is None:
        return []
    visible = scope.projects().values("pk")
    chains = (
        IndustryChain.objects.filter(chief=official)
        .annotate(
            segment_count=Count("segments", distinct=True),
            gap_count=Count("segments", filter=Q(segments__enterprises__isnull=True), distinct=True),
            enterprise_count=Count("segments__enterprises", distinct=True),
            project_count=Count("segments__projects", filter=Q(segments__projects__in=visible), distinct=True),
        )
        .order_by("sort_order", "name")
    )
    return [
        {
            "chain": c,
            "segment_count": c.segment_count,
            "gap_count": c.gap_count,
            "enterprise_count": c.enterprise_count,
            "project_count": c.project_count,
            "url": links.project_list_url(scope.filters, chain=c.pk),
        }
        for c in chains
    ]


# --- Campaign ----------------------------------------------------------------------------------


def campaign_summary(scope: Scope) -> list[dict]:
    """The running campaigns (专项行动) by their own definitions (campaigns.selectors): countdown,
    milestones met / due / overdue over the whole campaign (as the campaign page shows them),
    and, for the one ending first, progress against its goals. Four queries."""
    today = scope.today
    running = list(
        campaigns_visible_to(scope.user, today=today)
        .filter(start_date__lte=today, end_date__gte=today)
        .order_by("end_date", "pk")
    )
    result = []
    for index, campaign in enumerate(running):
        # The first gets the full statistics (with goals); the others carry the same counts as
        # annotations from campaigns_visible_to, so running campaigns cost no query each.
        stats = campaign_statistics(campaign=campaign, today=today) if index == 0 else campaign
        detail = reverse("campaigns:detail", args=[campaign.pk])
        countdown = campaign_countdown(campaign, today)
        result.append(
            {
                "campaign": campaign,
                "days_left": countdown.days_left,
                "days_total": countdown.days_total,
                "days_elapsed": countdown.days_elapsed,
                "total": stats.total,
                "met": stats.met,
                "met_on_time": stats.met_on_time,
                "due": stats.due,
                "overdue": stats.overdue,
                "completion": Rate(stats.met, stats.total),
                "on_time": Rate(stats.met_on_time, stats.due_so_far),
                "goals": _campaign_goals(stats) if index == 0 else [],
                "urls": {
                    "all": detail,
                    **{state: f"{detail}?status={state}" for state in MilestoneState.values},
                },
            }
        )
    return result


def _campaign_goals(stats) -> list[dict]:
    labels = {
        "projects_to_start": _("Projects started"),
        "projects_to_sign": _("Projects signed"),
        "investment": _("Investment (10k yuan)"),
    }
    return [
        {
            "key": key,
            "label": str(labels[key]),
            "target": goal.target,
            "actual": goal.actual,
            "rate": Rate(goal.actual, goal.target or 0),
        }
        for key, goal in stats.goals.items()
        if goal.target
    ]


# --- Issues ------------------------------------------------------------------------------------


def issues_by_department(scope: Scope) -> list[dict]:
    """Open and overdue issues per lead department (issues.selectors' overdue), most overdue
    first; issues not yet assigned form their own row. One query."""
    rows = (
        with_deadline_state(scope.issues().filter(status__in=IssueStatus.open_values()), now=scope.now)
        .order_by()
        .values("lead_department", "lead_department__name", "lead_department__short_name")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(is_overdue=True)))
        .order_by("-overdue", "-open", "lead_department__name")
    )
    result = []
    for row in rows:
        dept = row["lead_department"]
        if dept is None:
            label = _("Not yet assigned")
            open_url = links.issue_list_url(scope.filters, status=IssueStatus.NEW)
            overdue_url = links.issue_list_url(scope.filters, status=IssueStatus.NEW, overdue="true")
        else:
            label = row["lead_department__short_name"] or row["lead_department__name"]
            open_url = links.issue_list_url(scope.filters, department=dept, open="true")
            overdue_url = links.issue_list_url(scope.filters, department=dept, overdue="true")
        result.append(
            {
                "department_id": dept,
                "label": label,
                "open": row["open"],
                "overdue": row["overdue"],
                "open_url": open_url,
                "overdue_url": overdue_url,
            }
        )
    return result


def issue_rates(scope: Scope) -> dict:
    """回音率, 办结率, 按期办结率, 满意率 over the issues raised in the year up to the report date
    (issues.selectors.issue_measures_total: their one definition). One query."""
    start = datetime.date(scope.year, 1, 1)
    m = issue_measures_total(queryset=scope.issues(), start=start, end=scope.as_of, now=scope.now)
    params = {"raised_from": start.isoformat(), "raised_to": scope.as_of.isoformat()}
    return {
        "raised": m.raised,
        "response": m.response_rate,
        "resolution": m.resolution_rate,
        "solution": m.solution_rate,
        "on_time": m.on_time_rate,
        "satisfaction": m.satisfaction_rate,
        "mean_working_days": m.mean_working_days,
        "url": links.issue_list_url(scope.filters, **params),
    }


def recent_visits(scope: Scope, limit: int = 5) -> list:
    """The latest site visits with their instructions: total and still open. Three queries."""
    return list(
        visits_visible_to(scope.user)
        .prefetch_related("leaders", "enterprises")
        .annotate(
            instruction_count=Count("instructions", distinct=True),
            open_count=Count(
                "instructions", filter=Q(instructions__status__in=IssueStatus.open_values()), distinct=True
            ),
        )
        .order_by("-date", "-pk")[:limit]
    )


# --- League table ------------------------------------------------------------------------------


def league_latest(kind: str) -> LeagueSnapshot | None:
    """The most recent published snapshot of `kind`, with its rows (two queries)."""
    return (
        LeagueSnapshot.objects.filter(kind=kind)
        .prefetch_related(Prefetch("rows", to_attr="ordered_rows"))
        .order_by("-period_end", "-published_at")
        .first()
    )


def league_summary(scope: Scope) -> dict:
    """Per kind (parks, departments): the latest published table, or — when none is published
    yet — the standings of the year so far (not published), city-wide. Constant queries."""
    result = {}
    year_start = scope.today.replace(month=1, day=1)
    formulas = {f.kind: f for f in LeagueFormula.objects.all()}
    for kind in LeagueFormula.Kind.values:
        snapshot = league_latest(kind)
        live = None
        if snapshot is None and kind in formulas:
            live = live_league_standings(formulas[kind], start=year_start, today=scope.today, now=scope.now)
        result[kind] = {
            "kind": kind,
            "label": str(LeagueFormula.Kind(kind).label),
            "snapshot": snapshot,
            "live": live,
            "live_start": year_start,
        }
    return result


# The unpublished standings of the year so far scan every milestone, report and issue of the city
# (seconds at 10,000 projects); they are the same for every viewer, so they are kept this long.
LIVE_LEAGUE_SECONDS = 600


def live_league_standings(formula: LeagueFormula, *, start: datetime.date, today: datetime.date, now) -> list:
    """league_standings of the year so far, computed at most once per LIVE_LEAGUE_SECONDS (and
    again at once when the formula changes or the day turns)."""
    key = f"league-live:{formula.kind}:{formula.pk}:{formula.updated_at.timestamp()}:{start}:{today}"
    return cache.get_or_set(
        key,
        lambda: league_standings(kind=formula.kind, start=start, end=today, formula=formula, now=now),
        LIVE_LEAGUE_SECONDS,
    )


def league_snapshots() -> QuerySet[LeagueSnapshot]:
    return LeagueSnapshot.objects.select_related("published_by__official").order_by("-period_end", "kind")


# --- Chain map ---------------------------------------------------------------------------------

POSITION_ORDER = [
    ChainSegment.Position.UPSTREAM,
    ChainSegment.Position.MIDSTREAM,
    ChainSegment.Position.DOWNSTREAM,
    ChainSegment.Position.SUPPORTING,
]


def chain_map(*, user, chain: IndustryChain | None = None) -> list[dict]:
    """Per chain, its segments upstream → downstream (then supporting) with their enterprises and
    the visible projects; a segment with no enterprise is a gap (an attraction target). The
    chains the user is chief of (链长) come first. Four queries whatever the size."""
    official = official_of(user)
    chains = chains_visible_to(user)
    if chain is not None:
        chains = chains.filter(pk=chain.pk)
    mine = Case(When(chief=official, then=Value(0)), default=Value(1), output_field=IntegerField())
    chains = list(
        chains.annotate(mine=mine if official is not None else Value(1, output_field=IntegerField()))
        .order_by("mine", "sort_order", "name")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch(
                "segments",
                queryset=ChainSegment.objects.order_by("sort_order", "name").prefetch_related(
                    Prefetch("enterprises", queryset=Enterprise.objects.select_related("park").order_by("name")),
                    Prefetch(
                        "projects",
                        queryset=projects_visible_to(user).select_related("enterprise").order_by("-is_key", "code"),
                    ),
                ),
            )
        )
    )
    result = []
    for c in chains:
        columns = []
        for position in POSITION_ORDER:
            segments = [s for s in c.segments.all() if s.position == position]
            if segments:
                columns.append(
                    {
                        "position": position.value,
                        "label": str(position.label),
                        "segments": [
                            {
                                "segment": s,
                                "enterprises": list(s.enterprises.all()),
                                "projects": list(s.projects.all()),
                                "is_gap": not s.enterprises.all(),
                            }
                            for s in segments
                        ],
                    }
                )
        gaps = [seg for col in columns for seg in col["segments"] if seg["is_gap"]]
        result.append({"chain": c, "is_mine": c.mine == 0, "columns": columns, "gap_count": len(gaps)})
    return result


# --- Drill-down lists --------------------------------------------------------------------------

DRILL_FIGURES = ("health", "start", "production", "investment")


def drill_projects(scope: Scope, figure: str, params: dict) -> QuerySet[Project]:
    """The projects behind a project figure, annotated with health and the year's figures, the
    user's own projects first. `params`: color / rule (health), state=done|pending (start,
    production)."""
    qs = projects_with_health(scope)
    if figure == "health":
        color = params.get("color")
        if color in Color.values:
            qs = qs.filter(health=color)
        rule = params.get("rule")
        if rule and any(str(r.pk) == str(rule) for r in scope.rules):
            qs = qs.filter(**{f"rule_{rule}": True})
    elif figure == "start":
        qs = qs.filter(start_due__year=scope.year)
        qs = _state_filter(qs, params.get("state"), Q(stage__in=Stage.started_values()))
    elif figure == "production":
        targets = AnnualTarget.objects.filter(
            project=OuterRef("pk"), year=scope.year, target_production__year=scope.year
        )
        qs = qs.filter(Exists(targets)).annotate(
            target_production=AnnualTarget.objects.filter(project=OuterRef("pk"), year=scope.year).values(
                "target_production"
            )[:1]
        )
        qs = _state_filter(qs, params.get("state"), Q(stage__in=Stage.production_values()))
    elif figure == "investment":
        qs = qs.filter(year_plan__gt=0)
    qs = _with_mine_first(qs.select_related("park", "enterprise", "assigned_leader"), scope.official)
    return qs.order_by("mine", "-is_key", "code")


def _state_filter(qs, state: str | None, done: Q):
    if state == "done":
        return qs.filter(done)
    if state == "pending":
        return qs.exclude(done)
    return qs


# --- The whole cockpit -------------------------------------------------------------------------


def cockpit(scope: Scope) -> dict:
    """Every figure of the cockpit for one scope; the query count is constant (see the tests)."""
    data = {
        "year": scope.year,
        "as_of": scope.as_of,
        "time_share": scope.share,
        "stages": stage_counts(scope),
        "investment": investment_summary(scope),
        "funding": funding_in_place(scope),
        "start": start_rate(scope),
        "production": production_rate(scope),
        "health": health_summary(scope),
        "campaigns": campaign_summary(scope),
        "issues_by_department": issues_by_department(scope),
        "issue_rates": issue_rates(scope),
        "visits": recent_visits(scope),
        "league": league_summary(scope),
        "my_projects": my_projects(scope),
        "my_chains": my_chains(scope),
    }
    return data
