"""A milestone's state, defined once. The project page, the campaign pages and statistics, the
cockpit (campaign summary, health), the API, the exports and the reminders all read it here.

On a day D (normally today) a milestone is
- *met*      when it was completed on or before D;
- *overdue*  when it is not met and its due date is before D;
- *due*      when it is not met and its due date is D or later; *due soon* when it is due
             within DUE_SOON_DAYS days (the first reminder of the default ladder).
It was *met on time* when completed on or before its due date; it is *due so far* when its due
date is D or earlier (what a unit already owed on D).

Each state is one row of `RULES`: whether the milestone is met on D, and how its due date
compares with D. The database conditions (`state_q`, the `state` annotation) and the evaluation
of a loaded row (`state_of`) are both derived from that one table, so they cannot disagree.
Asking "as of" a past day gives the state the milestone had then (the cockpit's health as of a
report date): a completion after D does not count on D.
"""

import datetime
import operator
from dataclasses import dataclass

from django.db import models
from django.db.models import BooleanField, Case, Count, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

#: A milestone not yet met is "due soon" this many days ahead (the first rung of the default ladder).
DUE_SOON_DAYS = 7


class State(models.TextChoices):
    MET = "met", _("Met")
    DUE = "due", _("To do")
    OVERDUE = "overdue", _("Overdue")


@dataclass(frozen=True)
class Rule:
    """`met`: completed on or before the day. `due`: (lookup, days) pairs, each comparing the due
    date with the day plus `days` ("lt": before, "gte": on or after, "lte": on or before)."""

    met: bool
    due: tuple[tuple[str, int], ...] = ()


RULES: dict[str, Rule] = {
    State.MET: Rule(met=True),
    State.OVERDUE: Rule(met=False, due=(("lt", 0),)),
    State.DUE: Rule(met=False, due=(("gte", 0),)),
}
DUE_SOON = Rule(met=False, due=(("gte", 0), ("lte", DUE_SOON_DAYS)))

_COMPARE = {"lt": operator.lt, "gte": operator.ge, "lte": operator.le}


