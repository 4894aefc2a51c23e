"""A broker that is hung (SIGSTOP: accepts TCP, never answers), silent (a server that accepts and
never says a word) or refused never holds up the web (issue #10 item 1).

The production server (gunicorn, DEBUG off) runs against the test database with REDIS_URL
pointing at the broken broker and BROKER_TIMEOUT=1: a write that enqueues an e-mail after its
commit answers 200 within the timeout, the next writes and reads do not wait at all (the process
backs off from the broker), and the delivery waits, marked "not queued", for the recovery scan,
which delivers it exactly once when the broker is back.
"""

import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import ApiToken
from core.models import Role
from issues.models import Issue, IssueEvent, Status
from notifications.models import Channel, Delivery, Kind
from notifications.services import deliveries_recover
from projects_tracker.celery import app as celery_app
from tests.factories import DepartmentFactory, IssueFactory, OfficialFactory
from tests.notifications.conftest import _database_url
from tests.ops.conftest import ROOT, closed_port, server_environment, start_redis, stop_redis

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 1.0
# What a request may take on top of the broker timeout on a loaded 2-core CI machine.
SLACK = 3.0


class SilentServer:
    """Accepts every connection and never answers (a hung broker behind a live TCP stack)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                conn, _address = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.closed = True
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.fixture(params=["paused", "silent", "refused"])
def broken_broker(request, tmp_path):
    """(REDIS_URL of a broken broker, how to bring a working one back: returns its URL)."""
    if request.param == "paused":
        process, port = start_redis(tmp_path)
        os.kill(process.pid, signal.SIGSTOP)

        def back():
            os.kill(process.pid, signal.SIGCONT)
            return f"redis://127.0.0.1:{port}/0"

        yield f"redis://127.0.0.1:{port}/0", back
        stop_redis(process)
    elif request.param == "silent":
        server = SilentServer()
        yield f"redis://127.0.0.1:{server.port}/0", lambda: None
        server.close()
    else:
        yield f"redis://127.0.0.1:{closed_port()}/0", lambda: None


def call(url: str, *, token: str, data: dict | None = None) -> tuple[int, dict, float]:
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(
        url,
        data=body,
        method="POST" if body is not None else "GET",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json", "Accept-Language": "en"},
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, payload = response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        status, payload = error.code, json.loads(error.read() or b"{}")
    return status, payload, time.monotonic() - started


def test_writes_and_reads_go_on_with_the_broker_broken_and_nothing_is_lost_or_doubled(
    gunicorn, broken_broker, settings
):
    broker_url, bring_back = broken_broker
    unit = DepartmentFactory(name="自然资源和规划局")
    handler = OfficialFactory(name="经办人", role=Role.HANDLER, department=unit)
    raiser = OfficialFactory(name="专班成员", role=Role.STAFF)
    issues = [
        IssueFactory(
            status=Status.IN_PROGRESS,
            lead_department=unit,
            handler=handler,
            raised_by=raiser.user,
            acknowledged_at=timezone.now() - datetime.timedelta(hours=1),
        )
        for _ in range(3)
    ]
    _token, raw = ApiToken.objects.issue(user=handler.user, ttl=datetime.timedelta(hours=1))
    server = gunicorn(
        DATABASE_URL=_database_url(),
        REDIS_URL=broker_url,
        BROKER_TIMEOUT=str(TIMEOUT),
        BROKER_BACKOFF_SECONDS="60",
        DB_CONN_MAX_AGE="0",
    )

    # A read first: the server's first request loads the app (not the broker's doing).
    assert call(f"{server.url}/api/v1/issues/{issues[0].pk}/", token=raw)[0] == 200
    durations = []
    for issue in issues:
        status, payload, took = call(
            f"{server.url}/api/v1/issues/{issue.pk}/respond/",
            token=raw,
            data={"version": issue.version, "note": "已协调供电公司，下周接电"},
        )
        assert status == 200, payload
        durations.append(took)
        status, payload, took = call(f"{server.url}/api/v1/issues/{issue.pk}/", token=raw)
        assert status == 200, payload
        durations.append(took)
    # The first write waits for the broker at most once (connect or command timeout); the
    # process then backs off and the others do not wait at all.
    assert durations[0] < TIMEOUT * 2 + SLACK, (durations, server.log.read_text()[-3000:])
    assert all(took < SLACK for took in durations[1:]), durations

    # Committed, each reply once, and the e-mail to the raiser waits "not queued".
    for issue in issues:
        assert IssueEvent.objects.filter(issue=issue, action="respond").count() == 1
    emails = Delivery.objects.filter(channel=Channel.EMAIL, notification__kind=Kind.ISSUE_EVENT)
    assert emails.count() == 3
    assert set(emails.values_list("state", "enqueued_at")) == {(Delivery.State.PENDING, None)}
    log = server.log.read_text()
    assert "the recovery scan will enqueue them" in log
    assert '"status": 500' not in log

    # The broker is back (or, for a broker that never returns, the tasks run in this process):
    # the recovery scan sends each e-mail exactly once, and a second scan sends nothing.
    bring_back()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    eager, celery_app.conf.task_always_eager = celery_app.conf.task_always_eager, True
    try:
        assert len(deliveries_recover().requeued) == 3
        assert deliveries_recover().requeued == []
    finally:
        celery_app.conf.task_always_eager = eager
    assert sorted(message.to[0] for message in mail.outbox) == [raiser.user.email] * 3
    assert set(emails.values_list("state", flat=True)) == {Delivery.State.SENT}
    assert Issue.objects.filter(pk__in=[i.pk for i in issues], version=issues[0].version + 1).count() == 3


def test_the_redis_cache_fails_fast_on_a_hung_server(tmp_path):
    """The cache of the production settings (Redis when REDIS_URL is set: sessions, …) has the
    broker's short timeout: a hung Redis fails a cache call instead of holding the request."""
    from django.core.cache.backends.redis import RedisCache

    process, port = start_redis(tmp_path)
    os.kill(process.pid, signal.SIGSTOP)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        env = server_environment(tmp_path, REDIS_URL=url, BROKER_TIMEOUT="1")
        printed = subprocess.run(
            [sys.executable, "-c", "import json; from django.conf import settings; print(json.dumps(settings.CACHES))"],
            env={**env, "DJANGO_SETTINGS_MODULE": "projects_tracker.settings"},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        config = json.loads(printed)["default"]
        assert config["LOCATION"] == url
        assert config["OPTIONS"] == {"socket_timeout": 1.0, "socket_connect_timeout": 1.0}
        cache = RedisCache(url, config)
        started = time.monotonic()
        with pytest.raises(Exception, match=r"(?i)timeout|timed out"):
            cache.get("session-key")
        assert time.monotonic() - started < 2 + SLACK
    finally:
        stop_redis(process)
