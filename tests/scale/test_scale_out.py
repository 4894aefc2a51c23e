"""Scale-out: one beat leads however many run, reads of the read-heavy pages go to a read
replica when one is configured, the cache is shared through Redis, media may live in an
S3-compatible bucket. Each of these is read in a fresh process with its own environment."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from core import replica
from core.replica import ReplicaRouter, read_replica, reads_from_replica
from tests import factories as f
from tests.test_settings_env import SETTINGS_VARIABLES, STRONG_KEY

ROOT = Path(__file__).resolve().parent.parent.parent

# --- The router ---------------------------------------------------------------------------------------


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)


def test_reads_go_to_the_replica_only_inside_read_replica(with_replica):
    router = ReplicaRouter()
    assert router.db_for_read(None) == "default"
    with read_replica():
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) == "default"


@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary(with_replica):
    router = ReplicaRouter()
    with read_replica(), transaction.atomic():
        assert router.db_for_read(None) == "default"


def test_without_a_replica_nothing_changes():
    router = ReplicaRouter()
    assert "replica" not in settings.DATABASES
    with read_replica():
        assert router.db_for_read(None) == "default"


def test_the_decorator_wraps_a_view_and_migrations_stay_on_the_primary(with_replica):
    seen = []

    @reads_from_replica
    def view(request):
        seen.append(ReplicaRouter().db_for_read(None))
        return "ok"

    assert view(None) == "ok" and seen == ["replica"]
    assert ReplicaRouter().allow_migrate("default", "projects") is True
    assert ReplicaRouter().allow_migrate("replica", "projects") is False


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}{port}/{db['NAME']}"


COCKPIT_PROBE = """
import json, sys
import django
django.setup()
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.contrib.auth import get_user_model
client = Client()
client.force_login(get_user_model().objects.get(username=sys.argv[1]))
with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections["replica"]) as rep:
    response = client.get(sys.argv[2])
print(json.dumps({"status": response.status_code, "primary": len(primary), "replica": len(rep),
                  "routers": __import__("django.conf").conf.settings.DATABASE_ROUTERS}))
