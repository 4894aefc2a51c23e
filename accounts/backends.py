"""Authentication backends, in the order settings.AUTHENTICATION_BACKENDS lists them.

Every sign-in (login page, admin login, API token endpoint) goes through
django.contrib.auth.authenticate(request=..., username=..., password=...), so these rules hold
for all three alike.
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts import lockout

DEMO_USERNAME_PREFIX = "demo-"


def is_demo_account(username: str) -> bool:
    """The demo logins (core.demo) share one published password: never valid with DEBUG off."""
    return (username or "").startswith(DEMO_USERNAME_PREFIX)


class LockoutBackend:
    """Refuses a sign-in while its account or address is locked, before any password check.

    Raising PermissionDenied stops authenticate() from asking the next backends; the refusal is
    left on the request (`request.login_refusal`) for the view to say when to retry. It has no
    get_user(): it never signs anybody in, and sessions are never bound to it.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return None
        refusal = lockout.refusal_for(username=username, request=request)
        if refusal is not None:
            request.login_refusal = refusal
            raise PermissionDenied(refusal.message)
        return None


class AccountBackend(ModelBackend):
    """Django's user/password backend, refusing the demo logins when DEBUG is off."""

    def user_can_authenticate(self, user):
        if not settings.DEBUG and is_demo_account(user.get_username()):
            return False
        return super().user_can_authenticate(user)
