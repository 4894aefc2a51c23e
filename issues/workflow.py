"""The issue workflow as one table. Everything about an action is declared in its row.

    new ──assign──▶ assigned ──acknowledge (回音)──▶ in_progress ──resolve (办结)──▶ resolved
     ▲                 │  ▲                            │  ▲                             │
     └──return (退回)──┴──┼────────────────────────────┘  └──────reopen (不满意)─────────┤
                          └──reassign                                                  ▼
    new ──resolve_on_spot (现场解决)──▶ closed ◀──────────────confirm (满意/基本满意)──────┘

A `Transition` carries: who may fire it (`actors`, names of issues.permissions.ACTOR_RULES, any
one allows), its from-states and to-state (None keeps the state), its effect on the issue (a
function and the fields it may change), its payload fields, its note (label, help, required),
its button label, its timeline label and details, and its audience (who is told, see
`AUDIENCES`). What is derived from the table and nowhere else written:

- issues.services.issue_transition: the guard, the payload check, the effect, the fields saved;
- issues.forms.IssueActionForm: the fields of each action's form, the note's label and help;
- issues.api.validators: one request serializer per action (and so the OpenAPI schema);
- issues.views: which form offers which action, the timeline's labels and details;
- notifications: who hears of each event (`audience`).

An effect is `effect(issue, *, by, note, now, m2m, <payload fields>)`: its keyword parameters
beyond the common ones are exactly its payload fields (tests/issues/test_workflow_table.py checks
that). It validates the domain rules of its payload, sets attributes on the locked issue (only
those named in `changes`; the service refuses any other) and puts many-to-many values in `m2m`;
it returns the facts to record in the event's data. `EVENTS` adds the timeline entries that are
not transitions ("raise", "deadlines_recomputed") with their labels, details and audience.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.calendar import WorkingCalendar, local_date
from core.errors import ApplicationError
from core.models import Department, Official, Role
from issues import deadlines
from issues.models import Issue, Outcome, Satisfaction, Status

ANY_STATE = frozenset(Status.values)
OPEN_STATES = frozenset(Status.open_values())

# Who may be told of an event (notifications resolves each name to people).
AUDIENCES = {
    "owner": _("the handler, else the head of the lead department"),
    "head": _("the head of the lead department"),
    "raiser": _("who logged the issue"),
    "supervisors": _("the supervision office"),
    "leader": _("the project's assigned leader"),
}

# How a payload field is typed: forms and serializers each map every kind to a field.
FIELD_KINDS = frozenset({"department", "departments", "handler", "choice"})


@dataclass(frozen=True, kw_only=True)
class PayloadField:
    """One input of an action besides `version` and `note`."""

    name: str
    kind: str  # one of FIELD_KINDS
    label: str
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # kind "choice": (value, label)
    blank_label: str = ""  # an optional choice: the label of "none"; a handler: "any handler"
    help_text: str = ""
    message: str = ""  # the error for a missing or invalid value (forms, serializers, effects alike)
    prefill: bool = False  # the form starts from the issue's current value


@dataclass(frozen=True, kw_only=True)
class Offer:
    """This action has no form of its own: `action`'s form fires it when `field` is `value`."""

    action: str
    field: str
    value: str


# How an event's fact is shown (issues.views maps each to a format).
DETAIL_SHOWS = frozenset({"name", "names", "day", "choice", "count"})


@dataclass(frozen=True)
class Detail:
    """One fact of an event's data shown on the timeline: `data[key]` shown as `show`
    ("name": a name or [before, after]; "names": a list; "day": an ISO date or datetime;
    "choice": a value of `choices`; "count": a number), inside `text` ("%(value)s") if any."""

    key: str
    show: str
    text: str | None = None
    choices: type | None = None


