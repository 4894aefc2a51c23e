"""Who may do what in intake. One rule for browser, API, imports and the demo.

- A project official (park committee or department) submits candidates for their own unit and
  edits, resubmits or withdraws them while they are drafts or returned; the supervision office
  may submit on a unit's behalf (it names the unit).
- The supervision office (督查室) reviews: returns with reasons, rejects, approves into the
  library; it alone moves projects onto and off the yearly dispatch list.
- Leaders read everything; an official reads their unit's candidates; other roles see none.
"""

from core.models import Role
from core.roles import official_of, role_of


def _department(user) -> int | None:
    official = official_of(user)
    return official.department_id if official else None


def can_view_intake(user) -> bool:
    return role_of(user) in {Role.LEADER, Role.SUPERVISOR, Role.OFFICIAL}


def can_submit(user) -> bool:
    """May create candidates (officials need a unit)."""
    role = role_of(user)
    return role == Role.SUPERVISOR or (role == Role.OFFICIAL and _department(user) is not None)


def can_submit_for(user, unit) -> bool:
    """May create a candidate in the name of `unit`."""
    role = role_of(user)
    if role == Role.SUPERVISOR:
        return True
    return role == Role.OFFICIAL and unit is not None and _department(user) == unit.pk


def is_submitter(user, candidate) -> bool:
    """Of the submitting unit (or the supervisor who created it on the unit's behalf)."""
    role = role_of(user)
    if role == Role.OFFICIAL:
        return _department(user) == candidate.unit_id
    return role == Role.SUPERVISOR and candidate.created_by_id == getattr(user, "pk", None)


def is_reviewer(user, candidate=None) -> bool:
    return role_of(user) == Role.SUPERVISOR


# Names used by intake.workflow's table: who may fire a step.
ACTOR_RULES = {"submitter": is_submitter, "reviewer": is_reviewer}


def can_take_steps(user, candidate) -> bool:
    """Whether the user may take any step on this candidate (which one: can_fire)."""
    return any(rule(user, candidate) for rule in ACTOR_RULES.values())


def can_fire(user, candidate, actors: tuple[str, ...]) -> bool:
    return any(ACTOR_RULES[name](user, candidate) for name in actors)


def can_import_candidates(user) -> bool:
    return can_submit(user)


def can_manage_dispatch(user) -> bool:
    return role_of(user) == Role.SUPERVISOR
