"""An issue's deadlines: their arithmetic, and which one applies now — each defined once.

An issue has three deadlines, each an aware datetime at the end of a working day:

    routing deadline    (签收期限, assign_deadline)      a department must have the issue
    response deadline   (答复期限, response_deadline)    the lead department's first response
    resolution deadline (办结期限, resolution_deadline)  the lead department resolves it

*Which one applies now* (the "current deadline") follows the state, first match wins:

    new                                       → routing deadline
    assigned, not yet answered                → response deadline
    assigned (answered before), in progress   → resolution deadline
    resolved, closed                          → none

`CURRENT` is that table, written as ORM lookups. `with_current_deadline` turns it into database
annotations (Case/When) and `current_kind` evaluates the very same lookups on one issue in
Python, so the lists, the issue page, the API, the exports, the reminders and the cockpit cannot
disagree. An issue is *overdue* when its current deadline has passed (`with_deadline_state`).

Labels come from the model fields' verbose names, so a deadline is called the same everywhere.
"""

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, Case, CharField, DateTimeField, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.text import capfirst

from core.calendar import WorkingCalendar, end_of_day, local_date
from issues.models import Issue, Status

CLOSED_STATES = [s for s in Status.values if s not in Status.open_values()]


@dataclass(frozen=True)
class DeadlineKind:
    key: str  # the value of `current_deadline_kind` (API, exports, reminders)
    field: str  # the Issue field holding the deadline
    met: dict  # lookups that hold once the deadline is met
    met_at: str | None = None  # the Issue field recording when it was met, if any

    @property
    def label(self):
        """The label, e.g. "Routing deadline" / 签收期限 (lazy), from the model field's verbose name."""
        return capfirst(Issue._meta.get_field(self.field).verbose_name)

    def due(self, issue) -> datetime.datetime | None:
        return getattr(issue, self.field)


ROUTING = DeadlineKind(
    "assign",
    "assign_deadline",
    # Met once a department has the issue; one resolved on the spot never needed routing.
    met={"status__in": [Status.ASSIGNED, Status.IN_PROGRESS, *CLOSED_STATES], "lead_department_id__isnull": False},
)
RESPONSE = DeadlineKind(
    "response", "response_deadline", met={"acknowledged_at__isnull": False}, met_at="acknowledged_at"
)
RESOLUTION = DeadlineKind("resolution", "resolution_deadline", met={"resolved_at__isnull": False}, met_at="resolved_at")

KINDS: tuple[DeadlineKind, ...] = (ROUTING, RESPONSE, RESOLUTION)
BY_KEY = {kind.key: kind for kind in KINDS}

# (state condition → the deadline that applies), first match wins; no match: no current deadline.
CURRENT: tuple[tuple[dict, DeadlineKind], ...] = (
    ({"status": Status.NEW}, ROUTING),
    ({"status": Status.ASSIGNED, "acknowledged_at__isnull": True}, RESPONSE),
    ({"status__in": [Status.ASSIGNED, Status.IN_PROGRESS]}, RESOLUTION),
)


def choices() -> list[tuple[str, object]]:
    """(key, label) of every kind, for a serializer field or a filter."""
    return [(kind.key, kind.label) for kind in KINDS]


def label_of(key: str | None):
    """The label of a kind key ("" for None or an unknown key)."""
    kind = BY_KEY.get(key or "")
    return kind.label if kind else ""


# --- The lookups, in Python -------------------------------------------------------------------------


def _holds(issue, lookup: str, expected) -> bool:
    name, _sep, operator = lookup.partition("__")
    value = getattr(issue, name)
    if operator == "":
        return value == expected
    if operator == "in":
        return value in expected
    if operator == "isnull":
        return (value is None) == expected
    raise ValueError(f"Unsupported lookup in issues.deadlines: {lookup}")


def matches(issue, lookups: dict) -> bool:
    """Whether `issue` satisfies `lookups` (exact, __in and __isnull; as `Q(**lookups)` would)."""
    return all(_holds(issue, lookup, expected) for lookup, expected in lookups.items())


def current_kind(issue) -> DeadlineKind | None:
    """The deadline that applies to `issue` now (Python evaluation of `CURRENT`)."""
    for condition, kind in CURRENT:
        if matches(issue, condition):
            return kind
    return None


def current_deadline(issue) -> datetime.datetime | None:
    kind = current_kind(issue)
    return kind.due(issue) if kind else None


# --- The lookups, in the database -------------------------------------------------------------------


def with_current_deadline(qs: QuerySet[Issue]) -> QuerySet[Issue]:
    """Annotate `current_deadline_kind` (a key of KINDS, or None) and `current_deadline`."""
    return qs.annotate(
        current_deadline_kind=Case(
            *(When(Q(**condition), then=Value(kind.key)) for condition, kind in CURRENT),
            default=Value(None),
            output_field=CharField(),
        ),
        current_deadline=Case(
            *(When(Q(**condition), then=F(kind.field)) for condition, kind in CURRENT),
            default=Value(None),
            output_field=DateTimeField(),
        ),
    )


def with_deadline_state(qs: QuerySet[Issue], *, now: datetime.datetime | None = None) -> QuerySet[Issue]:
    """`with_current_deadline` plus `is_overdue`: the current deadline has passed at `now`."""
    now = now or timezone.now()
    return with_current_deadline(qs).annotate(
        is_overdue=Case(
            When(current_deadline__lt=now, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


# --- The issue page: every deadline with its state ---------------------------------------------------


@dataclass
class DeadlineRow:
    key: str
    label: str
    due: datetime.datetime | None
    met: bool
    met_at: datetime.datetime | None
    is_current: bool
    days: int | None = None  # working days left, or overdue by, while not met
    overdue: bool = False


def deadline_rows(issue, *, now: datetime.datetime, calendar: WorkingCalendar | None = None) -> list[DeadlineRow]:
    """The routing, response and resolution deadlines of `issue`, which one applies now, and a
    working-day countdown for those not yet met while the issue is open."""
    current = current_kind(issue)
    rows = [
        DeadlineRow(
            key=kind.key,
            label=kind.label,
            due=kind.due(issue),
            met=matches(issue, kind.met),
            met_at=getattr(issue, kind.met_at) if kind.met_at else None,
            is_current=kind is current,
        )
        for kind in KINDS
    ]
    if not issue.is_open:
        return rows
    today = local_date(now)
    calendar = calendar or WorkingCalendar()
    for row in rows:
        if row.met or row.due is None:
            continue
        due_day = local_date(row.due)
        row.overdue = row.due < now
        row.days = calendar.working_days_between(*((due_day, today) if row.overdue else (today, due_day)))
    return rows


# --- Arithmetic -------------------------------------------------------------------------------------


def computed_deadlines(issue, calendar: WorkingCalendar) -> dict:
    """The deadline fields of `issue` from its limits and start days (a leader's explicit
    resolution deadline is kept), with `deadline_provisional` when a year without holiday data
    was counted."""
    raised_on = local_date(issue.raised_at)
    assign_day, p1 = calendar.add_working_days(raised_on, issue.assign_days)
    response_day, p2 = calendar.add_working_days(raised_on, issue.response_days)
    values = {
        "assign_deadline": end_of_day(assign_day),
        "response_deadline": end_of_day(response_day),
    }
    provisional = p1 or p2
    if not issue.deadline_explicit:
        resolution_day, p3 = calendar.add_working_days(issue.resolution_counted_from, issue.resolution_days)
        values["resolution_deadline"] = end_of_day(resolution_day)
        provisional = provisional or p3
    values["deadline_provisional"] = provisional
    return values
