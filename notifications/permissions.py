"""Who may do what with reminders. One rule for browser, API and tasks.

- Everyone reads and marks their own notifications, and chooses their own channels.
- The supervision office (督查室) works the supervision list (督办) and sees and retries failed
  deliveries. City leaders may read the supervision list. (Who tunes the reminder ladders is
  the campaigns app's rule: `campaigns.permissions.can_edit_policy`.)
"""

from core.models import Role
from core.roles import role_of


def can_view_supervision(user) -> bool:
    return role_of(user) in {Role.SUPERVISOR, Role.LEADER}


def can_manage_supervision(user) -> bool:
    return role_of(user) == Role.SUPERVISOR


def can_manage_deliveries(user) -> bool:
    return role_of(user) == Role.SUPERVISOR
