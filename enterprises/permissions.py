"""Who may change the directory (enterprises, chains, service teams): supervisors only."""

from core.roles import is_supervisor, role_of


def can_view_directory(user) -> bool:
    """Every user with a role reads the directory (enterprises, parks, departments, chains)."""
    return role_of(user) is not None


def can_manage_directory(user) -> bool:
    return is_supervisor(user)
