"""System checks of core's settings."""

from django.conf import settings
from django.core import checks

from core.models import AUDIT_MIN_RETENTION_DAYS


@checks.register(checks.Tags.security)
def audit_retention_check(app_configs=None, **kwargs) -> list:
    """The audit trail is kept at least six months (MLPS level 3)."""
    days = getattr(settings, "AUDIT_RETENTION_DAYS", None)
    if not isinstance(days, int) or days < AUDIT_MIN_RETENTION_DAYS:
        return [
            checks.Error(
                f"AUDIT_RETENTION_DAYS must be at least {AUDIT_MIN_RETENTION_DAYS} (six months); it is {days!r}.",
                id="core.E001",
            )
        ]
    return []
