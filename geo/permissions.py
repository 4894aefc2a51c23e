"""Who may place projects and parks on the map. One rule for browser and API.

- A project's location (point and site outline): whoever may change the project
  (projects.permissions.can_edit_project: the supervision office, the project's own unit).
- A park's boundary: the supervision office and the officials of that park's committee.
- Everybody with a role reads the map of what they may see.
"""

from core.models import Role
from core.roles import official_of, role_of
from projects.permissions import can_edit_project


def can_set_location(user, project) -> bool:
    return can_edit_project(user, project)


def can_set_park_boundary(user, park) -> bool:
    role = role_of(user)
    if role == Role.SUPERVISOR:
        return True
    official = official_of(user)
    return (
        role == Role.OFFICIAL
        and official is not None
        and official.department_id is not None
        and official.department_id == park.committee_id
    )


def can_view_map(user) -> bool:
    return role_of(user) is not None
