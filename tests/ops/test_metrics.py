"""/metrics for operators (who may read it, what it counts) and the same delivery counts and
sweep lag on the supervisors' failed-deliveries page. Heartbeats come from Celery's own
task_success signal of a real task run."""

import datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from core.models import Role
from issues.models import Status
from notifications.models import Channel, Delivery, Kind, Notification
from notifications.tasks import recover_deliveries, sweep_due_reminders
from ops import metrics
from ops.models import Heartbeat
from tests.factories import ProjectFactory, UserFactory, user_with_role
from tests.issues.conftest import NOW, build_world, issue_in_state

pytestmark = pytest.mark.django_db
SWEEP = "notifications.sweep_due_reminders"


def scrape(client, **extra) -> dict[tuple, float]:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def make_deliveries(states: list[tuple[str, str]]) -> None:
    user, project = UserFactory(), ProjectFactory()
    content_type = ContentType.objects.get_for_model(project)
    for step, (state, channel) in enumerate(states):
        notification = Notification.objects.create(
            recipient=user,
            content_type=content_type,
            object_id=project.pk,
            kind=Kind.MILESTONE_OVERDUE,
            due_date=datetime.date(2026, 11, 20),
            step=step,
            title="节点逾期",
            body="节点逾期",
            link="/projects/",
        )
        Delivery.objects.create(notification=notification, channel=channel, key=f"test-{step}", state=state)


# --- Who may read it ------------------------------------------------------------------------------


def test_loopback_may_read_without_a_token(client):
    assert ("tracker_build_info", (("version", "1.0.0"),)) in scrape(client)


def test_other_addresses_are_refused_without_a_token(client):
    response = client.get("/metrics", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 403
    assert b"tracker_" not in response.content


def test_with_a_token_only_the_bearer_may_read(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    for headers in [{}, {"HTTP_AUTHORIZATION": "Bearer wrong"}, {"HTTP_AUTHORIZATION": "Token s3cret-token"}]:
        response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", **headers)
        assert response.status_code == 401, headers
        assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert scrape(client, REMOTE_ADDR="10.1.2.3", HTTP_AUTHORIZATION="Bearer s3cret-token")


# --- What it counts -------------------------------------------------------------------------------


def test_delivery_counts_issue_counts_and_sweep_lag():
    from django.test import Client

    client = Client()
    with time_machine.travel(NOW, tick=False) as clock:
        # Before any sweep: no lag sample (alert on its absence); the interval is known.
        samples = scrape(client)
        assert ("tracker_periodic_task_lag_seconds", (("task", SWEEP),)) not in samples
        assert samples[("tracker_periodic_task_interval_seconds", (("task", SWEEP),))] == 60
        # Celery's tracer runs the tasks; its task_success signal records their heartbeats.
        sweep_due_reminders.apply()
        recover_deliveries.apply()

        world = build_world()
        issue_in_state(world, Status.NEW)
        issue_in_state(world, Status.IN_PROGRESS)
        issue_in_state(world, Status.CLOSED)
        make_deliveries(
            [
                (Delivery.State.PENDING, Channel.EMAIL),
                (Delivery.State.PENDING, Channel.EMAIL),
                (Delivery.State.PENDING, Channel.WEBHOOK),
                (Delivery.State.SENDING, Channel.EMAIL),
                (Delivery.State.FAILED, Channel.WEBHOOK),
                (Delivery.State.GAVE_UP, Channel.EMAIL),
                (Delivery.State.SENT, Channel.EMAIL),
            ]
        )
        clock.shift(datetime.timedelta(seconds=90))
        samples = scrape(client)

    assert samples[("tracker_periodic_task_lag_seconds", (("task", SWEEP),))] == 90
    assert samples[("tracker_periodic_task_last_success_timestamp_seconds", (("task", SWEEP),))] == NOW.timestamp()
    assert ("tracker_periodic_task_lag_seconds", (("task", "notifications.recover_deliveries"),)) in samples

    def deliveries(state, channel):
        return samples.get(("tracker_deliveries", (("channel", channel), ("state", state))))

    assert deliveries("pending", "email") == 2
    assert deliveries("pending", "webhook") == 1
    assert deliveries("sending", "email") == 1
    assert deliveries("failed", "webhook") == 1
    assert deliveries("gave_up", "email") == 1
    assert deliveries("sent", "email") is None  # done: not counted
    assert samples[("tracker_delivery_oldest_waiting_seconds", ())] == 90

    assert samples[("tracker_issues_open", (("status", "new"),))] == 1
    assert samples[("tracker_issues_open", (("status", "in_progress"),))] == 1
    assert samples[("tracker_issues_open", (("status", "assigned"),))] == 0
    assert samples[("tracker_issues_open_overdue", (("status", "new"),))] == 0

    # Two months later every open issue is past its deadline.
    with time_machine.travel(NOW + datetime.timedelta(days=60), tick=False):
        samples = scrape(client)
    assert samples[("tracker_issues_open_overdue", (("status", "new"),))] == 1
    assert samples[("tracker_issues_open_overdue", (("status", "in_progress"),))] == 1
    for name in ("ops", "issues", "notifications"):
        assert samples[("tracker_scrape_collector_success", (("collector", name),))] == 1


def test_a_failing_collector_costs_only_its_own_figures(client):
    @metrics.collector("broken")
    def broken():
        raise RuntimeError("figures unavailable")
        yield  # pragma: no cover

    try:
        samples = scrape(client)
    finally:
        metrics._collectors.pop("broken")
    assert samples[("tracker_scrape_collector_success", (("collector", "broken"),))] == 0
    assert samples[("tracker_scrape_collector_success", (("collector", "notifications"),))] == 1
    assert ("tracker_build_info", (("version", "1.0.0"),)) in samples


def test_heartbeat_is_recorded_only_for_periodic_tasks_that_succeed():
    from notifications.tasks import deliver_notification

    deliver_notification.apply(args=[0])  # not in beat's schedule
    assert not Heartbeat.objects.exists()
    recover_deliveries.apply()
    assert list(Heartbeat.objects.values_list("name", flat=True)) == ["notifications.recover_deliveries"]


# --- The supervisors' page ------------------------------------------------------------------------


def test_deliveries_page_shows_the_backlog_and_the_sweep_lag(client):
    with time_machine.travel(NOW, tick=False) as clock:
        make_deliveries(
            [
                (Delivery.State.PENDING, Channel.EMAIL),
                (Delivery.State.FAILED, Channel.WEBHOOK),
                (Delivery.State.GAVE_UP, Channel.EMAIL),
                (Delivery.State.GAVE_UP, Channel.WEBHOOK),
            ]
        )
        client.force_login(user_with_role(Role.SUPERVISOR))
        page = client.get(reverse("notifications:deliveries")).content.decode()
        assert 'id="backlog-queued">1' in page
        assert 'id="backlog-failed">1' in page
        assert 'id="backlog-gave-up">2' in page
        assert "从未运行" in page and "提醒已延误" in page

        sweep_due_reminders.apply()
        clock.shift(datetime.timedelta(seconds=90))
        response = client.get(reverse("notifications:deliveries"))
        page = response.content.decode()
        assert response.context["sweep"].lag_seconds == 90
        assert "1\xa0分钟前" in page and "提醒已延误" not in page

        clock.shift(datetime.timedelta(minutes=10))  # more than two sweep intervals behind
        page = client.get(reverse("notifications:deliveries")).content.decode()
        assert "11\xa0分钟前" in page and "提醒已延误" in page

    client.force_login(user_with_role(Role.LEADER))
    assert client.get(reverse("notifications:deliveries")).status_code == 403