def _shift(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


# --- In the database ------------------------------------------------------------------------------


def met_q(day: datetime.date, prefix: str = "") -> Q:
    """Met on `day`: completed on or before it. `prefix` reaches milestones through a relation."""
    return Q(**{f"{prefix}completed_on__lte": day})


def open_q(day: datetime.date, prefix: str = "") -> Q:
    """Not met on `day` (due or overdue): never completed, or completed only later."""
    return ~met_q(day, prefix)


def rule_q(rule: Rule, day: datetime.date, prefix: str = "") -> Q:
    q = met_q(day, prefix) if rule.met else open_q(day, prefix)
    for lookup, days in rule.due:
        q &= Q(**{f"{prefix}due_date__{lookup}": _shift(day, days)})
    return q


def state_q(state: str, *, day: datetime.date, prefix: str = "") -> Q:
    """The condition of one state (met / due / overdue) on `day`."""
    return rule_q(RULES[state], day, prefix)


def due_soon_q(day: datetime.date, prefix: str = "") -> Q:
    return rule_q(DUE_SOON, day, prefix)


def met_on_time_q(day: datetime.date, prefix: str = "") -> Q:
    """Met on `day`, and completed on or before the due date."""
    return met_q(day, prefix) & Q(**{f"{prefix}completed_on__lte": F(f"{prefix}due_date")})


def due_so_far_q(day: datetime.date, prefix: str = "") -> Q:
    """Due on or before `day`: what was already owed then."""
    return Q(**{f"{prefix}due_date__lte": day})


def state_annotations(day: datetime.date) -> dict:
    """`state` (met / due / overdue) and `due_soon`, for `QuerySet.annotate(**…)`."""
    return {
        "state": Case(
            *(When(state_q(state, day=day), then=Value(state.value)) for state in RULES),
            output_field=models.CharField(max_length=10),
        ),
        "due_soon": Case(When(due_soon_q(day), then=Value(True)), default=Value(False), output_field=BooleanField()),
    }


def state_counts(day: datetime.date, prefix: str = "") -> dict:
    """Aggregates over milestones (through `prefix`, e.g. "milestones__"): `total`, one count per
    state, `met_on_time` and `due_so_far`, for `aggregate(**…)` / `annotate(**…)`."""

    def count(condition: Q | None = None) -> Count:
        # Through a relation the join may repeat rows; counting distinct keys keeps counts exact.
        return Count(f"{prefix}pk", filter=condition, distinct=bool(prefix))

    return {
        "total": count(),
        **{state.value: count(state_q(state, day=day, prefix=prefix)) for state in RULES},
        "met_on_time": count(met_on_time_q(day, prefix)),
        "due_so_far": count(due_so_far_q(day, prefix)),
    }


# --- On a loaded row ------------------------------------------------------------------------------


def _is_met(milestone, day: datetime.date) -> bool:
    return milestone.completed_on is not None and milestone.completed_on <= day


def rule_holds(rule: Rule, milestone, day: datetime.date) -> bool:
    return _is_met(milestone, day) == rule.met and all(
        _COMPARE[lookup](milestone.due_date, _shift(day, days)) for lookup, days in rule.due
    )


def state_of(milestone, day: datetime.date) -> str:
    """The state of a loaded milestone on `day`, by the same rules as `state_q`."""
    return next(state.value for state, rule in RULES.items() if rule_holds(rule, milestone, day))


def is_due_soon(milestone, day: datetime.date) -> bool:
    return rule_holds(DUE_SOON, milestone, day)


def is_met_on_time(milestone, day: datetime.date) -> bool:
    return _is_met(milestone, day) and milestone.completed_on <= milestone.due_date


# --- The timeline strip (Gantt) of planned against done ------------------------------------------


@dataclass(frozen=True)
class StripRow:
    """One milestone on the strip, positions in percent of the strip's width (0–100). The bar runs
    between the due date and the completion (or today while it is overdue): late in red, early
    in green; the planned mark is at the due date, the done mark at the completion."""

    title: str
    state: str
    due_date: datetime.date
    completed_on: datetime.date | None
    planned_x: float
    done_x: float | None
    bar_x: float
    bar_width: float
    late: bool
    label: str = ""


@dataclass(frozen=True)
class Strip:
    start: datetime.date
    end: datetime.date
    today_x: float | None
    rows: list


def timeline_strip(milestones, *, today: datetime.date, label=None) -> Strip | None:
    """The Gantt strip of `milestones` (objects with title, due_date, completed_on), ordered by due
    date, on one time axis that covers every date and today; None without a milestone.
    `label(m)` names a row's project (the campaign page's strip)."""
    items = sorted(milestones, key=lambda m: (m.due_date, m.pk))
    if not items:
        return None
    dates = [today] + [m.due_date for m in items] + [m.completed_on for m in items if m.completed_on]
    start, end = min(dates), max(dates)
    pad = max((end - start).days // 20, 3)
    start, end = start - datetime.timedelta(days=pad), end + datetime.timedelta(days=pad)
    span = (end - start).days

    def x(day):
        return round(100 * (day - start).days / span, 2)

    rows = []
    for m in items:
        state = state_of(m, today)
        finish = m.completed_on or (today if state == State.OVERDUE else None)
        left, right = (m.due_date, finish) if finish is None or finish >= m.due_date else (finish, m.due_date)
        rows.append(
            StripRow(
                title=m.title,
                state=state,
                due_date=m.due_date,
                completed_on=m.completed_on,
                planned_x=x(m.due_date),
                done_x=x(m.completed_on) if m.completed_on else None,
                bar_x=x(left),
                bar_width=round(x(right) - x(left), 2) if finish else 0,
                late=bool(finish and finish > m.due_date),
                label=label(m) if label else "",
            )
        )
    return Strip(start=start, end=end, today_x=x(today), rows=rows)
