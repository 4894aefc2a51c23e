"""Browser sessions end on the server after SESSION_IDLE_MINUTES without a request and
SESSION_MAX_HOURS after signing in; logging out deletes the session. The cookie lives only as
long as the browser."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from core.models import AuditEntry, Role
from tests.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db

PAGE = "/projects/"


@pytest.fixture
def official(db):
    return user_with_role(Role.OFFICIAL)


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_the_session_cookie_dies_with_the_browser(client, official, clock):
    cookie = sign_in(client, official).cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"]


def test_activity_keeps_the_session_and_idleness_ends_it(client, official, clock):
    sign_in(client, official)
    key = client.session.session_key
    for _ in range(3):
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get(PAGE).status_code == 200

    clock.shift(datetime.timedelta(minutes=31))
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={PAGE}"
    assert not Session.objects.filter(session_key=key).exists()
    login_page = client.get(response["Location"])
    assert "您已 30 分钟未操作，系统已自动退出登录，请重新登录。" in login_page.text
    entry = AuditEntry.objects.get(action="auth.session_expired")
    assert (entry.actor, entry.changes["reason"]) == (official, "idle")


def test_a_session_ends_after_the_absolute_limit_however_active(client, official, clock):
    sign_in(client, official)
    for _ in range(35):  # 11 h 40 min of activity every 20 minutes
        clock.shift(datetime.timedelta(minutes=20))
        assert client.get(PAGE).status_code == 200
    clock.shift(datetime.timedelta(minutes=21))
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "登录会话最长 12 小时" in client.get(response["Location"]).text
    assert AuditEntry.objects.get(action="auth.session_expired").changes["reason"] == "max_age"


def test_the_limits_are_settings(client, official, settings, clock):
    settings.SESSION_IDLE_MINUTES = 5
    sign_in(client, official)
    clock.shift(datetime.timedelta(minutes=4))
    assert client.get(PAGE).status_code == 200
    clock.shift(datetime.timedelta(minutes=6))
    assert client.get(PAGE).status_code == 302


def test_an_idle_session_no_longer_authenticates_api_calls(client, official, clock):
    sign_in(client, official)
    assert client.get("/api/v1/projects/").status_code == 200
    clock.shift(datetime.timedelta(minutes=31))
    assert client.get("/api/v1/projects/").status_code == 401


def test_logout_deletes_the_session(client, official, clock):
    sign_in(client, official)
    key = client.session.session_key
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(PAGE).status_code == 302
    assert AuditEntry.objects.filter(action="auth.logout", actor=official).count() == 1
