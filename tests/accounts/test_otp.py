"""Two-step verification (TOTP): supervisors and admin users must use it when
OTP_REQUIRED_FOR_SUPERVISORS is on; anyone may turn it on. Codes are computed here from the
secret the enrolment page shows, by RFC 6238, independently of django-otp."""

import base64
import datetime
import hashlib
import hmac
import re
import struct
import time

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from core.models import AuditEntry, Role
from tests.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db

SETUP = "/account/two-step/setup/"
VERIFY = "/account/two-step/verify/"
TOKEN_URL = "/api/v1/auth/token/"


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238: HMAC-SHA1 over the 30-second step count, dynamically truncated to 6 digits."""
    secret = secret.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED_FOR_SUPERVISORS = True


@pytest.fixture
def supervisor(db):
    user = user_with_role(Role.SUPERVISOR)
    user.is_staff = True
    user.save()
    return user


def sign_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def enrol(client) -> str:
    """Open the enrolment page, read the secret it shows, confirm with a computed code."""
    page = client.get(SETUP)
    assert page.status_code == 200
    secret = re.search(r'data-testid="otp-secret">([A-Z2-7 ]+)<', page.text).group(1)
    response = client.post(SETUP, {"code": totp(secret), "next": "/"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    return secret


def test_a_supervisor_must_enrol_before_doing_anything(client, supervisor, required, clock):
    response = sign_in(client, supervisor)
    assert response["Location"] == f"{SETUP}?next=%2F"
    # Every page and session API call waits for the second factor.
    assert client.get("/dashboard/")["Location"] == f"{SETUP}?next=%2Fdashboard%2F"
    assert client.get("/admin/")["Location"].startswith(SETUP)
    api = client.get("/api/v1/projects/")
    assert api.status_code == 403
    assert api.json() == {"detail": "请先输入两步验证码。", "code": "otp_required"}

    page = client.get(SETUP)
    assert '<svg width="' in page.text and 'class="segno"' in page.text  # the QR code, drawn here
    assert "https://" not in page.text and "http://" not in page.text
    secret = re.search(r'data-testid="otp-secret">([A-Z2-7 ]+)<', page.text).group(1)
    assert len(secret.replace(" ", "")) == 32  # 160-bit key

    refused = client.post(SETUP, {"code": wrong(totp(secret)), "next": "/dashboard/"})
    assert refused.status_code == 400
    assert "验证码不正确" in refused.text
    assert not TOTPDevice.objects.filter(user=supervisor, confirmed=True).exists()

    clock.shift(datetime.timedelta(seconds=2))  # a wrong code makes the next try wait a second
    done = client.post(SETUP, {"code": totp(secret), "next": "/dashboard/"})
    assert done["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/projects/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.otp_enrolled", actor=supervisor).exists()
    assert AuditEntry.objects.filter(action="auth.otp_failed", actor=supervisor).count() == 1


def test_each_sign_in_then_asks_for_a_fresh_code(client, supervisor, required, clock):
    sign_in(client, supervisor)
    secret = enrol(client)
    client.post(reverse("logout"))

    clock.shift(datetime.timedelta(seconds=30))
    response = sign_in(client, supervisor)
    assert response["Location"] == f"{VERIFY}?next=%2F"
    assert client.get("/projects/")["Location"] == f"{VERIFY}?next=%2Fprojects%2F"
    code = totp(secret)
    assert client.post(VERIFY, {"code": code, "next": "/projects/"})["Location"] == "/projects/"
    assert client.get("/projects/").status_code == 200

    # The same code cannot be used twice (replay), even in the same 30 seconds.
    client.post(reverse("logout"))
    sign_in(client, supervisor)
    replay = client.post(VERIFY, {"code": code, "next": "/"})
    assert replay.status_code == 400
    assert client.get("/projects/").status_code == 302


def test_wrong_codes_slow_down_guessing(client, supervisor, required, clock):
    sign_in(client, supervisor)
    secret = enrol(client)
    client.post(reverse("logout"))
    clock.shift(datetime.timedelta(seconds=30))
    sign_in(client, supervisor)
    assert "验证码不正确" in client.post(VERIFY, {"code": wrong(totp(secret))}).text
    # Right away, even the right code waits: each failure doubles the pause.
    throttled = client.post(VERIFY, {"code": totp(secret)})
    assert throttled.status_code == 400
    assert "验证码错误次数过多，请等待 1 秒后再试。" in throttled.text
    clock.shift(datetime.timedelta(seconds=1))
    assert client.post(VERIFY, {"code": totp(secret), "next": "/"}).status_code == 302


def test_api_sign_in_needs_the_code_too(client, supervisor, required, clock):
    api = APIClient()
    missing_device = api.post(TOKEN_URL, {"username": supervisor.username, "password": PASSWORD}, format="json")
    assert missing_device.status_code == 400
    assert missing_device.json()["otp"] == ["该账户需要身份验证器应用中的验证码（字段 otp）。"]
    no_device = api.post(
        TOKEN_URL, {"username": supervisor.username, "password": PASSWORD, "otp": "123456"}, format="json"
    )
    assert no_device.json()["otp"] == ["请先在网页上（账户安全）启用两步验证。"]

    sign_in(client, supervisor)
    secret = enrol(client)
    clock.shift(datetime.timedelta(seconds=30))
    credentials = {"username": supervisor.username, "password": PASSWORD}
    bad = api.post(TOKEN_URL, {**credentials, "otp": wrong(totp(secret))}, format="json")
    assert bad.status_code == 400
    assert "otp" in bad.json()
    clock.shift(datetime.timedelta(seconds=2))
    good = api.post(TOKEN_URL, {**credentials, "otp": totp(secret)}, format="json")
    assert good.status_code == 200
    token_client = APIClient(HTTP_AUTHORIZATION=f"Token {good.json()['token']}")
    assert token_client.get("/api/v1/projects/").status_code == 200


def test_admin_access_needs_the_second_factor_whatever_the_role(client, required, clock):
    handler = user_with_role(Role.HANDLER)
    handler.is_staff = True
    handler.save()
    client.post(reverse("admin:login"), {"username": handler.username, "password": PASSWORD, "next": "/admin/"})
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_other_roles_are_not_asked_unless_they_enrolled(client, required, clock):
    official = user_with_role(Role.OFFICIAL)
    assert sign_in(client, official)["Location"] == "/"
    assert client.get("/projects/").status_code == 200

    # Turning it on voluntarily: from then on, sign-ins ask for the code; it can be turned off.
    secret = enrol(client)
    client.post(reverse("logout"))
    clock.shift(datetime.timedelta(seconds=30))
    assert sign_in(client, official)["Location"] == f"{VERIFY}?next=%2F"
    client.post(VERIFY, {"code": totp(secret)})
    assert client.post(reverse("accounts:otp-remove")).status_code == 302
    assert not TOTPDevice.objects.filter(user=official).exists()
    client.post(reverse("logout"))
    assert sign_in(client, official)["Location"] == "/"


def test_a_required_device_cannot_be_switched_off_by_its_owner(client, supervisor, required, clock):
    sign_in(client, supervisor)
    enrol(client)
    assert client.post(reverse("accounts:otp-remove")).status_code == 403
    assert TOTPDevice.objects.filter(user=supervisor).exists()


def test_with_the_setting_off_supervisors_sign_in_with_the_password(client, supervisor, settings, clock):
    settings.OTP_REQUIRED_FOR_SUPERVISORS = False
    assert sign_in(client, supervisor)["Location"] == "/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_lists_devices_without_their_key_and_removes_one(client, supervisor, required, clock):
    user = user_with_role(Role.OFFICIAL)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    sign_in(client, supervisor)
    enrol(client)
    changelist = reverse("admin:accounts_twostepdevice_changelist")
    listed = client.get(changelist)
    assert listed.status_code == 200
    assert user.username in listed.text
    change = client.get(reverse("admin:accounts_twostepdevice_change", args=[device.pk]))
    assert change.status_code == 200
    assert device.key not in change.text and device.key not in listed.text
    response = client.post(changelist, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [device.pk], "post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    entry = AuditEntry.objects.get(action="auth.otp_removed")
    assert (entry.actor, entry.object_id) == (supervisor, str(user.pk))
