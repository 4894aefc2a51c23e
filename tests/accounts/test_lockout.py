"""Lock-out per account and throttling per address: one rule for the login page, the admin login
and the API token endpoint; every failure and lock-out audited; supervisors unlock."""

import datetime
import threading

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import lockout
from accounts.models import LoginThrottle
from core.models import AuditEntry, Role
from tests.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def official(db):
    return user_with_role(Role.OFFICIAL)


def page_login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def api_login(username, password, **extra):
    return APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json", **extra)


def admin_login(client, username, password):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"})


def test_the_fifth_failure_locks_the_account_even_against_the_right_password(client, official, clock):
    for _ in range(4):
        response = page_login(client, official.username, "wrong-password")
        assert response.status_code == 200
        assert "请输入一个正确的" in response.text  # Django's "enter a correct username and password"
    response = page_login(client, official.username, "wrong-password")
    assert response.status_code == 429
    assert "已被锁定" in response.text and "10:30" in response.text and "约 30 分钟" in response.text
    assert response["Retry-After"] == "1800"

    response = page_login(client, official.username, PASSWORD)
    assert response.status_code == 429
    assert "已被锁定" in response.text
    assert "_auth_user_id" not in client.session

    throttle = LoginThrottle.objects.get(key=f"account:{official.username}")
    assert (throttle.failures, throttle.refused) == (5, 1)
    assert AuditEntry.objects.filter(action="auth.login_failed", object_id=str(throttle.pk)).count() == 5
    locked = AuditEntry.objects.get(action="auth.locked_out")
    assert locked.changes["username"] == official.username
    assert locked.changes["channel"] == "page"
    assert locked.changes["address"] == "127.0.0.1"

    # After the lock-out the right password works again, and clears the count.
    clock.shift(datetime.timedelta(minutes=30, seconds=1))
    assert page_login(client, official.username, PASSWORD).status_code == 302
    throttle.refresh_from_db()
    assert throttle.failures == 0
    assert AuditEntry.objects.filter(action="auth.login", actor=official).exists()


