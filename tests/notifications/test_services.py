"""Services without a worker: delivering through each channel, backoff and giving up, the
recovery scan, preferences and supervision items. (Campaigns and their reminder policies are
tests/campaigns/'s.)"""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from core.errors import ApplicationError, PermissionDenied
from core.models import AuditEntry, Official, Role
from notifications.channels import webhook_payload
from notifications.models import (
    Channel,
    Delivery,
    Notification,
    NotificationPreference,
    SupervisionItem,
)
from notifications.services import (
    deliveries_recover,
    delivery_retry,
    delivery_send,
    notification_mark_read,
    notifications_mark_all_read,
    preferences_update,
    reminders_sweep,
    retry_delay,
    supervision_item_close,
)
from projects.models import Stage
from tests.factories import (
    DepartmentFactory,
    MilestoneFactory,
    OfficialFactory,
    ProjectFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
DUE = datetime.date(2026, 12, 15)


@pytest.fixture
def swept(settings):
    """One reminder due, with an e-mail and a (unreachable) webhook delivery pending."""
    settings.NOTIFY_RETRY_BASE_SECONDS = 30
    settings.NOTIFY_RETRY_MAX_SECONDS = 600
    settings.NOTIFY_MAX_ATTEMPTS = 3
    unit = DepartmentFactory(webhook_url="http://127.0.0.1:9/robot")
    owner = OfficialFactory(department=unit)
    project = ProjectFactory(stage=Stage.SIGNED, responsible_official=owner, responsible_unit=unit)
    MilestoneFactory(project=project, due_date=DUE)
    moment = datetime.datetime(2026, 12, 12, 9, tzinfo=datetime.UTC)
    reminders_sweep(now=moment)
    return {
        "owner": owner,
        "email": Delivery.objects.get(channel=Channel.EMAIL),
        "webhook": Delivery.objects.get(channel=Channel.WEBHOOK),
    }


class TestDelivery:
    def test_email_goes_through_the_mail_backend_once(self, swept):
        assert delivery_send(delivery_id=swept["email"].pk) == "sent"
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [swept["owner"].user.email]
        assert message.subject == swept["email"].notification.title
        assert message.extra_headers["Message-ID"].startswith("<reminder-")
        delivery = Delivery.objects.get(pk=swept["email"].pk)
        assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 1)
        assert delivery.sent_at is not None
        # A duplicate task for the same delivery does nothing.
        assert delivery_send(delivery_id=delivery.pk) == "skipped"
        assert len(mail.outbox) == 1

    def test_a_failing_webhook_backs_off_then_gives_up(self, swept):
        webhook = swept["webhook"]
        start = timezone.now()
        assert delivery_send(delivery_id=webhook.pk) == "failed"
        webhook.refresh_from_db()
        assert webhook.state == Delivery.State.FAILED
        assert webhook.attempts == 1
        assert "robot unreachable" in webhook.last_error
        assert webhook.next_attempt_at >= start + datetime.timedelta(seconds=30)
        # Not due yet: an early duplicate message does not retry.
        assert delivery_send(delivery_id=webhook.pk) == "skipped"
        for attempt in (2, 3):
            with time_machine.travel(webhook.next_attempt_at + datetime.timedelta(seconds=1), tick=False):
                outcome = delivery_send(delivery_id=webhook.pk)
            webhook.refresh_from_db()
            assert webhook.attempts == attempt
        assert outcome == "gave_up"
        assert webhook.state == Delivery.State.GAVE_UP
        # The e-mail never waited for the webhook.
        assert delivery_send(delivery_id=swept["email"].pk) == "sent"

    def test_backoff_doubles_and_is_capped(self, settings):
        settings.NOTIFY_RETRY_BASE_SECONDS = 30
        settings.NOTIFY_RETRY_MAX_SECONDS = 600
        assert [retry_delay(n) for n in (1, 2, 3, 4, 5, 6)] == [30, 60, 120, 240, 480, 600]

    def test_supervisor_retries_a_delivery_that_gave_up(self, swept):
        webhook = swept["webhook"]
        Delivery.objects.filter(pk=webhook.pk).update(state=Delivery.State.GAVE_UP, attempts=3)
        with pytest.raises(PermissionDenied):
            delivery_retry(delivery=webhook, by=swept["owner"].user)
        supervisor = user_with_role(Role.SUPERVISOR)
        delivery_retry(delivery=webhook, by=supervisor)
        webhook.refresh_from_db()
        assert (webhook.state, webhook.attempts) == (Delivery.State.PENDING, 0)
        assert AuditEntry.objects.filter(action="delivery.retry", actor=supervisor).exists()
        with pytest.raises(ApplicationError):
            delivery_retry(delivery=webhook, by=supervisor)


