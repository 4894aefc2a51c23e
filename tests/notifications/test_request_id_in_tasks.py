"""The request id travels with the tasks a request enqueues: a real Celery worker's JSON log
lines for the task carry the id of the web request that queued it (issue #10 item 10)."""

import datetime
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.models import Role
from notifications.models import Channel, Delivery, Kind, Notification
from tests.factories import ProjectFactory, UserFactory, user_with_role
from tests.notifications.helpers import wait_for

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_a_retried_delivery_logs_the_request_id_of_the_retry(client, peers, celery_worker_factory):
    smtp, _robot = peers
    recipient, project = UserFactory(), ProjectFactory()
    notification = Notification.objects.create(
        recipient=recipient,
        content_type=ContentType.objects.get_for_model(project),
        object_id=project.pk,
        kind=Kind.MILESTONE_OVERDUE,
        due_date=datetime.date(2026, 11, 20),
        title="节点逾期：环评批复",
        body="环评批复已逾期",
        link="/projects/",
    )
    delivery = Delivery.objects.create(
        notification=notification,
        channel=Channel.EMAIL,
        target=recipient.email,
        key="request-id-test",
        state=Delivery.State.GAVE_UP,
    )
    worker = celery_worker_factory(LOG_LEVEL="INFO", LOG_FORMAT="json")
    client.force_login(user_with_role(Role.SUPERVISOR))

    response = client.post(
        reverse("notifications:delivery_retry", args=[delivery.pk]), HTTP_X_REQUEST_ID="retry-req-42"
    )
    assert response.status_code == 302 and response["X-Request-ID"] == "retry-req-42"

    def task_records():
        lines = [line for line in worker.log().splitlines() if line.startswith("{")]
        records = [json.loads(line) for line in lines]
        return [r for r in records if r.get("task_name") == "notifications.deliver_notification"]

    records = wait_for(
        lambda: [r for r in task_records() if "succeeded" in r["message"]], timeout=30, message="the task's log"
    )
    assert records[0]["request_id"] == "retry-req-42"
    assert records[0]["task_id"]
    assert all(r["request_id"] == "retry-req-42" for r in task_records())
    wait_for(lambda: smtp.snapshot(), timeout=30, message="the e-mail")
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT
