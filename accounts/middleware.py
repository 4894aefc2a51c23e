"""Session rules enforced on the server, for pages and session-authenticated API calls alike.

Order in settings.MIDDLEWARE: after AuthenticationMiddleware and MessageMiddleware,
SessionLimitsMiddleware before django_otp's OTPMiddleware, SecondFactorMiddleware after it.
"""

import time
from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import otp
from accounts.services import SESSION_AUTH_AT, SESSION_SEEN_AT
from accounts.views import second_factor_url

# The "last seen" stamp is rewritten at most this often (a session write), so the idle limit
# is enforced to within this many seconds.
TOUCH_EVERY_SECONDS = 60


class SessionLimitsMiddleware:
    """Ends a signed-in session after SESSION_IDLE_MINUTES without a request, and in any case
    SESSION_MAX_HOURS after signing in. The user lands on the login page with a message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            auth_at = session.get(SESSION_AUTH_AT)
            seen_at = session.get(SESSION_SEEN_AT)
            if auth_at is None or seen_at is None:
                # A session from before these limits: they count from now.
                session[SESSION_AUTH_AT] = auth_at or now
                session[SESSION_SEEN_AT] = now
            elif now - seen_at > settings.SESSION_IDLE_MINUTES * 60:
                self._end(request, "idle")
            elif now - auth_at > settings.SESSION_MAX_HOURS * 3600:
                self._end(request, "max_age")
            elif now - seen_at >= TOUCH_EVERY_SECONDS:
                session[SESSION_SEEN_AT] = now
        return self.get_response(request)

    @staticmethod
    def _end(request, reason: str) -> None:
        request.logout_reason = reason
        logout(request)
        if reason == "idle":
            minutes = settings.SESSION_IDLE_MINUTES
            text = ngettext(
                "You were signed out after %(minutes)d minute without activity. Sign in again.",
                "You were signed out after %(minutes)d minutes without activity. Sign in again.",
                minutes,
            ) % {"minutes": minutes}
        else:
            hours = settings.SESSION_MAX_HOURS
            text = ngettext(
                "You were signed out: a session lasts at most %(hours)d hour. Sign in again.",
                "You were signed out: a session lasts at most %(hours)d hours. Sign in again.",
                hours,
            ) % {"hours": hours}
        messages.info(request, text)


class SecondFactorMiddleware:
    """A session that must still enter a code (accounts.otp) reaches only the code, enrolment,
    sign-in/out and language pages: pages redirect there, the API answers 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def open_paths(self) -> frozenset[str]:
        names = ["login", "logout", "accounts:otp-verify", "accounts:otp-setup", "set_language", "api-token"]
        names += ["api-logout", "admin:logout"]
        return frozenset(reverse(name) for name in names)

    def __call__(self, request):
        if otp.session_needs_code(request) and request.path not in self.open_paths:
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Enter your two-step verification code first."), "code": "otp_required"},
                    status=403,
                )
            return redirect(second_factor_url(request, request.get_full_path()))
        return self.get_response(request)


class LoginRefusalStatusMiddleware:
    """A sign-in refused by a lock (accounts.backends.LockoutBackend) answers 429 with
    Retry-After, also when the page is the login form shown again with the message (the login
    page and the admin's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        refusal = getattr(request, "login_refusal", None)
        if refusal is not None and response.status_code == 200:
            response.status_code = 429
            response["Retry-After"] = str(refusal.retry_after_seconds)
        return response
