"""Weekly briefings recorded once per leader and week and delivered by the notifications pipeline
(inbox, e-mail with the workbook, group robot, retries); rules tuned by supervisors, audited."""

import datetime
import io
import socket
import threading
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core import mail
from django.db import OperationalError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.errors import PermissionDenied
from core.models import AuditEntry, Role
from dashboards.models import HealthRule
from dashboards.services import briefing_due_week, briefing_plan, rule_save
from dashboards.tasks import send_weekly_briefings
from notifications import registry
from notifications.models import Channel, Delivery, Kind, Notification
from notifications.services import delivery_send, preferences_update
from projects_tracker.celery import app as celery_app
from tests.factories import user_with_role

from .conftest import SHANGHAI

pytestmark = pytest.mark.django_db

LAST_WEEK = datetime.date(2026, 11, 16)


@pytest.mark.parametrize(
    ("moment", "week"),
    [
        (datetime.datetime(2026, 11, 23, 7, 59, tzinfo=SHANGHAI), None),
        (datetime.datetime(2026, 11, 23, 8, 0, tzinfo=SHANGHAI), LAST_WEEK),
        (datetime.datetime(2026, 11, 24, 23, 0, tzinfo=SHANGHAI), LAST_WEEK),
        (datetime.datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI), None),
    ],
)
def test_the_briefing_is_due_from_monday_eight_until_tuesday(moment, week):
    assert briefing_due_week(moment) == week


def _briefings():
    return Notification.objects.filter(kind=Kind.WEEKLY_BRIEFING)


def _deliveries(channel):
    return Delivery.objects.filter(notification__kind=Kind.WEEKLY_BRIEFING, channel=channel)


def test_each_leader_gets_the_briefing_once(city):
    no_mail = user_with_role(Role.LEADER, name="副市长")
    no_mail.email = ""
    no_mail.save()
    assert briefing_plan(week_start=LAST_WEEK) == 2
    assert briefing_plan(week_start=LAST_WEEK) == 0  # planning again records nothing

    # Both in the inbox, with the week's figures, linking to the printable page of the week.
    page = reverse("dashboards:briefing") + "?week=2026-11-16"
    assert sorted(_briefings().values_list("recipient_id", flat=True)) == sorted([city.leader.pk, no_mail.pk])
    for notification in _briefings():
        assert notification.title == "工作简报（2026年11月16日至2026年11月22日）"
        assert notification.link.endswith(page)
        assert "年度投资完成率：76.6%" in notification.body
    # The leader without an address keeps it in the inbox and on the page: one e-mail.
    (email,) = _deliveries(Channel.EMAIL)
    assert email.target == city.leader.email

    assert delivery_send(delivery_id=email.pk) == "sent"
    (message,) = mail.outbox
    assert message.to == [city.leader.email]
    assert "2026年11月16日" in message.subject
    assert page in message.body
    assert "年度投资完成率：76.6%" in message.body
    (name, content, mimetype) = message.attachments[0]
    assert name == "briefing-20261116.xlsx" and mimetype.endswith("spreadsheetml.sheet") and content[:2] == b"PK"
    summary = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    rows = {row[0]: row[1] for row in summary.iter_rows(values_only=True)}
    assert rows["工作简报"] == "2026年11月16日至2026年11月22日"
    assert rows["年度投资完成率"] == "76.6%"

    assert delivery_send(delivery_id=email.pk) == "skipped"
    assert briefing_plan(week_start=LAST_WEEK) == 0
    assert len(mail.outbox) == 1


def test_the_briefing_follows_each_leaders_channels_and_language(city):
    office = city.leader.official.department
    office.webhook_url = "http://127.0.0.1:9/robot"
    office.save()
    mayor = user_with_role(Role.LEADER, department=office, name="市长")
    preferences_update(user=mayor, email=False, webhook=True, by=mayor)
    english = user_with_role(Role.LEADER, name="副市长", language="en")

    assert briefing_plan(week_start=LAST_WEEK) == 3
    mailed = set(_deliveries(Channel.EMAIL).values_list("notification__recipient_id", flat=True))
    assert mailed == {city.leader.pk, english.pk}  # the mayor switched e-mail off
    # The secretary and the mayor share their office's group robot: one summary in the group.
    (post,) = _deliveries(Channel.WEBHOOK)
    assert post.target == "http://127.0.0.1:9/robot"
    in_english = _briefings().get(recipient=english)
    assert in_english.title == "Weekly briefing, Nov. 16, 2026 to Nov. 22, 2026"
    assert "Investment completion rate: 76.6%" in in_english.body


