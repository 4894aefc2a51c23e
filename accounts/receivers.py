"""django.contrib.auth's sign-in signals, wired to accounts' services.

authenticate() sends user_login_failed for every failed attempt through any door (login page,
admin, API token endpoint), login() sends user_logged_in, logout() sends user_logged_out.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts import lockout, otp, services


@receiver(user_login_failed, dispatch_uid="accounts.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    if request is None:
        return  # authenticate() called outside a request (a shell): nothing to throttle
    if getattr(request, "login_refusal", None) is not None:
        return  # refused while locked: counted on the lock, not as a new failure
    refusal = lockout.record_failure(username=credentials.get("username") or "", request=request)
    if refusal is not None:
        # This failure started a lock: its answer already says until when.
        request.login_refusal = refusal


@receiver(user_logged_in, dispatch_uid="accounts.logged_in")
def _logged_in(sender, request, user, **kwargs):
    services.session_started(request=request, user=user)
    otp.session_started(request=request, user=user)


@receiver(user_logged_out, dispatch_uid="accounts.logged_out")
def _logged_out(sender, request, user, **kwargs):
    services.session_ended(request=request, user=user, reason=getattr(request, "logout_reason", "logout"))
