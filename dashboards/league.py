"""The league table (红黑榜) of parks or of departments over a period, by the points formula.

Measures per unit (a park: its projects and the issues of its enterprises; a department: the
projects it is the responsible unit of and the issues it leads):

- milestones met on time: milestones due in the period (up to yesterday) completed on or before
  their due date ÷ milestones due in the period;
- investment against 序时进度: (the year's reported investment ÷ the year's plan) ÷ the time-elapsed
  share at the period end (or today, if earlier), capped at 1; projects with a plan only;
- issues answered in time (回音率), resolved on time (按期办结率) and satisfaction (满意率) over
  the issues raised in the period, exactly as issues.selectors.issue_measures computes them.

The score is LeagueFormula's weighted mean of the rates that exist (× 100). Every count comes
from one grouped aggregate query per source (milestones, plans, reports, issues), whatever the
number of rows; the arithmetic per unit runs
over those few aggregated rows.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, IntegerField, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.models import Department, Park
from core.rates import Rate
from dashboards.measures import ONE_DAY, time_elapsed_share
from dashboards.models import Band, LeagueFormula
from issues.selectors import issue_measures
from projects.milestones import met_on_time_q
from projects.models import AnnualTarget, Milestone, ProgressReport

MONEY = DecimalField(max_digits=16, decimal_places=2)
MEASURES = ("milestones", "investment", "response", "resolution", "satisfaction")

# kind: (project field naming the unit, issues.selectors group)
UNITS = {
    LeagueFormula.Kind.PARK: ("park", "park"),
    LeagueFormula.Kind.DEPARTMENT: ("responsible_unit", "department"),
}


def league_units(kind: str):
    """The units ranked: all parks, or the departments that are not park committees (parks are
    ranked in their own table)."""
    if kind == LeagueFormula.Kind.PARK:
        return Park.objects.all()
    return Department.objects.exclude(kind=Department.Kind.PARK_COMMITTEE)


@dataclass
class Standing:
    unit_id: int
    name: str
    milestones_due: int = 0
    milestones_on_time: int = 0
    year_plan: Decimal = Decimal("0")
    year_done: Decimal = Decimal("0")
    time_share: Decimal = Decimal("0")
    response_due: int = 0
    response_in_time: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    rates: dict = field(default_factory=dict)
    score: Decimal | None = None
    rank: int | None = None
    band: str = Band.NONE

    @property
    def measurable(self) -> bool:
        return any(v is not None for v in self.rates.values())


def _count_subquery(qs, link: str):
    return Coalesce(
        Subquery(qs.order_by().values(link).annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        Value(0),
    )


def _sum_subquery(qs, link: str, amount: str):
    return Coalesce(
        Subquery(qs.order_by().values(link).annotate(s=Sum(amount)).values("s"), output_field=MONEY),
        Value(Decimal("0"), output_field=MONEY),
    )


def investment_rate(done: Decimal, plan: Decimal, share: Decimal) -> Decimal | None:
    """(done ÷ plan) ÷ 序时进度, capped at 1; None without a plan or before the year began."""
    if not plan or not share:
        return None
    return min(Decimal("1"), Decimal(done) / Decimal(plan) / share)


def weighted_score(rates: dict, weights: dict) -> Decimal | None:
    """100 × Σ(weight × rate) ÷ Σ(weights of the rates that exist), two decimals; None if none exists."""
    used = {k: w for k, w in weights.items() if w and rates.get(k) is not None}
    total_weight = sum(used.values())
    if not total_weight:
        return None
    points = sum(Decimal(w) * Decimal(rates[k]) for k, w in used.items())
    return (Decimal("100") * points / Decimal(total_weight)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def league_standings(
    *,
    kind: str,
    start: datetime.date,
    end: datetime.date,
    formula: LeagueFormula | None = None,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> list[Standing]:
    """The ranked units for the period [start, end] by score (ties share a rank); units with
    nothing to measure in the period are left out."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    formula = formula or LeagueFormula.objects.get(kind=kind)
    project_field, issue_group = UNITS[kind]
    link = f"project__{project_field}"
    cutoff = min(end, today - ONE_DAY)
    year = end.year
    as_of = min(end, today)
    share = time_elapsed_share(year, as_of)

    # One grouped query per source (a scan each), not correlated subqueries repeated per unit.
    due = Milestone.objects.filter(due_date__gte=start, due_date__lte=cutoff).order_by().values(link)
    milestones = {
        row[link]: row for row in due.annotate(due=Count("pk"), on_time=Count("pk", filter=met_on_time_q(cutoff)))
    }
    plans = dict(
        AnnualTarget.objects.filter(year=year, planned_investment__gt=0)
        .order_by()
        .values_list(link)
        .annotate(s=Sum("planned_investment"))
    )
    reports = dict(
        ProgressReport.objects.filter(
            month__gte=datetime.date(year, 1, 1),
            month__lte=as_of,
            project__annual_targets__year=year,
            project__annual_targets__planned_investment__gt=0,
        )
        .order_by()
        .values_list(link)
        .annotate(s=Sum("investment"))
    )
    units = league_units(kind)
    issues = {
        m.key: m for m in issue_measures(group_by=issue_group, start=start, end=end, now=now) if m.key is not None
    }

    weights = formula.weights()
    standings = []
    for unit in units.order_by("sort_order", "name"):
        m = issues.get(unit.pk)
        s = Standing(
            unit_id=unit.pk,
            name=unit.short_name or unit.name,
            milestones_due=milestones.get(unit.pk, {}).get("due", 0),
            milestones_on_time=milestones.get(unit.pk, {}).get("on_time", 0),
            year_plan=plans.get(unit.pk) or Decimal("0"),
            year_done=reports.get(unit.pk) or Decimal("0"),
            time_share=share,
        )
        if m is not None:
            s.response_due, s.response_in_time = m.response_due, m.responded_in_time
            s.resolved, s.resolved_on_time = m.resolved, m.resolved_on_time
            s.rated, s.satisfied = m.rated, m.satisfied
        s.rates = {
            "milestones": Rate(s.milestones_on_time, s.milestones_due).value,
            "investment": investment_rate(s.year_done, s.year_plan, share),
            "response": Rate(s.response_in_time, s.response_due).value,
            "resolution": Rate(s.resolved_on_time, s.resolved).value,
            "satisfaction": Rate(s.satisfied, s.rated).value,
        }
        s.score = weighted_score(s.rates, weights)
        standings.append(s)
    return _ranked(standings, formula)


def _ranked(standings: list[Standing], formula: LeagueFormula) -> list[Standing]:
    scored = sorted((s for s in standings if s.score is not None), key=lambda s: (-s.score, s.name))
    previous, rank = None, 0
    for position, s in enumerate(scored, start=1):
        if s.score != previous:
            rank, previous = position, s.score
        s.rank = rank
    for s in scored:
        if s.rank <= formula.red_count:
            s.band = Band.RED
    black_from = len(scored) - formula.black_count
    for position, s in enumerate(scored):
        if position >= black_from and s.band != Band.RED:
            s.band = Band.BLACK
    # Units with something measured but no weighted rate (all their weights are zero) are listed
    # unranked; units with nothing to measure are left out of the table.
    unscored = sorted((s for s in standings if s.score is None and s.measurable), key=lambda s: s.name)
    return scored + unscored


def rates_as_json(rates: dict) -> dict:
    return {k: (None if v is None else float(round(v, 4))) for k, v in rates.items()}
