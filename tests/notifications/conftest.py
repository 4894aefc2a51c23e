"""Real peers for the reminder tests: a local SMTP server (aiosmtpd), a local group-robot webhook
(http.server in a thread) and a real Celery worker subprocess on the configured broker (Redis
when REDIS_URL is set, else kombu's filesystem transport under VAR_DIR), on a queue of its own.

The worker runs the production settings against the test database (pytest-django's
test_<name>), so tests that use it are `transaction=True`: their data must be committed for
the worker to see it, and `on_commit` must fire to enqueue the deliveries.
"""

import contextlib
import email
import email.policy
import json
import logging
import os
import signal
import socket
import subprocess
import threading
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from projects_tracker.celery import app as celery_app
from tests.notifications.helpers import wait_for

BASE_DIR = Path(settings.BASE_DIR)
# aiosmtpd narrates every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- SMTP -------------------------------------------------------------------------------------------


class MailCollector:
    def __init__(self):
        self.messages: list[dict] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(
                {
                    "to": list(envelope.rcpt_tos),
                    "subject": str(message["subject"]).strip(),
                    "message_id": str(message["Message-ID"]),
                    "body": message.get_body(preferencelist=("plain",)).get_content(),
                    "attachments": [
                        (part.get_filename(), part.get_content_type(), part.get_content())
                        for part in message.iter_attachments()
                    ],
                }
            )
        return "250 Message accepted"

    def snapshot(self) -> list[dict]:
        with self._lock:
            return list(self.messages)

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()


@pytest.fixture(scope="session")
def smtp_server():
    collector = MailCollector()
    controller = Controller(collector, hostname="127.0.0.1", port=_free_port())
    controller.start()
    collector.port = controller.port
    yield collector
    controller.stop()


# --- Group-robot webhook ------------------------------------------------------------------------------


class RobotServer:
    """Answers like a WeCom/DingTalk robot. A path starting /flaky<N>/ fails its first N posts
    with HTTP 500; /down/ always fails; anything else succeeds with {"errcode": 0}."""

    def __init__(self):
        self.received: list[tuple[str, dict]] = []
        self.attempts: Counter = Counter()
        self._lock = threading.Lock()
        collector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                with collector._lock:
                    collector.attempts[self.path] += 1
                    attempt = collector.attempts[self.path]
                    failing = self.path.startswith("/down/")
                    if self.path.startswith("/flaky"):
                        failing = attempt <= int(self.path.split("/")[1].removeprefix("flaky"))
                    if not failing:
                        collector.received.append((self.path, payload))
                self.send_response(500 if failing else 200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                answer = {"errcode": 500, "errmsg": "busy"} if failing else {"errcode": 0, "errmsg": "ok"}
                self.wfile.write(json.dumps(answer).encode())

            def log_message(self, *args):
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def snapshot(self) -> list[tuple[str, dict]]:
        with self._lock:
            return list(self.received)

    def clear(self) -> None:
        with self._lock:
            self.received.clear()
            self.attempts.clear()


@pytest.fixture(scope="session")
def robot_server():
    robot = RobotServer()
    yield robot
    robot.server.shutdown()


@pytest.fixture
def peers(smtp_server, robot_server):
    smtp_server.clear()
    robot_server.clear()
    return smtp_server, robot_server


# --- Celery worker --------------------------------------------------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        name = str(db["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            pytest.skip("the worker needs a file or server database (set DATABASE_URL)")
        return f"sqlite:///{name}"
    auth = db["USER"] or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


class Worker:
    """A `celery worker` process group on a queue of its own, started and killed by the test."""

    def __init__(self, env: dict, queue: str, log_dir: Path, queues: list[str] | None = None):
        self.env, self.queue, self.log_dir = env, queue, log_dir
        self.queues = queues or [queue]
        self.process: subprocess.Popen | None = None
        self.runs = 0

    def start(self, **extra_env) -> "Worker":
        self.runs += 1
        log = self.log_dir / f"worker-{self.runs}.log"
        self.log_path = log
        command = [
            str(BASE_DIR / ".venv" / "bin" / "celery"),
            "-A",
            "projects_tracker",
            "worker",
            "--pool=prefork",
            "-c",
            "2",
            "-Q",
            ",".join(self.queues),
            "-n",
            f"{self.queues[0]}-{self.runs}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ]
        env = {**self.env, **{k: str(v) for k, v in extra_env.items()}}
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_for(
            lambda: b" ready." in log.read_bytes() or self.process.poll() is not None, timeout=60, message="worker"
        )
        if self.process.poll() is not None:
            pytest.fail(f"worker exited at start:\n{log.read_text()[-3000:]}")
        return self

    def kill(self) -> None:
        """SIGKILL the whole process group: the main process and every pool child, mid-task."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """End of the test: nothing is left to finish, so no warm shutdown (it can wait seconds
        for the broker's polling loop)."""
        self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _reroute() -> None:
    """Make the app route by the task_routes just set: Celery caches the router."""
    celery_app.amqp.flush_routes()
    celery_app.amqp.__dict__.pop("router", None)


@pytest.fixture
def celery_worker_factory(django_db_setup, django_db_blocker, smtp_server, tmp_path):
    """Start workers (`factory(**env)`) against the test database and private queues (the
    default one and one per purpose, as settings route them: `factory.queues`); a worker
    consumes all three unless started with `queues=[...]`. Every worker started is stopped at the
    end. The test process publishes to the same queues."""
    queue = f"notify-test-{uuid.uuid4().hex[:8]}"
    queues = {"default": queue, "sweeps": f"{queue}-sweeps", "deliveries": f"{queue}-deliveries"}
    with django_db_blocker.unblock():
        database_url = _database_url()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "projects_tracker.settings",
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "0",
        "CELERY_QUEUE": queue,
        "CELERY_SWEEP_QUEUE": queues["sweeps"],
        "CELERY_DELIVERY_QUEUE": queues["deliveries"],
        "NOTIFY_SEND_TIME_LIMIT": "20",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "SITE_URL": settings.SITE_URL,
        "NOTIFY_RETRY_BASE_SECONDS": "0.3",
        "NOTIFY_RETRY_MAX_SECONDS": "1",
        "NOTIFY_MAX_ATTEMPTS": "4",
        "NOTIFY_WEBHOOK_TIMEOUT": "5",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    # Read at each publish (the router's default queue), so the test process publishes there too.
    saved_queue, saved_routes = celery_app.conf.task_default_queue, celery_app.conf.task_routes
    celery_app.conf.task_default_queue = queue
    by_name = {settings.CELERY_SWEEP_QUEUE: queues["sweeps"], settings.CELERY_DELIVERY_QUEUE: queues["deliveries"]}
    celery_app.conf.task_routes = {
        task: {**route, "queue": by_name[route["queue"]]} for task, route in settings.CELERY_TASK_ROUTES.items()
    }
    _reroute()
    workers: list[Worker] = []

    def factory(*, queues: list[str] | None = None, **extra_env) -> Worker:
        worker = Worker({**env, **{k: str(v) for k, v in extra_env.items()}}, queue, tmp_path, queues or all_queues)
        workers.append(worker)
        return worker.start()

    all_queues = list(queues.values())
    factory.queues = queues
    yield factory
    for worker in workers:
        worker.stop()
    celery_app.conf.task_default_queue, celery_app.conf.task_routes = saved_queue, saved_routes
    _reroute()
    for name in all_queues:
        with contextlib.suppress(Exception), celery_app.connection_for_write() as conn:
            conn.default_channel.queue_delete(name)
