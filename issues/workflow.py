"""The issue workflow as one table: from which states an action may fire, where it leads, who may.

`issues.services.issue_transition` is the only reader and the only writer of `Issue.status`.
A `to_status` of None keeps the state (comment, respond, escalate). `actors` name predicates in
`issues.permissions.ACTOR_RULES`; any one of them allows the action. `note_required` means the
note (reason, reply, result) must not be empty.

    new ──assign──▶ assigned ──acknowledge (回音)──▶ in_progress ──resolve (办结)──▶ resolved
     ▲                 │  ▲                            │  ▲                             │
     └──return (退回)──┴──┼────────────────────────────┘  └──────reopen (不满意)─────────┤
                          └──reassign                                                  ▼
    new ──resolve_on_spot (现场解决)──▶ closed ◀──────────────confirm (满意/基本满意)──────┘
"""

from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from issues.models import Status

ANY_STATE = frozenset(Status.values)
OPEN_STATES = frozenset(Status.open_values())


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    from_states: frozenset[str]
    to_status: str | None
    actors: tuple[str, ...]
    note_required: bool = False
    # Whether the issue row changes (and its version goes up); comments only add an event.
    changes_issue: bool = True


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            "assign", pgettext_lazy("issue action", "Assign"), frozenset({Status.NEW}), Status.ASSIGNED, ("supervisor",)
        ),
        Transition(
            "reassign",
            pgettext_lazy("issue action", "Reassign"),
            frozenset({Status.ASSIGNED, Status.IN_PROGRESS}),
            Status.ASSIGNED,
            ("supervisor",),
        ),
        Transition(
            "acknowledge",
            pgettext_lazy("issue action", "Acknowledge"),
            frozenset({Status.ASSIGNED}),
            Status.IN_PROGRESS,
            ("lead_handler",),
        ),
        Transition(
            "respond",
            pgettext_lazy("issue action", "Respond"),
            frozenset({Status.IN_PROGRESS}),
            None,
            ("lead_handler",),
            note_required=True,
            changes_issue=False,
        ),
        Transition(
            "resolve",
            pgettext_lazy("issue action", "Resolve"),
            frozenset({Status.IN_PROGRESS}),
            Status.RESOLVED,
            ("lead_handler",),
            note_required=True,
        ),
        Transition(
            "return",
            pgettext_lazy("issue action", "Return"),
            frozenset({Status.ASSIGNED, Status.IN_PROGRESS}),
            Status.NEW,
            ("lead_handler",),
            note_required=True,
        ),
        Transition(
            "confirm",
            pgettext_lazy("issue action", "Confirm"),
            frozenset({Status.RESOLVED}),
            Status.CLOSED,
            ("confirmer",),
        ),
        Transition(
            "reopen",
            pgettext_lazy("issue action", "Unsatisfied: reopen"),
            frozenset({Status.RESOLVED}),
            Status.IN_PROGRESS,
            ("confirmer",),
            note_required=True,
        ),
        Transition(
            "resolve_on_spot",
            pgettext_lazy("issue action", "Resolved on the spot"),
            frozenset({Status.NEW}),
            Status.CLOSED,
            ("spot_resolver",),
            note_required=True,
        ),
        Transition(
            "escalate",
            pgettext_lazy("issue action", "Escalate"),
            OPEN_STATES | {Status.RESOLVED},
            None,
            ("supervisor", "leader"),
        ),
        Transition(
            "comment",
            pgettext_lazy("issue action", "Comment"),
            ANY_STATE,
            None,
            ("participant",),
            note_required=True,
            changes_issue=False,
        ),
    ]
}

ACTIONS: tuple[str, ...] = tuple(TRANSITIONS)


def transition_for(action: str) -> Transition | None:
    return TRANSITIONS.get(action)


def actions_from(status: str) -> list[Transition]:
    """Transitions that may fire from `status` (before the actor is considered)."""
    return [t for t in TRANSITIONS.values() if status in t.from_states]