@dataclass(frozen=True, kw_only=True)
class Event:
    """A kind of timeline entry that is not a transition."""

    name: str
    event_label: str
    audience: tuple[str, ...]
    details: tuple[Detail, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Transition:
    action: str
    label: str  # the button, the API summary, messages
    from_states: frozenset[str]
    to_status: str | None
    actors: tuple[str, ...]
    effect: Callable[..., dict]
    changes: frozenset[str]  # the Issue fields (and many-to-many fields) the effect may change
    fields: tuple[PayloadField, ...]
    note_label: str
    note_help: str = ""
    note_required: bool = False
    event_label: str  # the timeline
    details: tuple[Detail, ...] = ()
    audience: tuple[str, ...]  # names of AUDIENCES; () = nobody, declared
    offered_by: Offer | None = None

    @property
    def name(self) -> str:
        return self.action

    @property
    def changes_issue(self) -> bool:
        """Whether the action changes fields of the issue row (a reply or a comment only adds an
        event; the version goes up either way)."""
        return bool(self.changes) or self.to_status is not None

    @property
    def field_names(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields)

    def payload_field(self, name: str) -> PayloadField | None:
        return next((f for f in self.fields if f.name == name), None)


def _note_required_message(label) -> str:
    return gettext("Write a note: it is required for “%(action)s”.") % {"action": label}


note_required_message = lazy(_note_required_message, str)


def _unused_field_message(label) -> str:
    return gettext("This field is not used by “%(action)s”.") % {"action": label}


unused_field_message = lazy(_unused_field_message, str)


# --- Payload fields -------------------------------------------------------------------------------

LEAD_DEPARTMENT = PayloadField(
    name="lead_department",
    kind="department",
    label=_("Lead department"),
    required=True,
    message=_("Choose the lead department."),
    prefill=True,
)
CO_DEPARTMENTS = PayloadField(name="co_departments", kind="departments", label=_("Co-handling departments"))
HANDLER = PayloadField(
    name="handler",
    kind="handler",
    label=_("Handler"),
    blank_label=_("Any handler of the lead department"),
    help_text=_("Must belong to the lead department."),
    message=_("The handler must be a department handler."),
    prefill=True,
)
OUTCOME = PayloadField(
    name="outcome",
    kind="choice",
    label=_("Outcome"),
    required=True,
    choices=tuple(Outcome.choices),
    message=_("Say whether the problem was solved or cannot be solved."),
)
# The ratings an action accepts (named enums of the OpenAPI schema, SPECTACULAR_SETTINGS).
UNSATISFIED_CHOICES = ((Satisfaction.UNSATISFIED, Satisfaction.UNSATISFIED.label),)
SATISFIED_CHOICES = (
    (Satisfaction.SATISFIED, Satisfaction.SATISFIED.label),
    (Satisfaction.BASICALLY, Satisfaction.BASICALLY.label),
)
RATING = PayloadField(
    name="satisfaction",
    kind="choice",
    label=_("The enterprise's rating"),
    required=True,
    choices=SATISFIED_CHOICES,
    message=_("Choose the enterprise's rating."),
)
UNSATISFIED_RATING = PayloadField(
    name="satisfaction",
    kind="choice",
    label=_("The enterprise's rating"),
    choices=UNSATISFIED_CHOICES,
    help_text=_("Optional: the rating is recorded as unsatisfied."),
    message=_("A satisfied rating closes the issue: choose “confirm” instead."),
)
SPOT_RATING = PayloadField(
    name="satisfaction",
    kind="choice",
    label=_("The enterprise's rating"),
    choices=SATISFIED_CHOICES,
    blank_label=_("Not rated"),
    message=_("An issue resolved on the spot is rated satisfied or basically satisfied."),
)


# --- Timeline details -----------------------------------------------------------------------------

LEAD_DETAIL = Detail("lead_department", "name", _("Lead department: %(value)s"))
CO_DETAIL = Detail("co_departments", "names", _("Co-handling: %(value)s"))
HANDLER_DETAIL = Detail("handler", "name", _("Handler: %(value)s"))
EXPLICIT_DEADLINE_DETAIL = Detail("deadline", "day", _("Resolution deadline: %(value)s"))
NEW_DEADLINE_DETAIL = Detail("resolution_deadline", "day", _("New resolution deadline: %(value)s"))
OUTCOME_DETAIL = Detail("outcome", "choice", choices=Outcome)
SATISFACTION_DETAIL = Detail("satisfaction", "choice", choices=Satisfaction)
PHOTOS_DETAIL = Detail("photos", "count", ngettext_lazy("%(value)d photo", "%(value)d photos", "value"))


# --- Effects --------------------------------------------------------------------------------------


def field_error(name: str, message) -> ApplicationError:
    message = str(message)
    return ApplicationError(message, fields={name: [message]})


def _name(obj) -> str | None:
    return str(obj) if obj is not None else None


def check_department_assignment(*, lead_department, co_departments, handler) -> list[Department]:
    """The co-handling departments without the lead one; refuses a missing lead department and
    a handler who is not a handler of the lead department."""
    if not isinstance(lead_department, Department):
        raise field_error(LEAD_DEPARTMENT.name, LEAD_DEPARTMENT.message)
    co = [d for d in (co_departments or []) if d.pk != lead_department.pk]
    if handler is not None:
        if not isinstance(handler, Official) or handler.role != Role.HANDLER:
            raise field_error(HANDLER.name, HANDLER.message)
        if handler.department_id != lead_department.pk:
            raise field_error(HANDLER.name, gettext("The handler must belong to the lead department."))
    return co


def _working_days_to(issue: Issue, now) -> int:
    return WorkingCalendar().working_days_between(local_date(issue.raised_at), local_date(now))


def _assign(issue: Issue, *, by, note, now, m2m, lead_department, co_departments, handler) -> dict:
    co = check_department_assignment(lead_department=lead_department, co_departments=co_departments, handler=handler)
    before = _name(issue.lead_department)
    issue.lead_department = lead_department
    issue.handler = handler
    m2m["co_departments"] = co
    return {
        "lead_department": [before, _name(lead_department)] if before else _name(lead_department),
        "co_departments": [str(d) for d in co],
        "handler": _name(handler),
    }


def _acknowledge(issue: Issue, *, by, note, now, m2m) -> dict:
    if issue.acknowledged_at is None:  # the first response is what the response rate measures
        issue.acknowledged_at = now
    if issue.handler_id is None:
        issue.handler = by.official
    return {"handler": _name(issue.handler)}


def _resolve(issue: Issue, *, by, note, now, m2m, outcome) -> dict:
    if outcome not in Outcome.values:
        raise field_error(OUTCOME.name, OUTCOME.message)
    issue.outcome = outcome
    issue.resolution = note
    issue.resolved_at = now
    issue.working_days_to_resolve = _working_days_to(issue, now)
    if issue.handler_id is None:
        issue.handler = by.official
    return {"outcome": outcome, "working_days": issue.working_days_to_resolve}


def _return(issue: Issue, *, by, note, now, m2m) -> dict:
    data = {"lead_department": _name(issue.lead_department)}
    issue.lead_department = None
    issue.handler = None
    m2m["co_departments"] = []
    return data


def _confirm(issue: Issue, *, by, note, now, m2m, satisfaction) -> dict:
    if satisfaction == Satisfaction.UNSATISFIED:
        raise field_error(RATING.name, gettext("An unsatisfied rating reopens the issue: choose “reopen” instead."))
    if satisfaction not in Satisfaction.values:
        raise field_error(RATING.name, RATING.message)
    issue.satisfaction = satisfaction
    issue.closed_at = now
    return {"satisfaction": satisfaction}


def _reopen(issue: Issue, *, by, note, now, m2m, satisfaction) -> dict:
    if satisfaction not in (None, "", Satisfaction.UNSATISFIED):
        raise field_error(UNSATISFIED_RATING.name, UNSATISFIED_RATING.message)
    data = {"previous_outcome": issue.outcome, "previous_result": issue.resolution}
    issue.satisfaction = Satisfaction.UNSATISFIED
    issue.resolved_at = None
    issue.outcome = ""
    issue.resolution = ""
    issue.working_days_to_resolve = None
    issue.reopened_count += 1
    # The department gets a fresh resolution limit from today (unless a leader fixed the date).
    issue.resolution_counted_from = local_date(now)
    if not issue.deadline_explicit:
        for name, value in deadlines.computed_deadlines(issue, WorkingCalendar()).items():
            setattr(issue, name, value)
        data["resolution_deadline"] = issue.resolution_deadline.isoformat()
    return data


def _resolve_on_spot(issue: Issue, *, by, note, now, m2m, satisfaction) -> dict:
    satisfaction = satisfaction or ""
    if satisfaction and satisfaction not in (Satisfaction.SATISFIED, Satisfaction.BASICALLY):
        raise field_error(SPOT_RATING.name, SPOT_RATING.message)
    issue.outcome = Outcome.SOLVED
    issue.resolution = note
    issue.acknowledged_at = issue.acknowledged_at or now
    issue.resolved_at = now
    issue.closed_at = now
    issue.satisfaction = satisfaction
    issue.working_days_to_resolve = _working_days_to(issue, now)
    return {"satisfaction": satisfaction}


def _escalate(issue: Issue, *, by, note, now, m2m) -> dict:
    issue.escalated = True
    issue.escalated_at = now
    return {}


def _event_only(issue: Issue, *, by, note, now, m2m) -> dict:
    return {}


_ASSIGNMENT = frozenset({"lead_department", "handler", "co_departments"})
_RESOLUTION = frozenset({"outcome", "resolution", "resolved_at", "working_days_to_resolve"})


# --- The table ------------------------------------------------------------------------------------

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            action="assign",
            label=pgettext_lazy("issue action", "Assign"),
            from_states=frozenset({Status.NEW}),
            to_status=Status.ASSIGNED,
            actors=("supervisor",),
            effect=_assign,
            changes=_ASSIGNMENT,
            fields=(LEAD_DEPARTMENT, CO_DEPARTMENTS, HANDLER),
            note_label=_("Note for the department"),
            event_label=pgettext_lazy("issue action", "Assign"),
            details=(LEAD_DETAIL, CO_DETAIL, HANDLER_DETAIL, EXPLICIT_DEADLINE_DETAIL),
            audience=("owner",),
        ),
        Transition(
            action="reassign",
            label=pgettext_lazy("issue action", "Reassign"),
            from_states=frozenset({Status.ASSIGNED, Status.IN_PROGRESS}),
            to_status=Status.ASSIGNED,
            actors=("supervisor",),
            effect=_assign,
            changes=_ASSIGNMENT,
            fields=(LEAD_DEPARTMENT, CO_DEPARTMENTS, HANDLER),
            note_label=_("Reason for reassigning"),
            event_label=pgettext_lazy("issue action", "Reassign"),
            details=(LEAD_DETAIL, CO_DETAIL, HANDLER_DETAIL),
            audience=("owner",),
        ),
        Transition(
            action="acknowledge",
            label=pgettext_lazy("issue action", "Acknowledge"),
            from_states=frozenset({Status.ASSIGNED}),
            to_status=Status.IN_PROGRESS,
            actors=("lead_handler",),
            effect=_acknowledge,
            changes=frozenset({"acknowledged_at", "handler"}),
            fields=(),
            note_label=_("First response to the enterprise"),
            event_label=pgettext_lazy("issue action", "Acknowledge"),
            audience=("raiser",),
        ),
        Transition(
            action="respond",
            label=pgettext_lazy("issue action", "Respond"),
            from_states=frozenset({Status.IN_PROGRESS}),
            to_status=None,
            actors=("lead_handler",),
            effect=_event_only,
            changes=frozenset(),
            fields=(),
            note_label=_("Reply"),
            note_required=True,
            event_label=pgettext_lazy("issue action", "Respond"),
            audience=("raiser",),
        ),
        Transition(
            action="resolve",
            label=pgettext_lazy("issue action", "Resolve"),
            from_states=frozenset({Status.IN_PROGRESS}),
            to_status=Status.RESOLVED,
            actors=("lead_handler",),
            effect=_resolve,
            changes=_RESOLUTION | {"handler"},
            fields=(OUTCOME,),
            note_label=_("Result"),
            note_help=_("What was done; if it cannot be solved, explain why."),
            note_required=True,
            event_label=pgettext_lazy("issue action", "Resolve"),
            details=(OUTCOME_DETAIL,),
            audience=("raiser",),
        ),
        Transition(
            action="return",
            label=pgettext_lazy("issue action", "Return"),
            from_states=frozenset({Status.ASSIGNED, Status.IN_PROGRESS}),
            to_status=Status.NEW,
            actors=("lead_handler",),
            effect=_return,
            changes=_ASSIGNMENT,
            fields=(),
            note_label=_("Reason for returning"),
            note_help=_("Required: why this issue is not your department's."),
            note_required=True,
            event_label=pgettext_lazy("issue action", "Return"),
            audience=("supervisors",),
        ),
        Transition(
            action="confirm",
            label=pgettext_lazy("issue action", "Confirm"),
            from_states=frozenset({Status.RESOLVED}),
            to_status=Status.CLOSED,
            actors=("confirmer",),
            effect=_confirm,
            changes=frozenset({"satisfaction", "closed_at"}),
            fields=(RATING,),
            note_label=_("What the enterprise said"),
            note_help=_("Required when the enterprise is unsatisfied: what is still wrong."),
            event_label=pgettext_lazy("issue action", "Confirm"),
            details=(SATISFACTION_DETAIL,),
            audience=("owner",),
        ),
        Transition(
            action="reopen",
            label=pgettext_lazy("issue action", "Unsatisfied: reopen"),
            from_states=frozenset({Status.RESOLVED}),
            to_status=Status.IN_PROGRESS,
            actors=("confirmer",),
            effect=_reopen,
            changes=_RESOLUTION
            | {
                "satisfaction",
                "reopened_count",
                "resolution_counted_from",
                "assign_deadline",
                "response_deadline",
                "resolution_deadline",
                "deadline_provisional",
            },
            fields=(UNSATISFIED_RATING,),
            note_label=_("Why the enterprise is unsatisfied"),
            note_required=True,
            event_label=pgettext_lazy("issue action", "Unsatisfied: reopen"),
            details=(NEW_DEADLINE_DETAIL,),
            audience=("owner",),
            # The raiser rates the result in one form: 不满意 reopens the issue.
            offered_by=Offer(action="confirm", field="satisfaction", value=Satisfaction.UNSATISFIED),
        ),
        Transition(
            action="resolve_on_spot",
            label=pgettext_lazy("issue action", "Resolved on the spot"),
            from_states=frozenset({Status.NEW}),
            to_status=Status.CLOSED,
            actors=("spot_resolver",),
            effect=_resolve_on_spot,
            changes=_RESOLUTION | {"acknowledged_at", "closed_at", "satisfaction"},
            fields=(SPOT_RATING,),
            note_label=_("How it was solved on the spot"),
            note_required=True,
            event_label=pgettext_lazy("issue action", "Resolved on the spot"),
            details=(SATISFACTION_DETAIL,),
            audience=(),
        ),
        Transition(
            action="escalate",
            label=pgettext_lazy("issue action", "Escalate"),
            from_states=OPEN_STATES | {Status.RESOLVED},
            to_status=None,
            actors=("supervisor", "leader"),
            effect=_escalate,
            changes=frozenset({"escalated", "escalated_at"}),
            fields=(),
            note_label=_("Why it is escalated"),
            event_label=pgettext_lazy("issue action", "Escalate"),
            audience=("owner", "head", "leader"),
        ),
        Transition(
            action="remind",
            label=pgettext_lazy("issue action", "Remind"),
            from_states=frozenset({Status.ASSIGNED, Status.IN_PROGRESS}),
            to_status=None,
            actors=("supervisor",),
            effect=_event_only,
            changes=frozenset(),
            fields=(),
            note_label=_("Message to the department"),
            note_help=_("Optional: what you expect, and by when."),
            event_label=pgettext_lazy("issue action", "Reminded"),
            audience=("owner",),
        ),
        Transition(
            action="comment",
            label=pgettext_lazy("issue action", "Comment"),
            from_states=ANY_STATE,
            to_status=None,
            actors=("participant",),
            effect=_event_only,
            changes=frozenset(),
            fields=(),
            note_label=_("Comment"),
            note_required=True,
            event_label=pgettext_lazy("issue action", "Comment"),
            audience=(),
        ),
    ]
}