class TestRecovery:
    def test_stuck_sending_is_sent_again_and_lost_messages_requeued(self, swept, settings):
        settings.NOTIFY_SENDING_TIMEOUT_SECONDS = 600
        settings.NOTIFY_REQUEUE_AFTER_SECONDS = 600
        now = timezone.now()
        Delivery.objects.filter(pk=swept["email"].pk).update(
            state=Delivery.State.SENDING, attempts=1, claimed_at=now - datetime.timedelta(seconds=601)
        )
        Delivery.objects.filter(pk=swept["webhook"].pk).update(enqueued_at=now - datetime.timedelta(seconds=601))
        result = deliveries_recover(now=now)
        assert result.interrupted == 1
        assert sorted(result.requeued) == sorted([swept["email"].pk, swept["webhook"].pk])
        email = Delivery.objects.get(pk=swept["email"].pk)
        assert email.state == Delivery.State.FAILED
        assert "interrupted" in email.last_error
        assert email.enqueued_at == now
        # Just requeued: the next scan leaves them alone.
        assert deliveries_recover(now=now + datetime.timedelta(seconds=60)).requeued == []
        assert delivery_send(delivery_id=email.pk) == "sent"
        assert Delivery.objects.get(pk=email.pk).attempts == 2

    def test_recent_claims_and_fresh_queue_entries_are_left_alone(self, swept):
        now = timezone.now()
        Delivery.objects.filter(pk=swept["email"].pk).update(state=Delivery.State.SENDING, claimed_at=now)
        result = deliveries_recover(now=now)
        assert (result.interrupted, result.requeued) == (0, [])

    def test_an_at_most_once_channel_gives_up_on_an_unknown_outcome(self, swept, settings):
        settings.NOTIFY_AT_MOST_ONCE_CHANNELS = ["webhook"]
        now = timezone.now()
        Delivery.objects.filter(pk=swept["webhook"].pk).update(
            state=Delivery.State.SENDING, attempts=1, claimed_at=now - datetime.timedelta(days=1)
        )
        result = deliveries_recover(now=now)
        assert result.given_up == 1
        assert Delivery.objects.get(pk=swept["webhook"].pk).state == Delivery.State.GAVE_UP


def test_webhook_payload_shapes():
    args = {"title": "节点临近：A · B", "body": "项目：A\n查看：http://x/1", "link": "http://x/1"}
    assert webhook_payload(**args, style="text") == {
        "msgtype": "text",
        "text": {"content": "节点临近：A · B\n项目：A\n查看：http://x/1"},
    }
    wecom = webhook_payload(**args, style="wecom_markdown")
    assert wecom["msgtype"] == "markdown"
    assert wecom["markdown"]["content"].startswith("**节点临近：A · B**\n> 项目：A")
    dingtalk = webhook_payload(**args, style="dingtalk_markdown")
    assert dingtalk["markdown"]["title"] == "节点临近：A · B"
    assert "[http://x/1](http://x/1)" in dingtalk["markdown"]["text"]


class TestInbox:
    def test_mark_read_only_own(self, swept):
        notification = Notification.objects.get(superseded=False)
        with pytest.raises(PermissionDenied):
            notification_mark_read(notification=notification, by=user_with_role(Role.OFFICIAL))
        notification_mark_read(notification=notification, by=swept["owner"].user)
        notification.refresh_from_db()
        assert notification.read_at is not None
        assert notifications_mark_all_read(by=swept["owner"].user) == 0


class TestPreferences:
    def test_user_chooses_channels_and_language(self):
        user = user_with_role(Role.OFFICIAL)
        preferences_update(user=user, email=False, webhook=True, language="en", by=user)
        preference = NotificationPreference.objects.get(user=user)
        assert (preference.email, preference.webhook) == (False, True)
        assert Official.objects.get(user=user).language == "en"
        entry = AuditEntry.objects.get(action="notification_preference.update")
        assert entry.changes["email"] == [True, False]
        assert entry.changes["language"] == ["zh-hans", "en"]

    def test_not_for_someone_else_and_only_offered_languages(self):
        user, other = user_with_role(Role.OFFICIAL), user_with_role(Role.OFFICIAL)
        with pytest.raises(PermissionDenied):
            preferences_update(user=other, email=False, webhook=False, by=user)
        with pytest.raises(ApplicationError) as exc:
            preferences_update(user=user, email=True, webhook=True, language="fr", by=user)
        assert "language" in exc.value.fields
        assert not NotificationPreference.objects.filter(user=user).exists()


class TestSupervision:
    def test_supervisor_closes_with_a_note(self):
        owner = OfficialFactory()
        project = ProjectFactory(stage=Stage.SIGNED, responsible_official=owner)
        MilestoneFactory(project=project, due_date=DUE)
        reminders_sweep(now=datetime.datetime(2026, 12, 30, 9, tzinfo=datetime.UTC))
        item = SupervisionItem.objects.get()
        with pytest.raises(PermissionDenied):
            supervision_item_close(item=item, by=user_with_role(Role.LEADER), note="done")
        supervisor = user_with_role(Role.SUPERVISOR)
        with pytest.raises(ApplicationError) as exc:
            supervision_item_close(item=item, by=supervisor, note=" ")
        assert "note" in exc.value.fields
        supervision_item_close(item=item, by=supervisor, note="已约谈责任单位，节点改期")
        item.refresh_from_db()
        assert item.status == SupervisionItem.Status.CLOSED
        assert item.closed_by == supervisor
        assert AuditEntry.objects.filter(action="supervision_item.close").exists()
        with pytest.raises(ApplicationError):
            supervision_item_close(item=item, by=supervisor, note="again")
