"""Reads of issues, scoped by role, with derived values computed in the database.

Derived values live here (or in the module named) and nowhere else:
- the *current deadline* of an issue and *overdue*: issues.deadlines, annotated by
  `with_deadline_state` (`current_deadline_kind`, `current_deadline`, `is_overdue`).
- an issue *blocks* its milestone while it is not solved: still open, or closed by the
  department as unsolvable (`BLOCKING_Q`).
- the measures (回音率, 办结率, 解决率, 按期办结率, mean working days, 满意率) exactly as
  DOMAIN.md "Measures" defines them (`issue_measures`).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from core.calendar import end_of_day
from core.models import Official, Role
from core.rates import Rate
from core.roles import official_of, role_of
from enterprises.models import Enterprise, ServiceTeam
from issues import deadlines
from issues.models import (
    Category,
    Issue,
    IssueEvent,
    IssuePhoto,
    Outcome,
    Satisfaction,
    Status,
    TimeLimitRule,
    Visit,
)
from projects.consequences import SHOWN_ITEMS, Consequence
from projects.selectors import projects_visible_to, visibility_q

BLOCKING_Q = Q(status__in=Status.open_values()) | Q(outcome=Outcome.UNSOLVABLE)


# --- Scope -------------------------------------------------------------------------------------


def issues_visible_to(user) -> QuerySet[Issue]:
    """Issues the user may read (and comment on).

    Leaders and supervisors: all. Everyone with a role: the issues they raised, and those of
    projects they may read (projects.selectors.visibility_q). Department handlers: issues their
    department leads or co-handles. Service-team staff: issues of the enterprises and projects
    their teams serve.
    """
    role = role_of(user)
    if role in {Role.LEADER, Role.SUPERVISOR}:
        return Issue.objects.all()
    official = official_of(user)
    if role is None or official is None:
        return Issue.objects.none()
    q = Q(raised_by=user)
    project_q = visibility_q(user, prefix="project__")
    if project_q is not None:
        q |= project_q
    if role == Role.HANDLER and official.department_id is not None:
        cohandled = Issue.co_departments.through.objects.filter(department_id=official.department_id)
        q |= Q(lead_department_id=official.department_id) | Q(pk__in=Subquery(cohandled.values("issue_id")))
    if role == Role.STAFF:
        teams = ServiceTeam.objects.filter(members=official)
        q |= Q(enterprise__in=Subquery(teams.values("enterprises"))) | Q(
            project__service_team__in=Subquery(teams.values("pk"))
        )
    return Issue.objects.filter(q)


def with_deadline_state(qs: QuerySet[Issue], *, now: datetime.datetime | None = None) -> QuerySet[Issue]:
    """Annotate `current_deadline_kind`, `current_deadline` and `is_overdue` (issues.deadlines)."""
    return deadlines.with_deadline_state(qs, now=now)


def with_list_data(qs: QuerySet[Issue], *, now: datetime.datetime | None = None) -> QuerySet[Issue]:
    """Everything a list row shows, in a constant number of queries whatever the row count."""
    photos = IssuePhoto.objects.filter(issue=OuterRef("pk")).order_by().values("issue")
    return with_deadline_state(
        qs.select_related(
            "enterprise__park",
            "project",
            "lead_department",
            "handler",
            "raised_by__official",
            "visit",
            "blocks_milestone",
        )
        .prefetch_related("co_departments")
        .annotate(
            photo_count=Coalesce(
                Subquery(photos.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0)
            )
        ),
        now=now,
    )


def issue_list(*, user, now: datetime.datetime | None = None) -> QuerySet[Issue]:
    """The visible issues with their list data; issues.filters.IssueFilter narrows them."""
    return with_list_data(issues_visible_to(user), now=now)


def issue_get_visible(*, user, pk, now: datetime.datetime | None = None) -> Issue:
    """One issue the user may read, with its list data, or 404 (its existence is not disclosed)."""
    try:
        return (
            with_list_data(issues_visible_to(user), now=now)
            .select_related(
                "blocks_milestone__project",
                "project__responsible_unit",
                "project__responsible_official",
                "project__park",
            )
            .prefetch_related("photos")
            .get(pk=pk)
        )
    except (Issue.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def issue_queue(*, user, now: datetime.datetime | None = None) -> QuerySet[Issue]:
    """待我处理: the issues waiting for this user's move, overdue first, then by nearest deadline.

    Handlers: assigned or in progress in their lead department. Supervisors: new issues to route
    (including returned ones). Staff: resolved issues to confirm with the enterprises they serve
    or that they raised. Others: nothing.
    """
    role = role_of(user)
    official = official_of(user)
    visible = issues_visible_to(user)
    if role == Role.HANDLER and official is not None and official.department_id is not None:
        qs = visible.filter(lead_department_id=official.department_id, status__in=[Status.ASSIGNED, Status.IN_PROGRESS])
    elif role == Role.SUPERVISOR:
        qs = visible.filter(status=Status.NEW)
    elif role == Role.STAFF:
        qs = visible.filter(status=Status.RESOLVED)
    else:
        qs = Issue.objects.none()
    return with_list_data(qs, now=now).order_by(
        "-is_overdue", F("current_deadline").asc(nulls_last=True), "raised_at", "pk"
    )


def issue_timeline(*, issue: Issue) -> QuerySet[IssueEvent]:
    """Every event of the issue, oldest first, with who did it."""
    return issue.events.select_related("actor__official").order_by("at", "id")


def enterprises_for_raising(user) -> QuerySet[Enterprise]:
    """The enterprises this user may log issues for (issues.permissions.can_raise_issue asks
    this queryset, so the rule exists once). Leaders and supervisors: all;
    service-team staff: those their teams serve, directly or through a project; project
    officials: the owners of the projects they may read; others: none. Used for the first
    choices of the logging form; the service still checks each issue."""
    role = role_of(user)
    if role in {Role.LEADER, Role.SUPERVISOR}:
        return Enterprise.objects.all()
    official = official_of(user)
    if official is None:
        return Enterprise.objects.none()
    if role == Role.STAFF:
        teams = ServiceTeam.objects.filter(members=official)
        return Enterprise.objects.filter(
            Q(pk__in=Subquery(teams.values("enterprises"))) | Q(projects__service_team__in=Subquery(teams.values("pk")))
        ).distinct()
    if role == Role.OFFICIAL:
        return Enterprise.objects.filter(pk__in=Subquery(projects_visible_to(user).values("enterprise_id")))
    return Enterprise.objects.none()


# --- Milestones and projects blocked by issues ----------------------------------------------------


def blocking_issues() -> QuerySet[Issue]:
    """Issues that currently hold up their milestone (see BLOCKING_Q)."""
    return Issue.objects.filter(BLOCKING_Q, blocks_milestone__isnull=False)


def with_blocking_issues(qs, *, via: str = "milestone"):
    """Annotate milestones (via="milestone") or projects (via="project") with
    `blocking_issue_count`; milestones also get `blocking` (the list of those issues, one more
    query for the whole page). An issue blocks a project when it blocks one of its milestones.
    """
    link = "blocks_milestone" if via == "milestone" else "blocks_milestone__project"
    counts = (
        blocking_issues().filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")
    )
    qs = qs.annotate(blocking_issue_count=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0)))
    if via == "milestone":
        return qs.prefetch_related(
            Prefetch(
                "blocking_issues",
                queryset=blocking_issues().select_related("lead_department").order_by("raised_at"),
                to_attr="blocking",
            )
        )
    return qs


def issues_blocking(*, milestone=None, project=None) -> QuerySet[Issue]:
    """The issues holding up one milestone or any milestone of one project."""
    qs = blocking_issues().select_related("lead_department", "blocks_milestone", "enterprise")
    if milestone is not None:
        qs = qs.filter(blocks_milestone=milestone)
    if project is not None:
        qs = qs.filter(blocks_milestone__project=project)
    return with_deadline_state(qs).order_by("blocks_milestone__due_date", "raised_at")


# --- Site visits -------------------------------------------------------------------------------


def visits_visible_to(user) -> QuerySet[Visit]:
    """Leaders and supervisors: every visit; others: visits with an instruction they may read."""
    if role_of(user) in {Role.LEADER, Role.SUPERVISOR}:
        return Visit.objects.all()
    visible = issues_visible_to(user).filter(visit__isnull=False).values("visit_id")
    return Visit.objects.filter(pk__in=Subquery(visible))


def with_visit_data(qs: QuerySet[Visit]) -> QuerySet[Visit]:
    """Visits with leaders, places and the count of instructions, closed-off (销号) ones, open ones."""
    return (
        qs.select_related("created_by__official")
        .prefetch_related("leaders", "enterprises", "projects")
        .annotate(
            instruction_count=Count("instructions", distinct=True),
            closed_off_count=Count("instructions", filter=Q(instructions__status=Status.CLOSED), distinct=True),
        )
    )


def visit_instructions(*, visit: Visit, now: datetime.datetime | None = None) -> QuerySet[Issue]:
    """The instructions of a visit in the order given, each with `closed_off` (销号: confirmed
    closed) and its deadline state — the rows of the assignment sheet (交办单)."""
    return (
        with_list_data(visit.instructions.all(), now=now)
        .annotate(
            closed_off=Case(
                When(status=Status.CLOSED, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .order_by("pk")
    )


# --- Time limits -------------------------------------------------------------------------------


def time_limit_rules_visible_to(user) -> QuerySet[TimeLimitRule]:
    """The time-limit table: read by every user with a role (supervisors change it)."""
    if role_of(user) is None:
        return TimeLimitRule.objects.none()
    return TimeLimitRule.objects.all()


# --- Measures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssueMeasures:
    """Counts and rates of one group of issues (a department, a park, a category or all). Each
    rate is a core.rates.Rate (empty denominator: value None, shown "—"); `as_dict` gives the
    API's fractions (0–1, None when empty)."""

    key: Any
    label: str
    raised: int
    response_due: int
    responded_in_time: int
    resolved: int
    solved: int
    resolved_on_time: int
    rated: int
    satisfied: int
    mean_working_days: Decimal | None

    @property
    def response_rate(self) -> Rate:
        """回音率: answered within the response limit ÷ (answered, or response limit passed)."""
        return Rate(self.responded_in_time, self.response_due)

    @property
    def resolution_rate(self) -> Rate:
        """办结率: closed by the department (resolved, whatever the outcome) ÷ raised."""
        return Rate(self.resolved, self.raised)

    @property
    def solution_rate(self) -> Rate:
        """解决率: confirmed solved by the enterprise ÷ raised."""
        return Rate(self.solved, self.raised)

    @property
    def on_time_rate(self) -> Rate:
        """按期办结率: closed on or before the resolution deadline ÷ closed by the department."""
        return Rate(self.resolved_on_time, self.resolved)

    @property
    def satisfaction_rate(self) -> Rate:
        """满意率: (satisfied + basically satisfied) ÷ rated."""
        return Rate(self.satisfied, self.rated)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "raised": self.raised,
            "response_due": self.response_due,
            "responded_in_time": self.responded_in_time,
            "resolved": self.resolved,
            "solved": self.solved,
            "resolved_on_time": self.resolved_on_time,
            "rated": self.rated,
            "satisfied": self.satisfied,
            "mean_working_days": self.mean_working_days,
            "response_rate": self.response_rate.fraction,
            "resolution_rate": self.resolution_rate.fraction,
            "solution_rate": self.solution_rate.fraction,
            "on_time_rate": self.on_time_rate.fraction,
            "satisfaction_rate": self.satisfaction_rate.fraction,
        }


