"""Who may do what with approvals. One rule for browser, API, the demo and the reminders.

- The project's officials (those who may change the project, projects.permissions) and the
  supervision office move an item through its steps, mark it not applicable, link the issue that
  blocks it, add documents and (re)generate the checklist.
- A department handler updates the items their department approves (applied, approved,
  returned, documents, blocking issue), on any project.
- The supervision office (督查室) may do everything, and alone reopens an approved item, changes
  an item's approving department or edits the item types (admin).
- Leaders read everything (the per-department figures of 审批提速); nobody else writes.
"""

from core.models import Role
from core.roles import department_id_of, role_of
from projects.permissions import can_edit_project


def is_editor(user, item) -> bool:
    return can_edit_project(user, item.project)


def is_department(user, item) -> bool:
    return (
        role_of(user) == Role.HANDLER
        and item.department_id is not None
        and department_id_of(user) == item.department_id
    )


def is_supervisor(user, item=None) -> bool:
    return role_of(user) == Role.SUPERVISOR


ACTOR_RULES = {"editor": is_editor, "department": is_department, "supervisor": is_supervisor}


def can_fire(user, item, actors: tuple[str, ...]) -> bool:
    return is_supervisor(user) or any(ACTOR_RULES[name](user, item) for name in actors)


def can_update_item(user, item) -> bool:
    """Dates, time limit, note, blocking issue, documents."""
    return is_supervisor(user) or is_editor(user, item) or is_department(user, item)


def can_change_department(user, item=None) -> bool:
    return is_supervisor(user)


def can_generate_checklist(user, project) -> bool:
    return can_edit_project(user, project)


def may_generate_checklists(user) -> bool:
    """Whose role may create checklists at all (the project is checked by can_generate_checklist)."""
    return role_of(user) in {Role.OFFICIAL, Role.SUPERVISOR}


def can_view_department_figures(user) -> bool:
    return role_of(user) in {Role.LEADER, Role.SUPERVISOR, Role.HANDLER, Role.OFFICIAL}
