"""Project health (红黄绿灯), derived in the database from the rules kept as data.

`with_health(qs, …)` annotates each project with the measures the rules read, one boolean per
active rule (`rule_<id>`) and the colour (`health`: red, yellow, green; "" for a stopped
project). Every rule is translated into a plain comparison on an annotation, so counting the
colours of 500 projects is one aggregate query and the reasons of a page of rows need no
further query. `health_reasons(row, rules)` turns the fired rules of one row into sentences.

The colour of the day is stored (dashboards.models.ProjectHealth, written by
dashboards.services.project_health_refresh from `compute_health` below): the cockpit, the project
list and the project page read the stored rows; `with_health` is the from-scratch definition the
stored rows are computed from (and checked against in the tests), and what a past year's figures
use. A parent project's colour is the worst of its own and its sub-items' (`worst`).
"""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.colors import SEVERITY
from core.rates import HUNDRED, percent
from dashboards.measures import add_months, first_of_month, time_elapsed_share
from dashboards.models import Color, HealthRule
from issues.selectors import blocking_issues, with_deadline_state
from projects.milestones import State as MilestoneState
from projects.milestones import state_q
from projects.models import AnnualTarget, Milestone, ProgressReport, Project, Stage
from projects.selectors import MONEY_FIELD
from projects.selectors import ZERO as ZERO_MONEY

MONEY, ZERO = MONEY_FIELD, ZERO_MONEY
NOT_STARTED = [s for s in Stage.values if s not in Stage.started_values() and s != Stage.STOPPED]


def active_rules() -> list[HealthRule]:
    """The active rules, red before yellow (one query; pass the list on to avoid repeating it)."""
    return sorted(HealthRule.objects.filter(is_active=True), key=lambda r: (r.color != Color.RED, r.kind))


def start_due_expression(year: int):
    """The date a project is due to start in `year`: the year's target start, else the project's
    planned start. The one definition used by health and by the start rate (开工率)."""
    # order_by(): AnnualTarget's default ordering would join and sort by the project's code.
    target_start = AnnualTarget.objects.filter(project=OuterRef("pk"), year=year).order_by().values("target_start")[:1]
    return Coalesce(Subquery(target_start), F("planned_start"))


def year_investment_expressions(year: int, as_of: datetime.date) -> dict:
    """The year's plan and the investment reported for the year up to `as_of`, per project. A
    parent reports through its sub-items (projects.selectors.is_parent): its figures are theirs
    summed, and its plan is its own target, else the sum of theirs."""
    # The project and its sub-items by id (index lookups), not a join over every report.
    family = Project.objects.filter(Q(pk=OuterRef(OuterRef("pk"))) | Q(parent=OuterRef(OuterRef("pk")))).values("pk")
    reports = (
        ProgressReport.objects.filter(
            project__in=family,
            month__gte=datetime.date(year, 1, 1),
            month__lte=min(as_of, datetime.date(year, 12, 31)),
        )
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(total=Sum("investment"))
        .values("total")
    )
    # order_by(): AnnualTarget's default ordering would join and sort by the project's code.
    own_plan = (
        AnnualTarget.objects.filter(project=OuterRef("pk"), year=year).order_by().values("planned_investment")[:1]
    )
    sub_item_plans = (
        AnnualTarget.objects.filter(project__parent=OuterRef("pk"), year=year)
        .order_by()
        .values("project__parent")
        .annotate(total=Sum("planned_investment"))
        .values("total")
    )
    return {
        "year_plan": Coalesce(Subquery(own_plan, output_field=MONEY), Subquery(sub_item_plans, output_field=MONEY)),
        "year_done": Coalesce(Subquery(reports, output_field=MONEY), ZERO),
    }


def with_health_measures(qs: QuerySet, *, year: int, as_of: datetime.date, now: datetime.datetime) -> QuerySet:
    """Annotate what the rules measure: start due date, year plan/done, overdue milestones and
    overdue issues blocking a milestone (as of `as_of` / `now`)."""
    overdue_milestones = (
        # Overdue as of the report date (projects.milestones): a later completion does not count.
        Milestone.objects.filter(state_q(MilestoneState.OVERDUE, day=as_of), project=OuterRef("pk"))
        .order_by()
        .values("project")
    )
    # issues.selectors defines "blocking" and "overdue" (the current deadline has passed).
    # Through the project's milestones (an index lookup each), not a join on every blocking issue.
    milestones_of_project = Milestone.objects.filter(project=OuterRef(OuterRef("pk"))).values("pk")
    blocking = (
        with_deadline_state(blocking_issues().filter(blocks_milestone__in=milestones_of_project), now=now)
        .filter(current_deadline__lt=now)
        .order_by()
        .values("blocks_milestone__project")
    )
    return qs.annotate(
        start_due=start_due_expression(year),
        **year_investment_expressions(year, as_of),
        overdue_milestone_count=Coalesce(
            Subquery(overdue_milestones.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0)
        ),
        oldest_overdue_due=Subquery(overdue_milestones.annotate(d=Min("due_date")).values("d")),
        blocking_overdue_count=Coalesce(
            Subquery(blocking.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0)
        ),
        oldest_blocking_deadline=Subquery(blocking.annotate(d=Min("current_deadline")).values("d")),
    )


