"""The second factor: TOTP codes from an authenticator app (django-otp's TOTP plugin).

Who needs it: with OTP_REQUIRED_FOR_SUPERVISORS on (the default with DEBUG off), supervisors
and every user with admin access; and anyone who enrolled a device of their own accord. Such a
session, after the password, may only reach the code page (or the enrolment page, if it has no
device yet) until a code is verified (accounts.middleware.SecondFactorMiddleware); the API token
endpoint asks for the code in the same request.

Codes are checked by django-otp, which refuses a code used before and slows down guessing
(each failure doubles the wait). Enrolment, removal and failed codes are audited.
"""

from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import is_supervisor
from core.services import audit_record

#: Session key: the user had a confirmed device when signing in (so the session needs a code).
SESSION_ENROLLED = "_otp_enrolled"


def required_by_role(user) -> bool:
    """Supervisors and admin users must use a second factor when the setting is on."""
    if not settings.OTP_REQUIRED_FOR_SUPERVISORS or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or is_supervisor(user))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def session_started(*, request, user) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_ENROLLED] = confirmed_device(user) is not None


def session_needs_code(request) -> bool:
    """A signed-in browser session that must still enter a code before doing anything else."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    verified = getattr(user, "is_verified", None)
    if verified is not None and verified():
        return False
    return bool(request.session.get(SESSION_ENROLLED)) or required_by_role(user)


def secret_text(device: TOTPDevice) -> str:
    """The key as authenticator apps accept it typed by hand (base32, in groups of four)."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG, drawn here: the secret never leaves the server."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#111827", light="#ffffff", title=_("QR code for your authenticator app")
    )


@transaction.atomic
def enrolment_start(*, user) -> TOTPDevice:
    """The user's device waiting for its first code: the same one until confirmed, so reloading
    the page does not invalidate the QR code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def _throttled_message(device: TOTPDevice) -> str | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    until = data.get("locked_until") if data else None
    if until is not None:
        seconds = max(1, int((until - timezone.now()).total_seconds() + 0.999))
        return ngettext(
            "Too many wrong codes. Wait %(seconds)d second and try again.",
            "Too many wrong codes. Wait %(seconds)d seconds and try again.",
            seconds,
        ) % {"seconds": seconds}
    return _("Too many wrong codes. Wait a moment and try again.")


def check_code(*, user, device: TOTPDevice | None, code: str) -> str | None:
    """Verify a code against the device. Returns None when it is right, else the message to show.
    A wrong code is audited; the device counts it and makes the next attempt wait (1, 2, 4 … s)."""
    if device is None:
        return _("Set up two-step verification on the web page first (Account security).")
    code = (code or "").strip().replace(" ", "")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        throttled = _throttled_message(device)
        if throttled:
            return throttled
        if device.verify_token(code):
            return None
    audit_record(actor=user, action="auth.otp_failed", obj=user, changes={"device": device.pk})
    return _("The code is not right. Enter the current code from your app.")


def enrolment_confirm(*, request, device: TOTPDevice, code: str) -> str | None:
    """Confirm a new device with its first code; the session counts as verified. Returns an
    error message, or None on success."""
    error = check_code(user=request.user, device=device, code=code)
    if error:
        return error
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.refresh_from_db()
        # One device per user: an older one (a lost phone) stops working.
        for old in TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk):
            old.delete()
        audit_record(actor=request.user, action="auth.otp_enrolled", obj=request.user, changes={"device": device.pk})
    django_otp.login(request, device)
    request.session[SESSION_ENROLLED] = True
    return None


def session_verify(*, request, code: str) -> str | None:
    """Verify the signed-in user's code for this session. Returns an error message or None."""
    device = confirmed_device(request.user)
    error = check_code(user=request.user, device=device, code=code)
    if error:
        return error
    django_otp.login(request, device)
    return None


@transaction.atomic
def device_remove(*, device: TOTPDevice, by) -> None:
    """Remove a device (a lost phone): its owner enrols again at the next sign-in. Audited."""
    audit_record(actor=by, action="auth.otp_removed", obj=device.user, changes={"device": device.pk})
    device.delete()