def test_the_hourly_re_run_costs_the_same_few_queries_however_many_leaders(city):
    def rerun_queries() -> int:
        briefing_plan(week_start=LAST_WEEK)
        with CaptureQueriesContext(connection) as queries:
            assert briefing_plan(week_start=LAST_WEEK) == 0
        return len(queries)

    few = rerun_queries()
    for i in range(4):
        user_with_role(Role.LEADER, name=f"副市长{i}")
    assert rerun_queries() == few <= 4


def test_a_briefing_that_cannot_be_mailed_is_retried_and_listed_for_supervisors(city, settings, client):
    with socket.socket() as sock:  # a port nobody listens on: the mail server is down
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 5
    briefing_plan(week_start=LAST_WEEK)
    (email,) = _deliveries(Channel.EMAIL)
    assert delivery_send(delivery_id=email.pk) == "failed"
    email.refresh_from_db()
    assert email.state == Delivery.State.FAILED and email.next_attempt_at > timezone.now()
    assert "Connection" in email.last_error

    client.force_login(city.supervisor)
    page = client.get(reverse("notifications:deliveries"))
    assert f'id="delivery-{email.pk}"' in page.content.decode()
    assert "工作简报（2026年11月16日至2026年11月22日）" in page.content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    assert client.post(reverse("notifications:delivery_retry", args=[email.pk])).status_code == 302
    assert delivery_send(delivery_id=email.pk) == "sent"
    (message,) = mail.outbox
    assert message.attachments[0][0] == "briefing-20261116.xlsx"


@pytest.mark.django_db(transaction=True)
def test_the_workbook_is_built_at_send_time_outside_any_transaction_or_lock(monkeypatch):
    leader = user_with_role(Role.LEADER, name="市委书记")
    with time_machine.travel(datetime.datetime(2026, 11, 23, 8, 5, tzinfo=SHANGHAI), tick=False):
        briefing_plan(week_start=LAST_WEEK)
    (email,) = _deliveries(Channel.EMAIL)
    build = registry.ATTACHMENTS[Kind.WEEKLY_BRIEFING]
    seen = {}

    def probe(notification):
        """Another connection locks the rows without waiting, while the workbook is built."""
        seen["in_transaction"] = connection.in_atomic_block

        def lock():
            try:
                with transaction.atomic():
                    list(Delivery.objects.select_for_update(nowait=True).filter(notification=notification))
                    list(Notification.objects.select_for_update(nowait=True).filter(pk=notification.pk))
                seen["lock"] = "free"
            except OperationalError as exc:
                seen["lock"] = str(exc)
            finally:
                connections.close_all()

        thread = threading.Thread(target=lock)
        thread.start()
        thread.join(timeout=30)
        return build(notification)

    monkeypatch.setitem(registry.ATTACHMENTS, Kind.WEEKLY_BRIEFING, probe)
    assert delivery_send(delivery_id=email.pk) == "sent"
    assert seen == {"in_transaction": False, "lock": "free"}
    (message,) = mail.outbox
    assert message.to == [leader.email]
    assert message.attachments[0][1][:2] == b"PK"


@pytest.fixture
def eager_celery():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def test_the_beat_task_sends_on_monday_morning_only(city, eager_celery, django_capture_on_commit_callbacks):
    with time_machine.travel(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert send_weekly_briefings() == 0
    with (
        time_machine.travel(datetime.datetime(2026, 11, 23, 8, 5, tzinfo=SHANGHAI), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_weekly_briefings() == 1
    assert len(mail.outbox) == 1
    with (
        time_machine.travel(datetime.datetime(2026, 11, 23, 9, 5, tzinfo=SHANGHAI), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_weekly_briefings() == 0
    assert len(mail.outbox) == 1


def test_a_supervisor_tunes_a_health_rule_and_it_is_audited(city):
    rule = HealthRule.objects.get(kind="investment_lag", color="yellow")
    rule.threshold = Decimal("15")
    rule_save(rule=rule, by=city.supervisor)
    entry = AuditEntry.objects.get(action="health_rule.update")
    assert entry.changes["threshold"] == ["10.00", "15"]
    rule.threshold = Decimal("20")
    with pytest.raises(PermissionDenied):
        rule_save(rule=rule, by=city.leader)
    rule.refresh_from_db()
    assert rule.threshold == Decimal("15.00")


def test_the_admin_edits_rules_through_the_service(client, city):
    city.supervisor.is_staff = True
    city.supervisor.save()
    client.force_login(city.supervisor)
    rule = HealthRule.objects.get(kind="start_late", color="red")
    url = reverse("admin:dashboards_healthrule_change", args=[rule.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"kind": "start_late", "color": "red", "threshold": "4", "inclusive": "on", "is_active": "on", "note": ""}
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.threshold == Decimal("4")
    assert AuditEntry.objects.filter(action="health_rule.update", object_id=str(rule.pk)).exists()
    delete = reverse("admin:dashboards_healthrule_delete", args=[rule.pk])
    assert client.get(delete).status_code == 403
