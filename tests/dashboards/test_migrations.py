"""Upgrading past BriefingDelivery: what was sent stays sent (the notification's unique key), what
was only planned is recorded again, and the way back restores the old rows."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.models import Role
from dashboards.services import briefing_plan
from notifications.models import Channel, Delivery, Kind, Notification
from projects_tracker.celery import app as celery_app
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("dashboards", "0003_import_files_private")
WEEK = datetime.date(2026, 11, 16)
SENT_AT = datetime.datetime(2026, 11, 23, 8, 3, tzinfo=ZoneInfo("Asia/Shanghai"))


def _old_model():
    return MigrationExecutor(connection).loader.project_state(BEFORE).apps.get_model("dashboards", "BriefingDelivery")


def test_briefings_sent_before_the_upgrade_are_not_sent_again():
    sent = user_with_role(Role.LEADER, name="市委书记", language="en")
    planned = user_with_role(Role.LEADER, name="市长")
    try:
        _upgrade_and_back(sent, planned)
    finally:
        call_command("migrate", verbosity=0)


def _upgrade_and_back(sent, planned):
    call_command("migrate", *BEFORE, verbosity=0)
    BriefingDelivery = _old_model()
    BriefingDelivery.objects.create(week_start=WEEK, recipient_id=sent.pk, sent_at=SENT_AT, channels="email")
    BriefingDelivery.objects.create(week_start=WEEK, recipient_id=planned.pk)

    call_command("migrate", "dashboards", verbosity=0)
    (carried,) = Notification.objects.filter(kind=Kind.WEEKLY_BRIEFING)
    assert (carried.recipient, carried.due_date, carried.created_at) == (sent, WEEK, SENT_AT)
    assert carried.read_at == SENT_AT  # delivered long ago: not news in the inbox
    assert carried.title == "Weekly briefing, Nov. 16, 2026 to Nov. 22, 2026"
    assert carried.link.endswith("/dashboard/briefing/?week=2026-11-16")
    assert sorted(carried.deliveries.values_list("channel", "state", "target")) == [
        (Channel.EMAIL, Delivery.State.SENT, sent.email),
        (Channel.INBOX, Delivery.State.SENT, ""),
    ]
    # The leader briefed before the upgrade is not briefed again; the one never sent to is
    # (and the e-mail goes at once: the worker's task runs eagerly here).
    eager, celery_app.conf.task_always_eager = celery_app.conf.task_always_eager, True
    try:
        assert briefing_plan(week_start=WEEK) == 1
    finally:
        celery_app.conf.task_always_eager = eager
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [planned.email]
    assert set(Notification.objects.filter(kind=Kind.WEEKLY_BRIEFING).values_list("recipient", flat=True)) == {
        sent.pk,
        planned.pk,
    }

    call_command("migrate", *BEFORE, verbosity=0)
    rows = _old_model().objects.order_by("recipient_id").values_list("recipient_id", "week_start", "channels")
    assert sorted(rows) == sorted([(sent.pk, WEEK, "email"), (planned.pk, WEEK, "email")])
    assert not get_user_model().objects.get(pk=sent.pk).notifications.exists()
