"""System checks that keep a production start-up honest.

- accounts.E001 (database; runs with `migrate` and `check --database default`): demo logins
  that still have the published demo password, while DEBUG is off. docker-compose's one-off
  `migrate` service runs it, so the stack does not start with them.
- accounts.W001 (deploy): with DEBUG off, supervisors and admin users should need a second factor.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError

from accounts.backends import DEMO_USERNAME_PREFIX


@register(Tags.database)
def demo_logins_with_debug_off(app_configs=None, databases=None, **kwargs):
    if settings.DEBUG or not databases:
        return []
    try:
        demo_users = list(get_user_model().objects.filter(username__startswith=DEMO_USERNAME_PREFIX, is_active=True))
    except DatabaseError:
        return []  # tables not migrated yet: nothing to find
    published = [user.username for user in demo_users if user.check_password(settings.DEMO_PASSWORD)]
    if not published:
        return []
    return [
        Error(
            f"DEBUG is off but {len(published)} demo login(s) still have the demo password: "
            f"{', '.join(sorted(published)[:5])}.",
            hint="Demo data does not belong in production: deactivate these users or set other "
            "passwords (they cannot sign in with DEBUG off anyway).",
            id="accounts.E001",
        )
    ]


@register(Tags.security, deploy=True)
def second_factor_in_production(app_configs=None, **kwargs):
    if settings.DEBUG or settings.OTP_REQUIRED_FOR_SUPERVISORS:
        return []
    return [
        Warning(
            "OTP_REQUIRED_FOR_SUPERVISORS is off: supervisors and admin users sign in with a password only.",
            hint="Set OTP_REQUIRED_FOR_SUPERVISORS=1 (the default with DEBUG off).",
            id="accounts.W001",
        )
    ]
