"""Who may do what with issues. One rule for browser, API, tasks and commands.

- Supervisors (督查室) assign, reassign and escalate; they may also confirm (销号) an issue.
- Leaders escalate and comment; they raise instructions (with an explicit deadline if they wish)
  and record site visits; they may resolve on the spot.
- Department handlers of the issue's lead department acknowledge, respond, resolve and return it.
- Service-team staff raise issues for the enterprises their teams serve and confirm results with
  the enterprise (the raiser or any member of a team serving the enterprise or its project).
- Anyone who can see an issue may comment on it (issues.selectors.issues_visible_to).

The scopes are the selectors' querysets (this module reads them; they never ask it back).
"""

from django.db.models import Q

from core.models import Role
from core.roles import official_of, role_of
from enterprises.models import ServiceTeam
from issues.selectors import enterprises_for_raising, issues_visible_to
from issues.workflow import actions_from


def _serves(user, issue) -> bool:
    """Whether the user is a member of a service team serving the issue's enterprise or project."""
    official = official_of(user)
    if official is None:
        return False
    teams = ServiceTeam.objects.filter(members=official)
    q = Q(enterprises=issue.enterprise_id)
    if issue.project_id is not None:
        q |= Q(projects=issue.project_id)
    return teams.filter(q).exists()


def is_lead_handler(user, issue) -> bool:
    """A department handler of the issue's lead department (any colleague of the assigned handler)."""
    if role_of(user) != Role.HANDLER or issue.lead_department_id is None:
        return False
    official = official_of(user)
    return official is not None and official.department_id == issue.lead_department_id


def is_confirmer(user, issue) -> bool:
    role = role_of(user)
    if role == Role.SUPERVISOR:
        return True
    if issue.raised_by_id == getattr(user, "pk", None):
        return True
    return role == Role.STAFF and _serves(user, issue)


def is_spot_resolver(user, issue) -> bool:
    role = role_of(user)
    if role == Role.LEADER:
        return True
    return role == Role.STAFF and (issue.raised_by_id == user.pk or _serves(user, issue))


def is_participant(user, issue) -> bool:
    return issues_visible_to(user).filter(pk=issue.pk).exists()


ACTOR_RULES = {
    "supervisor": lambda user, issue: role_of(user) == Role.SUPERVISOR,
    "leader": lambda user, issue: role_of(user) == Role.LEADER,
    "lead_handler": is_lead_handler,
    "confirmer": is_confirmer,
    "spot_resolver": is_spot_resolver,
    "participant": is_participant,
}


def can_transition(user, issue, transition) -> bool:
    """Whether `user` may fire `transition` (an issues.workflow.Transition) on `issue`."""
    return any(ACTOR_RULES[name](user, issue) for name in transition.actors)


def issue_available_actions(*, user, issue) -> list:
    """The workflow transitions this user may fire on this issue now (for buttons and forms)."""
    return [t for t in actions_from(issue.status) if can_transition(user, issue, t)]


def can_view_issue(user, issue) -> bool:
    return is_participant(user, issue)


def can_raise_issue(user, enterprise) -> bool:
    """Supervisors and leaders for any enterprise; staff for the enterprises their teams serve
    (directly or through a project); project officials for the owners of their projects. The
    rule itself is the queryset issues.selectors.enterprises_for_raising."""
    if enterprise is None:
        return False
    return enterprises_for_raising(user).filter(pk=enterprise.pk).exists()


def may_raise_issues(user) -> bool:
    """Whether this user's role logs issues at all (for which enterprises: can_raise_issue)."""
    return role_of(user) in {Role.LEADER, Role.SUPERVISOR, Role.STAFF, Role.OFFICIAL}


def can_instruct(user) -> bool:
    """Give a leader's instruction: choose the lead department and an explicit deadline."""
    return role_of(user) in {Role.LEADER, Role.SUPERVISOR}


def can_record_visit(user) -> bool:
    return role_of(user) in {Role.LEADER, Role.SUPERVISOR}


def can_manage_time_limits(user) -> bool:
    return role_of(user) == Role.SUPERVISOR


def can_manage_holidays(user) -> bool:
    return role_of(user) == Role.SUPERVISOR


def can_pick_handlers(user) -> bool:
    """Who routes issues to a handler (assign, reassign: the supervision office) may list the
    handlers of a department (the assign form's dependent choice)."""
    return role_of(user) == Role.SUPERVISOR


def can_act_in_bulk(user) -> bool:
    """Ticking many issues and routing or reminding them at once: the supervision office."""
    return role_of(user) == Role.SUPERVISOR
