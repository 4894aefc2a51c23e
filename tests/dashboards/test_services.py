"""Weekly briefings sent once per leader and week; rules tuned by supervisors, audited."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from core.errors import PermissionDenied
from core.models import AuditEntry, Role
from dashboards.models import BriefingDelivery, HealthRule
from dashboards.services import briefing_deliver, briefing_deliveries_plan, briefing_due_week, rule_save
from dashboards.tasks import send_weekly_briefings
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


def test_each_leader_gets_the_briefing_once(city):
    no_mail = user_with_role(Role.LEADER, name="副市长")
    no_mail.email = ""
    no_mail.save()
    ids = briefing_deliveries_plan(week_start=LAST_WEEK)
    assert len(ids) == 2
    assert briefing_deliveries_plan(week_start=LAST_WEEK) == ids  # planning again adds nothing
    assert BriefingDelivery.objects.count() == 2

    results = [briefing_deliver(delivery_id=pk) for pk in ids]
    assert sorted(results) == [False, True]  # the leader without an address keeps it on the page
    (message,) = mail.outbox
    assert message.to == [city.leader.email]
    assert "2026年11月16日" in message.subject
    assert reverse("dashboards:briefing") + "?week=2026-11-16" in message.body
    (name, content, mimetype) = message.attachments[0]
    assert name == "briefing-20261116.xlsx" and mimetype.endswith("spreadsheetml.sheet") and content[:2] == b"PK"
    assert BriefingDelivery.objects.filter(sent_at__isnull=True).count() == 0

    assert [briefing_deliver(delivery_id=pk) for pk in ids] == [False, False]
    assert briefing_deliveries_plan(week_start=LAST_WEEK) == []
    assert len(mail.outbox) == 1


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