def _whole(threshold: Decimal, inclusive: bool) -> int:
    """The smallest whole number meeting `≥ threshold` (inclusive) or `> threshold`."""
    return math.ceil(threshold) if inclusive else math.floor(threshold) + 1


def rule_q(rule: HealthRule, *, year: int, as_of: datetime.date, now: datetime.datetime) -> Q:
    """The rule as a condition on the annotations of `with_health_measures`."""
    threshold = Decimal(rule.threshold)
    if rule.kind == HealthRule.Kind.START_LATE:
        months = _whole(threshold, rule.inclusive)
        # months late ≥ k  ⇔  due before the first day of (this month − k + 1)
        limit = add_months(first_of_month(as_of), 1 - months)
        # …and the planned start day itself has passed: a start due on the 20th is not late on the 2nd.
        return Q(stage__in=NOT_STARTED, start_due__lt=min(limit, as_of))
    if rule.kind == HealthRule.Kind.INVESTMENT_LAG:
        # share×100 − done÷plan×100 ≥ t  ⇔  done ≤ plan × (share − t/100)
        factor = time_elapsed_share(year, as_of) - threshold / HUNDRED
        bound = F("year_plan") * Value(factor, output_field=DecimalField(max_digits=12, decimal_places=8))
        comparison = Q(year_done__lte=bound) if rule.inclusive else Q(year_done__lt=bound)
        return Q(year_plan__gt=0) & comparison
    if rule.kind == HealthRule.Kind.MILESTONE_OVERDUE:
        days = max(_whole(threshold, rule.inclusive), 1)
        return Q(oldest_overdue_due__lte=as_of - datetime.timedelta(days=days))
    if rule.kind == HealthRule.Kind.BLOCKING_ISSUE_OVERDUE:
        limit = now - datetime.timedelta(days=float(threshold))
        return Q(oldest_blocking_deadline__lte=limit) if rule.inclusive else Q(oldest_blocking_deadline__lt=limit)
    raise ValueError(f"unknown health rule kind {rule.kind!r}")


def health_case(rules: list[HealthRule], *, year: int, as_of: datetime.date, now: datetime.datetime):
    """The colour as one CASE expression: red if any red rule fires, then yellow, else green."""
    whens = [When(stage=Stage.STOPPED, then=Value(""))]
    for color in (Color.RED, Color.YELLOW):
        conditions = [rule_q(r, year=year, as_of=as_of, now=now) for r in rules if r.color == color]
        if conditions:
            any_fires = conditions[0]
            for condition in conditions[1:]:
                any_fires |= condition
            whens.append(When(any_fires, then=Value(color.value)))
    return Case(*whens, default=Value(Color.GREEN.value), output_field=CharField())