GROUPS = {
    # group_by: (key field, label field or None when the label comes from choices)
    "department": ("lead_department_id", "lead_department__name"),
    "park": ("enterprise__park_id", "enterprise__park__name"),
    "category": ("category", None),
}


def _measure_aggregates(now: datetime.datetime) -> dict:
    answered = Q(acknowledged_at__isnull=False)
    resolved = Q(resolved_at__isnull=False)
    rated = ~Q(satisfaction="")
    return {
        "raised": Count("pk"),
        "response_due": Count("pk", filter=answered | Q(response_deadline__lt=now)),
        "responded_in_time": Count("pk", filter=answered & Q(acknowledged_at__lte=F("response_deadline"))),
        "resolved": Count("pk", filter=resolved),
        "solved": Count("pk", filter=Q(status=Status.CLOSED, outcome=Outcome.SOLVED)),
        "resolved_on_time": Count("pk", filter=resolved & Q(resolved_at__lte=F("resolution_deadline"))),
        "rated": Count("pk", filter=rated),
        "satisfied": Count("pk", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])),
        "mean_working_days": Avg("working_days_to_resolve", filter=resolved),
    }


def _measures_scope(
    queryset: QuerySet[Issue] | None, start: datetime.date | None, end: datetime.date | None
) -> QuerySet[Issue]:
    qs = Issue.objects.all() if queryset is None else queryset
    if start is not None:
        qs = qs.filter(raised_at__gt=end_of_day(start - datetime.timedelta(days=1)))
    if end is not None:
        qs = qs.filter(raised_at__lte=end_of_day(end))
    return qs


