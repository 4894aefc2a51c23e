"""Writes about signing in and out: the audit trail of sessions, and API tokens.

Token rules (accounts.models.ApiToken): a new token per sign-in, stored as a digest only,
expiring after API_TOKEN_TTL_HOURS; signing out revokes the token used, and a supervisor can
revoke any token. Every issue and revocation is audited.
"""

import datetime
import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import lockout
from accounts.models import ApiToken
from core.errors import ApplicationError, PermissionDenied
from core.models import AuditEntry
from core.roles import is_supervisor
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


# --- Leaving: deactivation, never deletion ------------------------------------------------------


def user_has_history(user) -> bool:
    """Whether the user has acted (any audit entry names them): such a user is deactivated,
    never deleted, so the history keeps who did what (the rows PROTECT the user too)."""
    return AuditEntry.objects.filter(actor=user).exists()


def _end_sessions(user) -> int:
    """Delete the user's browser sessions (the session store is the database)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_deactivate(*, user, by, reason: str = ""):
    """Someone leaves: they can no longer sign in, their API tokens and browser sessions end at
    once, and everything they did keeps their name. Supervisors only, not on themselves.
    Raises PermissionDenied or ApplicationError; nothing changes then."""
    if not is_supervisor(by):
        raise PermissionDenied(_("Only the supervision office may deactivate users."))
    if user.pk == getattr(by, "pk", None):
        raise ApplicationError(_("You cannot deactivate yourself."), code="self")
    if not user.is_active:
        raise ApplicationError(_("This user is already deactivated."), code="inactive")
    user.is_active = False
    user.save(update_fields=["is_active"])
    tokens = [token.token_key for token in ApiToken.objects.filter(user=user)]
    ApiToken.objects.filter(user=user).delete()
    sessions = _end_sessions(user)
    audit_record(
        actor=by,
        action="user.deactivate",
        obj=user,
        changes={"reason": (reason or "").strip()[:500], "tokens_revoked": tokens, "sessions_ended": sessions},
    )
    return user


@transaction.atomic
def user_reactivate(*, user, by):
    """Undo a deactivation (someone comes back): they sign in again with their password."""
    if not is_supervisor(by):
        raise PermissionDenied(_("Only the supervision office may deactivate users."))
    if user.is_active:
        raise ApplicationError(_("This user is active."), code="active")
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(actor=by, action="user.reactivate", obj=user)
    return user