def test_a_success_before_the_limit_starts_the_count_again(client, official, clock):
    for _ in range(4):
        page_login(client, official.username, "wrong-password")
    assert page_login(client, official.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert page_login(client, official.username, "wrong-password").status_code == 200
    assert page_login(client, official.username, PASSWORD).status_code == 302


def test_failures_older_than_the_window_do_not_count(client, official, clock):
    for _ in range(4):
        page_login(client, official.username, "wrong-password")
    clock.shift(datetime.timedelta(minutes=15, seconds=1))
    for _ in range(4):
        assert page_login(client, official.username, "wrong-password").status_code == 200
    assert page_login(client, official.username, PASSWORD).status_code == 302


def test_the_api_counts_with_the_pages_and_answers_429(client, official, clock):
    for _ in range(2):
        page_login(client, official.username, "wrong-password")
    for _ in range(2):
        admin_login(client, official.username, "wrong-password")
    assert api_login(official.username, "wrong-password").status_code == 429  # the fifth failure
    response = api_login(official.username, PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "1800"
    body = response.json()
    assert body["code"] == "locked"
    assert body["detail"].startswith("该账户登录失败次数过多，已被锁定。请于 10:30 后再试")
    english = api_login(official.username, PASSWORD, HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert english.startswith("This account is locked after too many failed sign-ins. Try again after 10:30")
    channels = [e.changes["channel"] for e in AuditEntry.objects.filter(action="auth.login_failed").order_by("pk")]
    assert channels == ["page", "page", "admin", "admin", "api"]


def test_the_admin_login_says_when_to_retry(client, clock):
    supervisor = user_with_role(Role.SUPERVISOR)
    supervisor.is_staff = True
    supervisor.save()
    for _ in range(5):
        admin_login(client, supervisor.username, "wrong-password")
    response = admin_login(client, supervisor.username, PASSWORD)
    assert response.status_code == 429
    assert "已被锁定" in response.text
    assert client.get("/admin/").status_code == 302


def test_unknown_user_names_lock_like_real_ones(client, clock):
    """A lock says nothing about whether the account exists."""
    for _ in range(5):
        page_login(client, "no-such-user", "wrong-password")
    response = page_login(client, "no-such-user", "wrong-password")
    assert response.status_code == 429
    assert "已被锁定" in response.text


def test_an_address_is_throttled_across_accounts(client, official, settings, clock):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    for n in range(6):
        page_login(client, f"guess-{n}", "wrong-password", REMOTE_ADDR="203.0.113.7")
    response = page_login(client, official.username, PASSWORD, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert "来自此网络地址的登录失败次数过多" in response.text
    assert AuditEntry.objects.get(action="auth.locked_out").changes["address"] == "203.0.113.7"
    # The account itself is not locked: from another address it signs in.
    assert page_login(Client(), official.username, PASSWORD, REMOTE_ADDR="198.51.100.2").status_code == 302


def test_behind_the_proxy_the_address_is_the_one_it_appended(client, official, settings, clock):
    settings.BEHIND_TLS_PROXY = True
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        # The client claims other addresses; the proxy (10.0.0.2) appends the real one.
        page_login(client, f"guess-{n}", "x", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9")
    assert LoginThrottle.objects.get(kind="address").value == "203.0.113.9"
    blocked = page_login(
        client, official.username, PASSWORD, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert blocked.status_code == 429
    other = page_login(
        Client(), official.username, PASSWORD, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.10"
    )
    assert other.status_code == 302


def test_limits_are_settings(client, official, settings, clock):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_LOCKOUT_MINUTES = 5
    page_login(client, official.username, "wrong-password")
    response = page_login(client, official.username, "wrong-password")
    assert response.status_code == 429
    assert "10:05" in response.text
    clock.shift(datetime.timedelta(minutes=5, seconds=1))
    assert page_login(client, official.username, PASSWORD).status_code == 302


def test_a_supervisor_unlocks_in_the_admin(client, official, clock):
    for _ in range(5):
        page_login(client, official.username, "wrong-password")
    throttle = LoginThrottle.objects.get(key=f"account:{official.username}")
    assert throttle.is_locked

    supervisor = user_with_role(Role.SUPERVISOR)
    supervisor.is_staff = True
    supervisor.save()
    admin_client = Client()
    admin_client.force_login(supervisor)
    changelist = reverse("admin:accounts_loginthrottle_changelist")
    listed = admin_client.get(changelist, {"locked": "yes"})
    assert listed.status_code == 200
    assert official.username in listed.text
    response = admin_client.post(changelist, {"action": "unlock", ACTION_CHECKBOX_NAME: [throttle.pk]})
    assert response.status_code == 302

    throttle.refresh_from_db()
    assert not throttle.is_locked and throttle.failures == 0
    entry = AuditEntry.objects.get(action="auth.unlocked")
    assert entry.actor == supervisor
    assert entry.changes["failures"] == 5
    assert page_login(client, official.username, PASSWORD).status_code == 302


def test_other_roles_cannot_see_or_unlock(client, official, clock):
    handler = user_with_role(Role.HANDLER)
    handler.is_staff = True
    handler.save()
    client.force_login(handler)
    assert client.get(reverse("admin:accounts_loginthrottle_changelist")).status_code == 403


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_are_all_counted(settings):
    """Web processes failing at once (threads with their own connections here) lose no count."""
    from django.db import connections
    from django.test import RequestFactory

    settings.LOGIN_FAILURE_LIMIT = 100
    barrier = threading.Barrier(8)

    def fail():
        request = RequestFactory().post("/login/", REMOTE_ADDR="192.0.2.50")
        barrier.wait()
        try:
            lockout.record_failure(username="target", request=request)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=fail) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert LoginThrottle.objects.get(key="account:target").failures == 8
    assert LoginThrottle.objects.get(key="address:192.0.2.50").failures == 8
