"""API tokens seen by people: users list and revoke their own at /account/, supervisors every
token in the admin, and nobody can read a live token back. The password policy and the password
change page. The demo logins with DEBUG off."""

import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from accounts.checks import demo_logins_with_debug_off
from accounts.models import ApiToken
from core.models import AuditEntry, Role
from tests.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def api_token(user) -> str:
    response = APIClient().post(TOKEN_URL, {"username": user.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def uses(token: str) -> int:
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/projects/").status_code


def test_a_superuser_cannot_read_a_live_token_in_the_admin(client, clock):
    official = user_with_role(Role.OFFICIAL)
    token = api_token(official)
    stored = ApiToken.objects.get()
    superuser = get_user_model().objects.create_superuser("root", "root@example.test", PASSWORD)
    client.force_login(superuser)
    pages = [
        client.get(reverse("admin:accounts_apitoken_changelist")),
        client.get(reverse("admin:accounts_apitoken_change", args=[stored.pk])),
    ]
    for page in pages:
        assert page.status_code == 200
        assert stored.token_key in page.text
        assert token not in page.text and token[len(stored.token_key) :][:8] not in page.text
        assert stored.digest not in page.text
    # Tokens are issued by signing in only: no "add" in the admin, which would show one.
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_a_supervisor_revokes_tokens_in_the_admin(client, clock):
    official = user_with_role(Role.OFFICIAL)
    token = api_token(official)
    supervisor = user_with_role(Role.SUPERVISOR)
    supervisor.is_staff = True
    supervisor.save()
    client.force_login(supervisor)
    changelist = reverse("admin:accounts_apitoken_changelist")
    listed = client.get(changelist)
    assert official.username in listed.text
    response = client.post(changelist, {"action": "revoke", ACTION_CHECKBOX_NAME: [ApiToken.objects.get().pk]})
    assert response.status_code == 302
    assert uses(token) == 401
    entry = AuditEntry.objects.get(action="auth.token_revoked")
    assert entry.actor == supervisor
    assert entry.changes["user"] == official.username


def test_users_list_and_revoke_their_own_tokens(client, clock):
    official = user_with_role(Role.OFFICIAL)
    other = user_with_role(Role.OFFICIAL)
    mine, theirs = api_token(official), api_token(other)
    uses(mine)
    client.force_login(official)
    page = client.get(reverse("accounts:security"))
    own = ApiToken.objects.get(user=official)
    assert f"{own.token_key}…" in page.text
    assert "2026-11-27 10:00" in page.text  # issued and last used
    assert "2026-11-27 18:00" in page.text  # expires
    assert ApiToken.objects.get(user=other).token_key not in page.text

    foreign = ApiToken.objects.get(user=other)
    assert client.post(reverse("accounts:token-revoke", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("accounts:token-revoke", args=[own.pk])).status_code == 302
    assert uses(mine) == 401
    assert uses(theirs) == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Tr4ck-9x", "密码长度太短。密码必须包含至少 10 个字符。"),
        ("12345678901234", "密码只包含数字。"),
        ("password123", "这个密码太常见了。"),
        ("zhangwei-office", "密码跟 用户名 太相似了。"),
    ],
)
def test_the_password_policy_refuses_in_zh_hans(password, message):
    user = get_user_model()(username="zhangwei-office")
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as refused:
            validate_password(password, user)
        messages = [str(m) for m in refused.value.messages]
    assert message in messages


def test_a_good_password_passes():
    validate_password("Hu4-jiang-ke-9q", get_user_model()(username="zhangwei"))


def test_changing_the_password_keeps_the_policy_and_revokes_api_tokens(client, clock):
    official = user_with_role(Role.OFFICIAL)
    token = api_token(official)
    client.force_login(official)
    url = reverse("accounts:password-change")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "1234567890", "new_password2": "1234567890"})
    assert weak.status_code == 400
    assert "密码只包含数字。" in weak.text

    new = "Hu4-jiang-ke-9q"
    response = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response["Location"] == reverse("accounts:security")
    official.refresh_from_db()
    assert official.check_password(new)
    assert client.get(reverse("accounts:security")).status_code == 200  # still signed in
    assert uses(token) == 401
    assert AuditEntry.objects.get(action="auth.password_changed").changes["tokens_revoked"] == [token[:12]]


@pytest.fixture
def demo_user(settings):
    settings.DEMO_PASSWORD = "demo12345"
    user = user_with_role(Role.SUPERVISOR, user__username="demo-supervisor")
    user.set_password("demo12345")
    user.save()
    return user


def test_demo_logins_are_refused_with_debug_off(client, demo_user, settings):
    settings.DEBUG = False
    page = client.post(reverse("login"), {"username": "demo-supervisor", "password": "demo12345"})
    assert page.status_code == 200
    assert "_auth_user_id" not in client.session
    api = APIClient().post(TOKEN_URL, {"username": "demo-supervisor", "password": "demo12345"}, format="json")
    assert api.status_code == 400


def test_demo_logins_work_with_debug_on_and_stop_when_it_goes_off(client, demo_user, settings):
    settings.DEBUG = True
    assert client.post(reverse("login"), {"username": "demo-supervisor", "password": "demo12345"}).status_code == 302
    token = APIClient().post(TOKEN_URL, {"username": "demo-supervisor", "password": "demo12345"}, format="json")
    token = token.json()["token"]
    assert client.get("/projects/").status_code == 200
    settings.DEBUG = False
    assert client.get("/projects/").status_code == 302  # the session no longer authenticates
    assert uses(token) == 401


def test_the_database_check_fails_on_demo_logins_with_debug_off(demo_user, settings):
    settings.DEBUG = False
    errors = demo_logins_with_debug_off(databases=["default"])
    assert [e.id for e in errors] == ["accounts.E001"]
    assert "demo-supervisor" in errors[0].msg
    settings.DEBUG = True
    assert demo_logins_with_debug_off(databases=["default"]) == []
    settings.DEBUG = False
    demo_user.set_password("Another-pass-for-demo-9")
    demo_user.save()
    assert demo_logins_with_debug_off(databases=["default"]) == []


def test_the_check_runs_with_the_database_checks(demo_user, settings):
    """`migrate` and `check --database default` run it: the production stack's migrate service
    then fails and web, worker and beat do not start."""
    settings.DEBUG = False
    with pytest.raises(SystemCheckError) as failed:
        call_command("check", "--database", "default", stdout=io.StringIO(), stderr=io.StringIO())
    assert "accounts.E001" in str(failed.value)