"""


@pytest.mark.django_db(transaction=True)
def test_the_cockpit_reads_from_the_replica_alias(tmp_path):
    """The replica alias points at the same database (as a test of routing, not replication)."""
    if connection.vendor != "postgresql":
        pytest.skip("the replica is a PostgreSQL feature")
    leader = f.user_with_role("leader")
    f.ProjectFactory()
    url = _database_url()
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="projects_tracker.test_settings",
        DATABASE_URL=url,
        DATABASE_REPLICA_URL=url,
        VAR_DIR=str(tmp_path),
        LOG_LEVEL="WARNING",
    )
    out = {}
    for path in ("/dashboard/", "/projects/"):
        result = subprocess.run(
            [sys.executable, "-c", COCKPIT_PROBE, leader.username, path],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        out[path] = json.loads(result.stdout.strip().splitlines()[-1])
    cockpit, projects = out["/dashboard/"], out["/projects/"]
    assert cockpit["status"] == 200 and cockpit["routers"] == ["core.replica.ReplicaRouter"]
    # The cockpit's figures come from the replica; the primary serves the session and the user.
    assert cockpit["replica"] > cockpit["primary"]
    assert cockpit["replica"] >= 5
    # A page that did not opt in reads only from the primary.
    assert projects["status"] == 200 and projects["replica"] == 0


# --- Settings -----------------------------------------------------------------------------------------

SETTINGS_PROBE = """
import json
import django
from django.conf import settings
django.setup()
from django.core.files.storage import storages
default_storage = storages["default"]
print(json.dumps({
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "CACHE_LOCATION": settings.CACHES["default"].get("LOCATION", ""),
    "SESSION_ENGINE": settings.SESSION_ENGINE,
    "STORAGE": type(default_storage).__module__ + "." + type(default_storage).__name__,
    "BUCKET": getattr(default_storage, "bucket_name", None),
    "ENDPOINT": getattr(default_storage, "endpoint_url", None),
    "ACL": getattr(default_storage, "default_acl", None),
    "SIGNED": getattr(default_storage, "querystring_auth", None),
    "BEAT_SCHEDULER": settings.CELERY_BEAT_SCHEDULER,
}))
"""


def _settings(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES and not k.startswith("AWS_")}
    clean.update(
        DJANGO_SETTINGS_MODULE="projects_tracker.settings",
        VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="tracker.example",
    )
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _read(result) -> dict:
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_cache_is_redis_when_redis_is_there_and_sessions_stay_in_the_database(tmp_path):
    local = _read(_settings(tmp_path))
    assert local["CACHE"].endswith("LocMemCache")
    assert local["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    shared = _read(_settings(tmp_path, REDIS_URL="redis://redis.internal:6379/0"))
    assert shared["CACHE"] == "django.core.cache.backends.redis.RedisCache"
    assert shared["CACHE_LOCATION"] == "redis://redis.internal:6379/0"
    assert shared["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    cached = _read(_settings(tmp_path, REDIS_URL="redis://redis.internal:6379/0", SESSIONS_IN_CACHE="1"))
    assert cached["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert local["BEAT_SCHEDULER"] == "projects_tracker.beat:LeaderScheduler"


def test_media_on_an_s3_compatible_bucket(tmp_path):
    assert _read(_settings(tmp_path))["STORAGE"] == "core.files.StagedStorage"
    s3 = _read(
        _settings(
            tmp_path,
            MEDIA_STORAGE="s3",
            AWS_STORAGE_BUCKET_NAME="tracker-media",
            AWS_S3_ENDPOINT_URL="http://minio.internal:9000",
            AWS_ACCESS_KEY_ID="tracker",
            AWS_SECRET_ACCESS_KEY="not-a-real-secret",
        )
    )
    assert s3["STORAGE"] == "core.s3.ServerNamedS3Storage"
    assert s3["BUCKET"] == "tracker-media" and s3["ENDPOINT"] == "http://minio.internal:9000"
    assert s3["ACL"] == "private" and s3["SIGNED"] is True
    missing = _settings(tmp_path, MEDIA_STORAGE="s3")
    assert missing.returncode != 0 and "AWS_STORAGE_BUCKET_NAME" in missing.stderr
    assert _settings(tmp_path, MEDIA_STORAGE="ftp").returncode != 0


# --- One beat leads -------------------------------------------------------------------------------------


def _beat(tmp_path: Path, name: str, env: dict) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / f"beat-{name}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "celery"),
                "-A",
                "projects_tracker",
                "beat",
                "--loglevel=INFO",
                f"--schedule={tmp_path / f'schedule-{name}'}",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return process, log


def _sent(log: Path) -> int:
    return log.read_text(errors="replace").count("Sending due task")


def _wait(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_two_beats_against_one_redis_only_one_schedules_and_the_other_takes_over(tmp_path):
    if not settings.REDIS_URL:
        pytest.skip("leader election needs Redis (REDIS_URL)")
    import redis

    from projects_tracker.beat import LOCK_KEY

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(LOCK_KEY)
    queue = f"beat-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="projects_tracker.settings",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        REDIS_URL=settings.REDIS_URL,
        VAR_DIR=str(tmp_path / "var"),
        NOTIFY_SWEEP_SECONDS="1",
        BEAT_LEADER_TTL_SECONDS="3",
        # A queue nobody consumes: the sent tasks are only counted.
        CELERY_QUEUE=queue,
        CELERY_SWEEP_QUEUE=queue,
        CELERY_DELIVERY_QUEUE=queue,
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    first, first_log = _beat(tmp_path, "a", env)
    second, second_log = _beat(tmp_path, "b", env)
    try:
        assert _wait(lambda: _sent(first_log) + _sent(second_log) >= 6, 60), (
            first_log.read_text()[-2000:] + second_log.read_text()[-2000:]
        )
        time.sleep(2)
        counts = sorted([_sent(first_log), _sent(second_log)])
        assert counts[0] == 0 and counts[1] >= 6, counts
        leader, standby_log = (first, second_log) if _sent(first_log) else (second, first_log)
        assert client.get(LOCK_KEY) is not None
        # The leader dies without releasing the lock: the other takes over once it expires.
        os.killpg(leader.pid, signal.SIGKILL)
        leader.wait(timeout=10)
        assert _wait(lambda: _sent(standby_log) >= 2, 30), standby_log.read_text()[-2000:]
    finally:
        for process in (first, second):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        client.delete(LOCK_KEY, queue)
