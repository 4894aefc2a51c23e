"""Who may change a project. One rule for browser, API, tasks and commands.

- Supervisors (督查室) may change every project and create/delete projects and annual targets.
- A project official may change the projects of their own unit: those whose responsible unit is
  their department, whose park committee is their department, or where they are the responsible
  official.
- Leaders, service-team staff and department handlers read only (leaders instruct, they never edit).
- A milestone may also be marked done by its own responsible official.
"""

from core.models import Role
from core.roles import official_of, role_of


def _is_own_project(official, project) -> bool:
    if official is None:
        return False
    if project.responsible_official_id == official.pk:
        return True
    dept = official.department_id
    if dept is None:
        return False
    return project.responsible_unit_id == dept or (project.park.committee_id == dept)


def can_edit_project(user, project) -> bool:
    role = role_of(user)
    if role == Role.SUPERVISOR:
        return True
    if role == Role.OFFICIAL:
        return _is_own_project(official_of(user), project)
    return False


def may_edit_projects(user) -> bool:
    """Whether this user's role changes any project at all (the API refuses the others before
    reading their input; which projects is can_edit_project)."""
    return role_of(user) in {Role.SUPERVISOR, Role.OFFICIAL}


def can_create_project(user) -> bool:
    return role_of(user) == Role.SUPERVISOR


def can_manage_targets(user, project=None) -> bool:
    """Annual targets are set by the city (supervisors), not by the unit being measured."""
    return role_of(user) == Role.SUPERVISOR


def can_complete_milestone(user, milestone) -> bool:
    if can_edit_project(user, milestone.project):
        return True
    official = official_of(user)
    return official is not None and role_of(user) == Role.OFFICIAL and milestone.responsible_id == official.pk
