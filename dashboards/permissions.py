"""Who may do what with dashboards. One rule for browser, API, tasks and commands.

- Every user with a role sees the cockpit, the chain map and the briefing, each figure over the
  rows they may read (projects.selectors / issues.selectors scope them).
- Supervisors (督查室) import the project list, publish league tables and tune the rules.
"""

from core.roles import is_supervisor, role_of
from projects.permissions import can_create_project


def can_view_dashboard(user) -> bool:
    return role_of(user) is not None


def can_import_projects(user) -> bool:
    return can_create_project(user)


def can_publish_league(user) -> bool:
    return is_supervisor(user)


def can_edit_rules(user) -> bool:
    return is_supervisor(user)
