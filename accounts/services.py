"""Writes about signing in and out: the audit trail of sessions, and API tokens.

Token rules (accounts.models.ApiToken): a new token per sign-in, stored as a digest only,
expiring after API_TOKEN_TTL_HOURS; signing out revokes the token used, and a supervisor can
revoke any token. Every issue and revocation is audited.
"""

import datetime
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import lockout
from accounts.models import ApiToken
from core.services import audit_record

#: Session keys: when the user signed in and when the session was last used (Unix seconds).
SESSION_AUTH_AT = "_auth_at"
SESSION_SEEN_AT = "_seen_at"


def session_started(*, request, user) -> None:
    """Stamp a new session (idle and absolute limits count from here) and audit the sign-in."""
    session = getattr(request, "session", None)
    if session is not None:
        now = int(time.time())
        session[SESSION_AUTH_AT] = now
        session[SESSION_SEEN_AT] = now
    sign_in_recorded(user=user, request=request)


def sign_in_recorded(*, user, request) -> None:
    """A successful sign-in (page, admin or API): clear the account's failures, audit it."""
    lockout.record_success(username=user.get_username())
    audit_record(
        actor=user,
        action="auth.login",
        obj=user,
        changes={"address": lockout.client_address(request), "channel": lockout.channel_of(request)},
    )


def session_ended(*, request, user, reason: str = "logout") -> None:
    """Audit the end of a session: a logout, or an expiry the middleware enforced."""
    if user is None or not getattr(user, "is_authenticated", False):
        return
    audit_record(
        actor=user,
        action="auth.logout" if reason == "logout" else "auth.session_expired",
        obj=user,
        changes={"reason": reason, "address": lockout.client_address(request)},
    )


@transaction.atomic
def token_issue(*, user, request) -> tuple[ApiToken, str]:
    """A new API token for this sign-in. Returns the row and the token itself, which is shown
    once and never stored. The user's expired tokens are dropped on the way."""
    ApiToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    token, raw = ApiToken.objects.issue(user=user, ttl=datetime.timedelta(hours=settings.API_TOKEN_TTL_HOURS))
    audit_record(
        actor=user,
        action="auth.token_issued",
        obj=token,
        changes={"token": token.token_key, "expiry": token.expiry, "address": lockout.client_address(request)},
    )
    sign_in_recorded(user=user, request=request)
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, by) -> None:
    """Revoke a token (its owner signing out, or a supervisor). It stops working at once."""
    audit_record(
        actor=by,
        action="auth.token_revoked",
        obj=token,
        changes={"token": token.token_key, "user": token.user.get_username()},
    )
    token.delete()


@transaction.atomic
def password_changed(*, user, request) -> None:
    """After a password change, the user's API tokens stop working too (Django already ends
    their other browser sessions)."""
    revoked = [token.token_key for token in ApiToken.objects.filter(user=user)]
    ApiToken.objects.filter(user=user).delete()
    audit_record(
        actor=user,
        action="auth.password_changed",
        obj=user,
        changes={"address": lockout.client_address(request), "tokens_revoked": revoked},
    )
