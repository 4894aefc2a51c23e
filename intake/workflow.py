"""The steps of a candidate project as one table (the pattern of issues.workflow).

    draft ──submit──▶ submitted ──approve (入库)──▶ approved
      ▲                 │  │
      │                 │  └──reject──▶ rejected
      │                 └──return (退回)──▶ returned ──submit──▶ submitted …
      └─ edit (draft, returned)          draft / submitted / returned ──withdraw──▶ withdrawn

A `Step` carries who may fire it (`actors`: names of intake.permissions.ACTOR_RULES, any one
allows), its from-states and to-state, its note (label, required), its payload fields and its
effect on the candidate. intake.services.candidate_transition is the only code that reads it to
change a candidate's status; forms, the API's choices and the timeline's labels derive from it.
An effect is `effect(candidate, *, by, note, now, <payload fields>) -> dict` (the facts kept in
the event); approve's creates the enterprise (if new) and the project through their services.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.errors import ApplicationError
from enterprises.models import Enterprise
from enterprises.services import enterprise_create
from intake.models import Candidate, Status
from projects.models import Level, Project
from projects.services import project_create


@dataclass(frozen=True, kw_only=True)
class Step:
    action: str
    label: object  # the button, the API's choice label, the timeline
    from_states: frozenset[str]
    to_status: str
    actors: tuple[str, ...]
    note_label: object
    note_required: bool = False
    fields: tuple[str, ...] = ()  # payload names besides the note
    effect: Callable[..., dict] | None = None
    decides: bool = False  # a reviewer's decision (sets decided_at)


def _field_error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, fields={field: [message]})


def next_project_code(candidate: Candidate, now) -> str:
    """The code a candidate's project gets when the reviewer gives none: RK-<year>-<candidate>."""
    base = f"RK-{now.year}-{candidate.pk:04d}"
    code, n = base, 1
    while Project.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def _approve(candidate: Candidate, *, by, note, now, level, code) -> dict:
    if level not in Level.values:
        raise _field_error("level", _("Choose the level of the project in the library."))
    code = (code or "").strip() or next_project_code(candidate, now)
    if Project.objects.filter(code=code).exists():
        raise _field_error("code", _("A project with this code already exists."))
    enterprise = candidate.enterprise
    if enterprise is None:
        enterprise = Enterprise.objects.filter(credit_code=candidate.credit_code).first() or enterprise_create(
            by=by, name=candidate.enterprise_name, credit_code=candidate.credit_code, park=candidate.park
        )
        candidate.enterprise = enterprise
    project = project_create(
        by=by,
        code=code,
        name=candidate.name,
        enterprise=enterprise,
        park=candidate.park,
        segment=candidate.segment,
        level=level,
        total_investment=candidate.total_investment,
        planned_start=candidate.expected_start,
        construction_content=candidate.content,
        responsible_unit=candidate.unit,
    )
    candidate.project = project
    candidate.level = level
    return {"project": project.code, "level": level, "enterprise": enterprise.name}


def _submit(candidate: Candidate, *, by, note, now) -> dict:
    candidate.submitted_at = now
    return {}


STEPS: dict[str, Step] = {
    s.action: s
    for s in [
        Step(
            action="submit",
            label=pgettext_lazy("intake action", "Submit"),
            from_states=frozenset({Status.DRAFT, Status.RETURNED}),
            to_status=Status.SUBMITTED,
            actors=("submitter",),
            note_label=gettext_lazy("Note for the reviewers"),
            effect=_submit,
        ),
        Step(
            action="return",
            label=pgettext_lazy("intake action", "Return for changes"),
            from_states=frozenset({Status.SUBMITTED}),
            to_status=Status.RETURNED,
            actors=("reviewer",),
            note_label=gettext_lazy("What must change"),
            note_required=True,
            decides=True,
        ),
        Step(
            action="reject",
            label=pgettext_lazy("intake action", "Reject"),
            from_states=frozenset({Status.SUBMITTED}),
            to_status=Status.REJECTED,
            actors=("reviewer",),
            note_label=gettext_lazy("Why it is rejected"),
            note_required=True,
            decides=True,
        ),
        Step(
            action="approve",
            label=pgettext_lazy("intake action", "Approve into the library"),
            from_states=frozenset({Status.SUBMITTED}),
            to_status=Status.APPROVED,
            actors=("reviewer",),
            note_label=gettext_lazy("Note"),
            fields=("level", "code"),
            effect=_approve,
            decides=True,
        ),
        Step(
            action="withdraw",
            label=pgettext_lazy("intake action", "Withdraw"),
            from_states=frozenset({Status.DRAFT, Status.SUBMITTED, Status.RETURNED}),
            to_status=Status.WITHDRAWN,
            actors=("submitter",),
            note_label=gettext_lazy("Why it is withdrawn"),
        ),
    ]
}

# Timeline entries that are not steps.
OTHER_EVENTS = {
    "create": gettext_lazy("Created"),
    "edit": gettext_lazy("Edited"),
}

PAYLOAD_NAMES = frozenset(name for s in STEPS.values() for name in s.fields)


def step_for(action: str) -> Step | None:
    return STEPS.get(action)


def steps_from(status: str) -> list[Step]:
    return [s for s in STEPS.values() if status in s.from_states]


def event_label(action: str) -> str:
    step = STEPS.get(action)
    if step is not None:
        return str(step.label)
    return str(OTHER_EVENTS.get(action, action))
