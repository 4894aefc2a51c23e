"""Who may do what with reminders. One rule for browser, API and tasks.

- Everyone reads and marks their own notifications, and chooses their own channels.
- The supervision office (督查室) edits reminder policies, works the supervision list (督办)
  and sees and retries failed deliveries. City leaders may read the supervision list.
"""

from core.models import Role
from core.roles import role_of
from projects.permissions import can_manage_campaigns


def can_edit_policy(user) -> bool:
    return can_manage_campaigns(user)


def can_view_supervision(user) -> bool:
    return role_of(user) in {Role.SUPERVISOR, Role.LEADER}


def can_manage_supervision(user) -> bool:
    return role_of(user) == Role.SUPERVISOR


def can_manage_deliveries(user) -> bool:
    return role_of(user) == Role.SUPERVISOR
