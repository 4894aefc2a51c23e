"""Several machines' worth of processes on one database and one broker: two web processes
(gunicorn) take writes at the same time while two Celery workers deliver and two sweeps race.
Nothing is lost (every event and every due rung has its notifications) and nothing is doubled
(each e-mail and each group post arrives once)."""

import datetime
import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time

import pytest
from django.conf import settings

from accounts.models import ApiToken
from core.models import Role
from issues.models import Issue, IssueEvent
from notifications.models import Channel, Delivery, Notification
from notifications.services import notify_issue_event, reminders_sweep
from notifications.tasks import sweep_due_reminders
from tests.factories import OfficialFactory
from tests.notifications.conftest import BASE_DIR, _database_url
from tests.notifications.helpers import delivered_counts, wait_for
from tests.notifications.test_celery import EXTERNAL, at, external_settled, make_world

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

ISSUES_PER_CLIENT = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_web(env: dict, log_path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    with open(log_path, "wb") as out:
        process = subprocess.Popen(
            [
                str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
                "projects_tracker.wsgi",
                f"--bind=127.0.0.1:{port}",
                "--workers=2",
                "--threads=2",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def ready():
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        except OSError:
            return process.poll() is not None

    wait_for(ready, timeout=60, message="gunicorn")
    assert process.poll() is None, log_path.read_text()[-3000:]
    return process, port


def test_two_web_processes_and_two_workers_lose_and_double_nothing(peers, celery_worker_factory, tmp_path):
    smtp, robot = peers
    world = make_world(robot.url, milestones=4, due=datetime.date(2026, 12, 11))
    supervisor = OfficialFactory(name="督查专员", role=Role.SUPERVISOR)
    _token, raw = ApiToken.objects.issue(user=supervisor.user, ttl=datetime.timedelta(hours=1))
    enterprise = world["project"].enterprise

    celery_worker_factory()
    celery_worker_factory()
    queues = celery_worker_factory.queues
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "projects_tracker.test_settings",
        "DATABASE_URL": _database_url(),
        "DB_CONN_MAX_AGE": "0",
        "CELERY_QUEUE": queues["default"],
        "CELERY_SWEEP_QUEUE": queues["sweeps"],
        "CELERY_DELIVERY_QUEUE": queues["deliveries"],
        "SITE_URL": settings.SITE_URL,
        "LOG_LEVEL": "WARNING",
    }
    webs = [_start_web(env, tmp_path / f"web-{i}.log") for i in range(2)]
    try:
        statuses = []
        lock = threading.Lock()
        barrier = threading.Barrier(4)

        def client(port: int, n: int):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            barrier.wait()
            for i in range(ISSUES_PER_CLIENT):
                body = json.dumps(
                    {
                        "enterprise": enterprise.pk,
                        "category": "land",
                        "description": f"用地指标尚未落实 {port}-{n}-{i}",
                        "lead_department": world["unit"].pk,
                    }
                )
                conn.request(
                    "POST",
                    "/api/v1/issues/",
                    body=body,
                    headers={"Authorization": f"Token {raw}", "Content-Type": "application/json"},
                )
                response = conn.getresponse()
                response.read()
                with lock:
                    statuses.append(response.status)

        threads = [threading.Thread(target=client, args=(port, n)) for _p, port in webs for n in range(2)]
        for thread in threads:
            thread.start()
        # Meanwhile two beats' sweeps race in the two workers.
        moment = at(datetime.date(2026, 12, 8)).isoformat()
        sweep_due_reminders.delay(now=moment)
        sweep_due_reminders.delay(now=moment)
        for thread in threads:
            thread.join(timeout=120)
        assert statuses == [201] * (4 * ISSUES_PER_CLIENT), statuses
        assert Issue.objects.count() == 4 * ISSUES_PER_CLIENT
        # The next tick of the two beats: the new issues' time limits are due by then too.
        sweep_due_reminders.delay(now=moment)
        sweep_due_reminders.delay(now=moment)

        # Everything due is recorded and delivered.
        wait_for(
            lambda: Delivery.objects.filter(channel__in=EXTERNAL).exists() and external_settled(),
            timeout=60,
            message="deliveries settled",
        )
        wait_for(
            lambda: Notification.objects.filter(kind__startswith="issue_re").exists() and external_settled(),
            timeout=60,
            message="the second sweeps delivered",
        )
        time.sleep(2)
        wait_for(external_settled, timeout=30, message="deliveries settled")

        # Nothing lost: recording again finds nothing new, for every event and for the sweep.
        events = list(IssueEvent.objects.values_list("pk", flat=True))
        assert len(events) >= 2 * 4 * ISSUES_PER_CLIENT  # raised and assigned
        assert sum(notify_issue_event(event_id=pk) for pk in events) == 0
        assert reminders_sweep(now=at(datetime.date(2026, 12, 8)), lock=False).notifications == 0
        assert Notification.objects.filter(content_type__model="issueevent").exists()
        assert Notification.objects.filter(kind__startswith="milestone").count() >= 4

        # Nothing doubled: each e-mail and each post once, one per sent delivery.
        mails, posts = delivered_counts(smtp, robot)
        assert mails and set(mails.values()) == {1}
        assert posts and set(posts.values()) == {1}
        sent = Delivery.objects.filter(state=Delivery.State.SENT)
        assert sent.filter(channel=Channel.EMAIL).count() == len(smtp.snapshot())
        assert sent.filter(channel=Channel.WEBHOOK).count() == len(robot.snapshot())
        assert not Delivery.objects.filter(channel__in=EXTERNAL).exclude(state=Delivery.State.SENT).exists()
    finally:
        for process, _port in webs:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