ACTIONS: tuple[str, ...] = tuple(TRANSITIONS)

# Timeline entries that are not transitions.
OTHER_EVENTS: dict[str, Event] = {
    e.name: e
    for e in [
        Event(name="raise", event_label=_("Logged"), details=(PHOTOS_DETAIL,), audience=()),
        Event(name="deadlines_recomputed", event_label=_("Deadlines recomputed"), audience=()),
    ]
}
EVENTS: dict[str, Transition | Event] = {**TRANSITIONS, **OTHER_EVENTS}

# Every payload field name of any action (a field another action reads is refused, not ignored).
PAYLOAD_NAMES = frozenset(f.name for t in TRANSITIONS.values() for f in t.fields)


def transition_for(action: str) -> Transition | None:
    return TRANSITIONS.get(action)


def event_for(name: str) -> Transition | Event | None:
    return EVENTS.get(name)


def event_label(name: str) -> str:
    """The timeline label of an event (its name if unknown, e.g. an action since removed)."""
    event = EVENTS.get(name)
    return event.event_label if event else name


def actions_from(status: str) -> list[Transition]:
    """Transitions that may fire from `status` (before the actor is considered)."""
    return [t for t in TRANSITIONS.values() if status in t.from_states]


# --- Forms that offer other actions -----------------------------------------------------------------


def form_action(action: str) -> str:
    """The action whose form offers `action` (itself, unless it is offered by another's form)."""
    offer = TRANSITIONS[action].offered_by
    return offer.action if offer else action


def offered_through(action: str) -> list[Transition]:
    """The transitions `action`'s form also fires (by a value of one of its fields)."""
    return [t for t in TRANSITIONS.values() if t.offered_by and t.offered_by.action == action]


def form_choices(action: str, payload_field: PayloadField) -> list[tuple[str, str]]:
    """The choices `action`'s form shows for `payload_field`: its own and the values that fire the
    actions it offers (confirm: satisfied, basically satisfied, and unsatisfied → reopen)."""
    result = list(payload_field.choices)
    for other in offered_through(action):
        if other.offered_by.field == payload_field.name:
            own = other.payload_field(payload_field.name)
            result += [c for c in own.choices if c[0] == other.offered_by.value]
    return result


def fired_action(action: str, values: dict) -> str:
    """The action a submitted form of `action` fires: an offered one when its value was chosen."""
    for other in offered_through(action):
        if values.get(other.offered_by.field) == other.offered_by.value:
            return other.action
    return action
