"""Retention: old notifications go (read and superseded first, unread ones once delivered);
audit entries stay at least six months whatever the settings say."""

import datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone

from core.models import AuditEntry, Role
from core.services import audit_purge_expired, audit_record
from notifications.models import Delivery, Kind, Notification
from notifications.services import notifications_purge_expired
from tests.factories import ProjectFactory, UserFactory, user_with_role


def _notification(project, recipient, *, step, read=False, superseded=False, delivery_state=None):
    notification = Notification.objects.create(
        recipient=recipient,
        content_type=ContentType.objects.get_for_model(project),
        object_id=project.pk,
        kind=Kind.MILESTONE_OVERDUE,
        due_date=datetime.date(2025, 1, 1),
        step=step,
        title="节点逾期",
        body="节点逾期",
        link="/projects/",
        superseded=superseded,
        read_at=timezone.now() if read else None,
    )
    if delivery_state:
        Delivery.objects.create(notification=notification, channel="email", state=delivery_state, key=f"k{step}")
    return notification


@pytest.mark.django_db
def test_old_notifications_are_purged_new_and_in_flight_ones_kept(settings):
    settings.NOTIFICATION_RETENTION_DAYS = 90
    project, user = ProjectFactory(), UserFactory()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=120)):
        old_read = _notification(project, user, step=0, read=True)
        old_superseded = _notification(project, user, step=1, superseded=True)
        old_unread_sent = _notification(project, user, step=2, delivery_state=Delivery.State.SENT)
        old_unread_retrying = _notification(project, user, step=3, delivery_state=Delivery.State.FAILED)
    recent_read = _notification(project, user, step=4, read=True)

    result = notifications_purge_expired()

    assert (result.read_or_superseded, result.unread) == (2, 1)
    left = set(Notification.objects.values_list("pk", flat=True))
    assert left == {old_unread_retrying.pk, recent_read.pk}
    assert not Delivery.objects.filter(notification_id=old_unread_sent.pk).exists()
    assert {old_read.pk, old_superseded.pk}.isdisjoint(left)
    assert notifications_purge_expired().total == 0  # idempotent


@pytest.mark.django_db
def test_audit_is_purged_only_past_its_retention(settings):
    supervisor = user_with_role(Role.SUPERVISOR)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=150)):
        middle = audit_record(actor=supervisor, action="a", obj=supervisor)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=800)):
        ancient = audit_record(actor=supervisor, action="b", obj=supervisor)
    settings.AUDIT_RETENTION_DAYS = 30  # refused by the check; the floor still holds
    assert audit_purge_expired() == 1
    assert AuditEntry.objects.filter(pk=middle.pk).exists()
    assert not AuditEntry.objects.filter(pk=ancient.pk).exists()


def test_a_short_audit_retention_is_refused_by_the_system_check(settings):
    settings.AUDIT_RETENTION_DAYS = 100
    with pytest.raises(SystemCheckError, match="AUDIT_RETENTION_DAYS"):
        call_command("check")
    settings.AUDIT_RETENTION_DAYS = 183
    call_command("check")


def test_the_purges_are_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"notifications.purge_expired", "core.purge_expired_audit"} <= tasks