def _row(key, label, values: dict) -> IssueMeasures:
    mean = values["mean_working_days"]
    return IssueMeasures(
        key=key,
        label=label,
        raised=values["raised"],
        response_due=values["response_due"],
        responded_in_time=values["responded_in_time"],
        resolved=values["resolved"],
        solved=values["solved"],
        resolved_on_time=values["resolved_on_time"],
        rated=values["rated"],
        satisfied=values["satisfied"],
        mean_working_days=None if mean is None else Decimal(str(mean)).quantize(Decimal("0.1")),
    )


def issue_measures(
    *,
    group_by: str,
    queryset: QuerySet[Issue] | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> list[IssueMeasures]:
    """The measures per department (lead department), park (the enterprise's) or category, over the
    issues raised between `start` and `end` (inclusive, local dates; open-ended when None) among
    `queryset` (default: all; pass issues_visible_to(user) to scope). One aggregate query.

    Issues without a lead department (new, or resolved on the spot) form the group with key None.
    """
    if group_by not in GROUPS:
        raise ValueError(f"group_by must be one of {sorted(GROUPS)}")
    now = now or timezone.now()
    key_field, label_field = GROUPS[group_by]
    fields = [key_field] if label_field is None else [key_field, label_field]
    rows = (
        _measures_scope(queryset, start, end)
        .order_by()
        .values(*fields)
        .annotate(**_measure_aggregates(now))
        .order_by(key_field)
    )
    result = []
    for values in rows:
        key = values[key_field]
        if label_field is None:
            label = str(Category(key).label) if key in Category.values else str(key)
        else:
            label = values[label_field] or ""
        result.append(_row(key, label, values))
    return result


def issue_measures_total(
    *,
    queryset: QuerySet[Issue] | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> IssueMeasures:
    """The same measures over all the issues in scope, as one row."""
    now = now or timezone.now()
    values = _measures_scope(queryset, start, end).aggregate(**_measure_aggregates(now))
    return _row(None, "", values)


def handlers_of_department(department_id: int) -> QuerySet:
    """The active department handlers of one department, by name: the choices of an assign form
    once its lead department is chosen."""
    return (
        Official.objects.filter(role=Role.HANDLER, department_id=department_id, user__is_active=True)
        .select_related("department")
        .order_by("name")
    )


# --- What a project's stage move affects (projects.consequences) -------------------------------


def stage_move_open_issues(*, project, to_stage):
    """The project's open issues, blocking ones first, for the confirmation of a stage move that
    needs a reason: they stay open and keep their deadlines whatever the project's stage."""
    open_issues = Issue.objects.filter(project=project, status__in=Status.open_values())
    rows = list(
        open_issues.order_by(F("blocks_milestone").asc(nulls_last=True), "resolution_deadline", "pk").values_list(
            "pk", "title", "blocks_milestone"
        )[: SHOWN_ITEMS + 1]
    )
    if not rows:
        return None
    total = open_issues.count() if len(rows) > SHOWN_ITEMS else len(rows)
    text = ngettext(
        "%(n)d open issue stays open with its deadlines: close or withdraw it through its own page.",
        "%(n)d open issues stay open with their deadlines: close or withdraw them through their own pages.",
        total,
    ) % {"n": total}
    return Consequence(
        key="issues",
        text=text,
        items=[
            f"#{pk} {title}" + (" " + gettext("(holds up a milestone)") if blocks else "")
            for pk, title, blocks in rows[:SHOWN_ITEMS]
        ],
        more=max(total - SHOWN_ITEMS, 0),
    )
