"""Lock-out per account and throttling per client address after failed sign-ins.

One rule for the login page, the admin login and the API token endpoint: they all sign in
through django.contrib.auth.authenticate(), whose first backend (accounts.backends.LockoutBackend)
asks `refusal_for` before any password is checked, and whose failure signal calls
`record_failure`. Counters live in the database (LoginThrottle rows, updated under a row lock),
so several web processes share them.

- An account (the user name as typed, existing or not, so a lock says nothing about whether the
  account exists) is locked for LOGIN_LOCKOUT_MINUTES after LOGIN_FAILURE_LIMIT failures within
  LOGIN_FAILURE_WINDOW_MINUTES. A successful sign-in clears the account's count.
- A client address is throttled the same way after LOGIN_ADDRESS_FAILURE_LIMIT failures (higher:
  an office behind one NAT address shares it). Success does not clear it.
- While locked, attempts are refused without checking the password and counted in `refused`.

Each failure and each lock-out is written to the audit trail; supervisors unlock in the admin.
"""

import datetime
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import LoginThrottle
from core.services import audit_record

Kind = LoginThrottle.Kind


@dataclass(frozen=True)
class Refusal:
    """Why a sign-in is refused before the password is checked, and until when."""

    kind: str
    until: datetime.datetime

    @property
    def retry_after_seconds(self) -> int:
        return max(1, int((self.until - timezone.now()).total_seconds() + 0.999))

    @property
    def message(self) -> str:
        minutes = max(1, (self.retry_after_seconds + 59) // 60)
        at = time_format(timezone.localtime(self.until), "H:i")
        wait = ngettext("about %(minutes)d minute", "about %(minutes)d minutes", minutes) % {"minutes": minutes}
        if self.kind == Kind.ADDRESS:
            return _("Too many failed sign-ins from this network address. Try again after %(at)s (%(wait)s).") % {
                "at": at,
                "wait": wait,
            }
        return _(
            "This account is locked after too many failed sign-ins. Try again after %(at)s (%(wait)s), "
            "or ask the supervision office to unlock it."
        ) % {"at": at, "wait": wait}


def client_address(request) -> str:
    """The client's IP address. Behind the TLS proxy (BEHIND_TLS_PROXY) it is the last entry of
    X-Forwarded-For, the one our proxy appended: entries before it are whatever the client sent."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if settings.BEHIND_TLS_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and forwarded[-1]:
            remote = forwarded[-1]
    try:
        return str(ipaddress.ip_address(remote))
    except ValueError:
        return "unknown"


def channel_of(request) -> str:
    """Which door the sign-in came through, for the audit trail."""
    path = getattr(request, "path", "") or ""
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/admin/"):
        return "admin"
    return "page"


def _keys(username: str, address: str) -> dict[str, tuple[str, str]]:
    username = (username or "")[:150]
    return {
        Kind.ACCOUNT: (f"account:{username}", username),
        Kind.ADDRESS: (f"address:{address}", address),
    }


def _limits() -> dict[str, int]:
    return {Kind.ACCOUNT: settings.LOGIN_FAILURE_LIMIT, Kind.ADDRESS: settings.LOGIN_ADDRESS_FAILURE_LIMIT}


def refusal_for(*, username: str, request) -> Refusal | None:
    """The lock that refuses this sign-in now, if any (the one that lasts longer). A refused
    attempt is counted on the lock, not as a new failure: it does not extend the lock."""
    now = timezone.now()
    keys = {key: kind for kind, (key, _value) in _keys(username, client_address(request)).items()}
    locked = list(LoginThrottle.objects.filter(key__in=keys, locked_until__gt=now).order_by("-locked_until"))
    if not locked:
        return None
    LoginThrottle.objects.filter(pk__in=[row.pk for row in locked]).update(refused=F("refused") + 1)
    return Refusal(kind=locked[0].kind, until=locked[0].locked_until)


def record_failure(*, username: str, request) -> Refusal | None:
    """Count one failed sign-in against the account and the address; lock what reached its limit.

    Writes one audit entry for the failure and one per lock-out it starts. Returns the lock this
    failure started, if any, so that the answer to it already says until when.
    """
    now = timezone.now()
    window = datetime.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    lockout = datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    address = client_address(request)
    details = {"username": (username or "")[:150], "address": address, "channel": channel_of(request)}
    limits = _limits()
    with transaction.atomic():
        rows = {}
        for kind, (key, value) in _keys(username, address).items():
            row, _created = LoginThrottle.objects.select_for_update().get_or_create(
                key=key, defaults={"kind": kind, "value": value, "window_started_at": now}
            )
            if row.window_started_at <= now - window or (row.locked_until and row.locked_until <= now):
                # The window is over, or a finished lock-out: count afresh.
                row.failures, row.window_started_at, row.locked_until, row.refused = 0, now, None, 0
            row.failures += 1
            row.last_failure_at = now
            newly_locked = row.locked_until is None and row.failures >= limits[kind]
            if newly_locked:
                row.locked_until = now + lockout
            row.save()
            rows[kind] = (row, newly_locked)
        account = rows[Kind.ACCOUNT][0]
        audit_record(
            actor=None, action="auth.login_failed", obj=account, changes={**details, "failures": account.failures}
        )
        for row, newly_locked in rows.values():
            if newly_locked:
                audit_record(
                    actor=None,
                    action="auth.locked_out",
                    obj=row,
                    changes={**details, "failures": row.failures, "locked_until": row.locked_until},
                )
        # Counters idle for a week are history (the audit trail keeps it): keep the table small.
        LoginThrottle.objects.filter(
            last_failure_at__lt=now - datetime.timedelta(days=7), locked_until__isnull=True
        ).delete()
    started = [row for row, newly_locked in rows.values() if newly_locked]
    if not started:
        return None
    longest = max(started, key=lambda row: row.locked_until)
    return Refusal(kind=longest.kind, until=longest.locked_until)


def record_success(*, username: str) -> None:
    """A successful sign-in clears the account's failure count (not the address's)."""
    key, _value = _keys(username, "")[Kind.ACCOUNT]
    LoginThrottle.objects.filter(key=key, failures__gt=0).update(failures=0, locked_until=None, refused=0)


@transaction.atomic
def throttle_unlock(*, throttle: LoginThrottle, by) -> LoginThrottle:
    """A supervisor lifts a lock (or clears a count) on an account or an address. Audited."""
    changes = {"failures": throttle.failures, "locked_until": throttle.locked_until}
    LoginThrottle.objects.filter(pk=throttle.pk).update(failures=0, locked_until=None, refused=0)
    throttle.refresh_from_db()
    audit_record(actor=by, action="auth.unlocked", obj=throttle, changes=changes)
    return throttle


def account_unlock(*, username: str, by) -> bool:
    """Unlock the account of this user name; False if it had no failures on record."""
    key, _value = _keys(username, "")[Kind.ACCOUNT]
    throttle = LoginThrottle.objects.filter(key=key).first()
    if throttle is None or (throttle.failures == 0 and throttle.locked_until is None):
        return False
    throttle_unlock(throttle=throttle, by=by)
    return True
