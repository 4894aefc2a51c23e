"""The steps of an approval item as one table (the pattern of issues.workflow, intake.workflow).

    not_started ──start (applied_on)──▶ in_progress ──approve (approved_on)──▶ done
        │  ▲                               │                                   │
        │  └──────return (退件, reason)─────┘   ◀──────reopen (supervisor)──────┘
        └──not_applicable (reason)──▶ not_applicable ──restore (reason)──▶ not_started

A `Step` names who may fire it (`actors`: names of approvals.permissions.ACTOR_RULES, any one
allows), its from-states and to-state, its note (label, required), its payload fields (dates,
document number) and its effect on the item. approvals.services.item_transition is the only code
that reads it to change an item's status; the forms, the API's choices and the timeline's labels
derive from it. An effect is `effect(item, *, today, calendar, <payload>) -> dict` of facts kept
in the event; it raises ApplicationError with field messages.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from approvals.models import Status
from core.errors import ApplicationError


@dataclass(frozen=True, kw_only=True)
class Step:
    action: str
    label: object
    from_states: frozenset[str]
    to_status: str
    actors: tuple[str, ...]
    note_label: object
    note_required: bool = False
    fields: tuple[str, ...] = ()
    effect: Callable[..., dict] | None = None


def _error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, fields={field: [message]})


def _past_date(value, *, field: str, today, label: str):
    if not value:
        raise _error(field, label)
    if value > today:
        raise _error(field, _("This date cannot be in the future."))
    return value


def due_date_of(applied_on, time_limit_days: int, calendar) -> tuple:
    """The due date of an item applied for on `applied_on`: that many working days later (the
    start day does not count, core.calendar), and whether an unknown year was counted."""
    return calendar.add_working_days(applied_on, time_limit_days)


def _start(item, *, today, calendar, applied_on=None, **_ignored) -> dict:
    applied_on = _past_date(applied_on, field="applied_on", today=today, label=_("Give the date it was applied for."))
    item.applied_on = applied_on
    item.due_date, item.due_provisional = due_date_of(applied_on, item.time_limit_days, calendar)
    return {"applied_on": applied_on, "due_date": item.due_date}


def _approve(item, *, today, calendar, approved_on=None, approval_number="", **_ignored) -> dict:
    approved_on = _past_date(approved_on, field="approved_on", today=today, label=_("Give the date it was approved."))
    if approved_on < item.applied_on:
        raise _error("approved_on", _("The approval date cannot be before the application date."))
    item.approved_on = approved_on
    item.working_days_taken = calendar.working_days_between(item.applied_on, approved_on)
    item.approval_number = (approval_number or "").strip()[:100]
    return {
        "approved_on": approved_on,
        "working_days_taken": item.working_days_taken,
        "approval_number": item.approval_number,
    }


def _return(item, **_ignored) -> dict:
    facts = {"applied_on": item.applied_on}
    item.applied_on = item.due_date = None
    item.due_provisional = False
    return facts


def _reopen(item, **_ignored) -> dict:
    facts = {"approved_on": item.approved_on}
    item.approved_on = item.working_days_taken = None
    item.approval_number = ""
    return facts


STEPS: dict[str, Step] = {
    s.action: s
    for s in [
        Step(
            action="start",
            label=pgettext_lazy("approval action", "Applied for"),
            from_states=frozenset({Status.NOT_STARTED}),
            to_status=Status.IN_PROGRESS,
            actors=("editor", "department"),
            note_label=gettext_lazy("Note"),
            fields=("applied_on",),
            effect=_start,
        ),
        Step(
            action="approve",
            label=pgettext_lazy("approval action", "Approved"),
            from_states=frozenset({Status.IN_PROGRESS}),
            to_status=Status.DONE,
            actors=("editor", "department"),
            note_label=gettext_lazy("Note"),
            fields=("approved_on", "approval_number"),
            effect=_approve,
        ),
        Step(
            action="return",
            label=pgettext_lazy("approval action", "Returned (退件)"),
            from_states=frozenset({Status.IN_PROGRESS}),
            to_status=Status.NOT_STARTED,
            actors=("editor", "department"),
            note_label=gettext_lazy("Why it was returned, what is missing"),
            note_required=True,
            effect=_return,
        ),
        Step(
            action="not_applicable",
            label=pgettext_lazy("approval action", "Not applicable"),
            from_states=frozenset({Status.NOT_STARTED}),
            to_status=Status.NOT_APPLICABLE,
            actors=("editor",),
            note_label=gettext_lazy("Why the project does not need it"),
            note_required=True,
        ),
        Step(
            action="restore",
            label=pgettext_lazy("approval action", "Needed after all"),
            from_states=frozenset({Status.NOT_APPLICABLE}),
            to_status=Status.NOT_STARTED,
            actors=("editor",),
            note_label=gettext_lazy("Why it is needed"),
            note_required=True,
        ),
        Step(
            action="reopen",
            label=pgettext_lazy("approval action", "Reopen"),
            from_states=frozenset({Status.DONE}),
            to_status=Status.IN_PROGRESS,
            actors=("supervisor",),
            note_label=gettext_lazy("Why it is reopened"),
            note_required=True,
            effect=_reopen,
        ),
    ]
}

# Timeline entries that are not steps.
OTHER_EVENTS = {
    "create": gettext_lazy("Added to the checklist"),
    "update": gettext_lazy("Details changed"),
    "document": gettext_lazy("Document added"),
    "document_delete": gettext_lazy("Document removed"),
}

PAYLOAD_NAMES = ("applied_on", "approved_on", "approval_number")


def step_for(action: str) -> Step | None:
    return STEPS.get(action)


def steps_from(status: str) -> list[Step]:
    return [s for s in STEPS.values() if status in s.from_states]


def event_label(action: str) -> str:
    step = STEPS.get(action)
    if step is not None:
        return str(step.label)
    return str(OTHER_EVENTS.get(action, action))