def with_health(
    qs: QuerySet, *, rules: list[HealthRule], year: int, as_of: datetime.date, now: datetime.datetime
) -> QuerySet:
    """`with_health_measures` plus `rule_<id>` flags and the `health` colour."""
    qs = with_health_measures(qs, year=year, as_of=as_of, now=now)
    flags = {
        f"rule_{r.pk}": Case(
            When(rule_q(r, year=year, as_of=as_of, now=now), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        for r in rules
    }
    return qs.annotate(**flags, health=health_case(rules, year=year, as_of=as_of, now=now))


@dataclass(frozen=True)
class Reason:
    color: str
    kind: str
    text: str


def health_reasons(row, rules: list[HealthRule], *, year: int, as_of: datetime.date) -> list[Reason]:
    """Why a row (annotated by `with_health`) has its colour: the most severe fired rule of each
    measure, in words with the row's own figures."""
    reasons: dict[str, Reason] = {}
    for rule in rules:  # red rules come first, so the first hit per measure is the most severe
        if rule.kind in reasons or not getattr(row, f"rule_{rule.pk}", False):
            continue
        reasons[rule.kind] = Reason(rule.color, rule.kind, _reason_text(rule.kind, row, year=year, as_of=as_of))
    return list(reasons.values())


def _reason_text(kind: str, row, *, year: int, as_of: datetime.date) -> str:
    if kind == HealthRule.Kind.START_LATE:
        return _("Due to start in %(month)s, not started yet") % {
            "month": date_format(row.start_due, "YEAR_MONTH_FORMAT")
        }
    if kind == HealthRule.Kind.INVESTMENT_LAG:
        share = time_elapsed_share(year, as_of)
        done = row.year_done / row.year_plan
        return _(
            "%(done)s%% of the year's plan done against %(share)s%% of the year elapsed (%(lag)s points behind)"
        ) % {
            "done": percent(done),
            "share": percent(share),
            "lag": percent(share - done),
        }
    if kind == HealthRule.Kind.MILESTONE_OVERDUE:
        return ngettext(
            "%(n)d milestone overdue, the oldest due %(date)s",
            "%(n)d milestones overdue, the oldest due %(date)s",
            row.overdue_milestone_count,
        ) % {"n": row.overdue_milestone_count, "date": date_format(row.oldest_overdue_due, "DATE_FORMAT")}
    return ngettext(
        "%(n)d overdue issue is blocking a milestone",
        "%(n)d overdue issues are blocking a milestone",
        row.blocking_overdue_count,
    ) % {"n": row.blocking_overdue_count}


# --- The stored health: computed from scratch for a set of projects -----------------------------

MEASURES = (
    "start_due",
    "year_plan",
    "year_done",
    "overdue_milestone_count",
    "oldest_overdue_due",
    "blocking_overdue_count",
    "oldest_blocking_deadline",
)


def worst(*colors: str) -> str:
    """The most severe of the colours ("" — stopped — counts only when nothing else is there)."""
    present = [c for c in colors if c]
    return min(present, key=SEVERITY.__getitem__) if present else ""


@dataclass
class Computed:
    """One project's health computed from scratch: own colour, the fired rules, the measures, and
    (after `roll_up`) the worst colour of its sub-items and the resulting colour."""

    project_id: int
    parent_id: int | None
    stage: str
    own_color: str
    fired: frozenset
    measures: dict
    worst_child_color: str = ""

    @property
    def color(self) -> str:
        if self.stage == Stage.STOPPED:
            return ""
        return worst(self.own_color, self.worst_child_color)


def compute_health(
    project_ids, *, rules: list[HealthRule], today: datetime.date, now: datetime.datetime
) -> dict[int, Computed]:
    """The health of the projects `project_ids` (None: every project) as of `today` / `now`, from
    `with_health` — one query — before the roll-up into parents (`roll_up`)."""
    qs = Project.objects.order_by()
    if project_ids is not None:
        qs = qs.filter(pk__in=list(project_ids))
    flags = [f"rule_{r.pk}" for r in rules]
    rows = with_health(qs, rules=rules, year=today.year, as_of=today, now=now).values(
        "pk", "parent_id", "stage", "health", *MEASURES, *flags
    )
    result = {}
    for row in rows:
        stopped = row["stage"] == Stage.STOPPED
        result[row["pk"]] = Computed(
            project_id=row["pk"],
            parent_id=row["parent_id"],
            stage=row["stage"],
            own_color=row["health"] or "",
            fired=frozenset() if stopped else frozenset(r.pk for r in rules if row[f"rule_{r.pk}"]),
            measures={name: row[name] for name in MEASURES},
        )
    return result


def roll_up(computed: dict[int, Computed]) -> None:
    """Set each parent's `worst_child_color` from its sub-items present in `computed` (a parent's
    sub-items must all be there: see dashboards.services.project_health_refresh)."""
    children: dict[int, list[Computed]] = {}
    for item in computed.values():
        if item.parent_id is not None:
            children.setdefault(item.parent_id, []).append(item)

    def colour_of(item: Computed, seen: frozenset) -> str:
        if item.project_id in seen:  # a loop of parents: stop there
            return item.own_color
        kids = children.get(item.project_id, [])
        item.worst_child_color = worst(*(colour_of(k, seen | {item.project_id}) for k in kids))
        return item.color

    for item in computed.values():
        colour_of(item, frozenset())


def stored_reasons(record) -> list[Reason]:
    """Why a stored ProjectHealth has its colour: the most severe fired rule of each measure, in
    words with the figures it was judged on (its reasons prefetched as `record.reasons`)."""
    reasons: dict[str, Reason] = {}
    for reason in sorted(record.reasons.all(), key=lambda r: (SEVERITY[r.color], r.kind)):
        if reason.kind not in reasons:
            text = _reason_text(reason.kind, record, year=record.year, as_of=record.as_of)
            reasons[reason.kind] = Reason(reason.color, reason.kind, text)
    return list(reasons.values())
