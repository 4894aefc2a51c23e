"""Token login/logout, and every endpoint closed to anonymous callers.

Tokens (accounts.ApiToken): a new one per login, stored as a digest, expiring, revoked on logout. Lock-out, throttling and the second factor: tests/accounts/.
"""

import datetime
import hashlib

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from core.models import AuditEntry
from tests.api.conftest import snapshot
from tests.factories import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
LOGOUT_URL = "/api/v1/auth/logout/"


def log_in(user) -> dict:
    response = APIClient().post(TOKEN_URL, {"username": user.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def anonymous_calls(w) -> list[tuple[str, str]]:
    """Every API endpoint and method, pointed at existing objects."""
    calls = [("delete", TOKEN_URL), ("post", LOGOUT_URL)]
    for name, obj in [
        ("parks", w.park),
        ("departments", w.unit),
        ("officials", w.users["official"].official),
        ("enterprises", w.enterprise),
        ("chains", None),
        ("service-teams", w.team),
        ("projects", w.project),
        ("progress-reports", w.report),
        ("annual-targets", w.target),
        ("milestones", w.milestone),
    ]:
        calls.append(("get", f"/api/v1/{name}/"))
        calls.append(("post", f"/api/v1/{name}/"))
        if obj is not None:
            calls.append(("get", f"/api/v1/{name}/{obj.pk}/"))
            calls.append(("patch", f"/api/v1/{name}/{obj.pk}/"))
    calls += [
        ("delete", f"/api/v1/annual-targets/{w.target.pk}/"),
        ("post", f"/api/v1/projects/{w.project.pk}/stage/"),
        ("get", f"/api/v1/projects/{w.project.pk}/stage-history/"),
        ("post", f"/api/v1/milestones/{w.milestone.pk}/complete/"),
        ("post", f"/api/v1/milestones/{w.done_milestone.pk}/reopen/"),
    ]
    return calls


def test_every_endpoint_refuses_anonymous_callers_with_401(world):
    client = APIClient()
    before = snapshot()
    for method, url in anonymous_calls(world):
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 401, (method, url, response.status_code)
        assert response["WWW-Authenticate"] == "Token"
        assert response.json()["code"] == "not_authenticated"
    assert snapshot() == before


def test_a_wrong_token_is_refused(world):
    client = APIClient(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get("/api/v1/projects/")
    assert response.status_code == 401
    assert response.json() == {"detail": "认证令牌无效。", "code": "authentication_failed"}


def test_token_login_use_and_logout(world):
    official = world.users["official"]
    body = log_in(official)
    token = body["token"]
    stored = ApiToken.objects.get(user=official)
    # Only the digest and a short prefix are stored: the token cannot be read back.
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith("mpt_") and token.startswith(stored.token_key) and len(stored.token_key) < len(token) // 3
    assert token not in str(list(ApiToken.objects.values()))
    assert body["expiry"] == "2026-11-27T18:00:00+08:00"  # API_TOKEN_TTL_HOURS (8) after the frozen now
    assert AuditEntry.objects.filter(action="auth.token_issued", actor=official).exists()

    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    listed = client.get("/api/v1/projects/")
    assert listed.status_code == 200
    assert [p["id"] for p in listed.json()["results"]] == [world.project.pk]
    stored.refresh_from_db()
    assert stored.last_used_at == timezone.now()

    # Each login gives a new token; logging out revokes the one used, not the others.
    other = log_in(official)["token"]
    assert other != token
    assert ApiToken.objects.filter(user=official).count() == 2
    assert client.post(LOGOUT_URL).status_code == 204
    assert client.get("/api/v1/projects/").status_code == 401
    assert ApiToken.objects.filter(user=official).count() == 1
    assert AuditEntry.objects.filter(action="auth.token_revoked", actor=official).count() == 1
    # DELETE on the token endpoint does the same (older clients).
    other_client = APIClient(HTTP_AUTHORIZATION=f"Token {other}")
    assert other_client.delete(TOKEN_URL).status_code == 204
    assert other_client.get("/api/v1/projects/").status_code == 401
    assert not ApiToken.objects.filter(user=official).exists()


def test_a_token_expires(world):
    token = log_in(world.users["official"])["token"]
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=7, minutes=59), tick=False):
        assert client.get("/api/v1/projects/").status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=8, seconds=1), tick=False):
        response = client.get("/api/v1/projects/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert not ApiToken.objects.exists()


def test_the_token_lifetime_is_configurable(world, settings):
    settings.API_TOKEN_TTL_HOURS = 1
    assert log_in(world.users["official"])["expiry"] == "2026-11-27T11:00:00+08:00"


def test_a_session_caller_logging_out_through_the_api_is_signed_out(world):
    client = APIClient()
    client.force_login(world.users["official"])
    assert client.post(LOGOUT_URL).status_code == 204
    assert client.get("/api/v1/projects/").status_code == 401


def test_token_login_ignores_a_stale_session_without_csrf(world):
    """A browser with a session cookie can still log in to the API without a CSRF token."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users["official"])
    response = client.post(
        TOKEN_URL, {"username": world.users["official"].username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (None, "用户名或密码不正确。"),
        ("zh-hans", "用户名或密码不正确。"),
        ("en", "The username or password is incorrect."),
    ],
)
def test_bad_credentials_give_400_in_the_users_language(world, language, message):
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    official = world.users["official"]
    response = APIClient().post(
        TOKEN_URL, {"username": official.username, "password": "wrong"}, format="json", **headers
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [message], "detail": message, "code": "invalid"}
    assert not ApiToken.objects.exists()


def test_inactive_users_get_no_token(world):
    official = world.users["official"]
    official.is_active = False
    official.save()
    response = APIClient().post(TOKEN_URL, {"username": official.username, "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_missing_credentials_are_field_errors(world):
    response = APIClient().post(TOKEN_URL, {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["username"] == ["This field is required."]
    assert body["password"] == ["This field is required."]


def test_session_authentication_works_too(world):
    client = APIClient()
    client.force_login(world.users["supervisor"])
    assert client.get("/api/v1/projects/").status_code == 200
