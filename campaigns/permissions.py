"""Who may do what with campaigns. One rule for browser, API, admin and commands.

- Every user with a role reads every campaign (its statistics are a city-wide league table);
  the milestones listed under it are those the user may see (`projects.selectors`).
- The supervision office (督查室) sets up campaigns and tunes the reminder ladders.
"""

from core.models import Role
from core.roles import role_of


def can_view_campaigns(user) -> bool:
    return role_of(user) is not None


def can_manage_campaigns(user) -> bool:
    return role_of(user) == Role.SUPERVISOR


def can_edit_policy(user) -> bool:
    """Reminder ladders: of a campaign, and of the default scopes (milestones, issues)."""
    return can_manage_campaigns(user)
