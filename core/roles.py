"""Who is who: the role of a user, read from their Official profile.

A Django superuser counts as a supervisor. A user without a profile has no role and sees
nothing beyond the directory.
"""

from core.models import Official, Role


def official_of(user) -> Official | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.official
    except Official.DoesNotExist:
        return None


def role_of(user) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Role.SUPERVISOR
    official = official_of(user)
    return official.role if official else None


def is_supervisor(user) -> bool:
    return role_of(user) == Role.SUPERVISOR


def is_leader(user) -> bool:
    return role_of(user) == Role.LEADER


def sees_everything(user) -> bool:
    """Leaders and supervisors see every record (read); writes have their own rules."""
    return role_of(user) in {Role.LEADER, Role.SUPERVISOR}


def department_id_of(user) -> int | None:
    official = official_of(user)
    return official.department_id if official else None


def has_role(user) -> bool:
    """Whether the user has a role at all (a user without one sees only the directory's login)."""
    return role_of(user) is not None
