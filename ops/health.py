"""Readiness checks for /readyz: each returns quickly, and says what failed without secrets.

database    a query on the default connection (PostgreSQL connects with DB_CONNECT_TIMEOUT)
migrations  every migration on disk is applied (needs the database)
broker      a connection to the Celery broker with READYZ_BROKER_TIMEOUT (Redis: PING)
media       a file can be written to and removed from MEDIA_ROOT
"""

import logging
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from kombu import Connection

logger = logging.getLogger(__name__)

OK = "ok"
FAIL = "fail"
SKIPPED = "skipped"


class CheckFailed(Exception):
    """A check's own verdict, with a message safe to show (no hosts, users or passwords)."""


@dataclass
class CheckResult:
    status: str
    ms: float = 0.0
    detail: str = ""
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = {"status": self.status, "ms": round(self.ms, 1)}
        if self.detail:
            data["detail"] = self.detail
        return {**data, **self.extra}


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def check_migrations() -> dict:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise CheckFailed(f"{len(plan)} migration(s) not applied")
    return {}


def check_broker() -> dict:
    timeout = settings.READYZ_BROKER_TIMEOUT
    options = {
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "max_retries": 0,
    }
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=timeout, transport_options=options) as conn:
        conn.default_channel  # noqa: B018 (opening the channel is the check: Redis answers a PING)
        transport = conn.transport.driver_type
    if transport == "filesystem":
        # kombu's folder broker "connects" to anything: the folders must exist and take files.
        for key in ("data_folder_in", "data_folder_out"):
            with tempfile.NamedTemporaryFile(dir=options[key], prefix=".readyz-"):
                pass
    return {"transport": transport}


def check_media() -> dict:
    root = settings.MEDIA_ROOT
    os.makedirs(root, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=root, prefix=".readyz-", delete=True) as probe:
        probe.write(b"ok")
        probe.flush()
        os.fsync(probe.fileno())
    return {}


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[], dict]
    needs: str | None = None


CHECKS = (
    Check("database", check_database),
    Check("migrations", check_migrations, needs="database"),
    Check("broker", check_broker),
    Check("media", check_media),
)


def readiness() -> tuple[bool, dict[str, dict]]:
    """Run every check; (all passed, {name: {"status", "ms", "detail"?}})."""
    results: dict[str, CheckResult] = {}
    for check in CHECKS:
        if check.needs and results[check.needs].status != OK:
            results[check.name] = CheckResult(SKIPPED, detail=f"needs {check.needs}")
            continue
        started = time.monotonic()
        try:
            extra = check.run()
        except CheckFailed as exc:
            results[check.name] = CheckResult(FAIL, detail=str(exc))
        except Exception as exc:
            # The class name says enough (OperationalError, TimeoutError, PermissionError, …); the
            # message may name hosts or users, so it goes to the log only.
            logger.warning("Readiness check %s failed", check.name, exc_info=True)
            results[check.name] = CheckResult(FAIL, detail=type(exc).__name__)
        else:
            results[check.name] = CheckResult(OK, extra=extra)
        results[check.name].ms = (time.monotonic() - started) * 1000
        if check.name == "database" and results[check.name].status != OK:
            # Do not keep a broken connection for the next request of this thread.
            connection.close_if_unusable_or_obsolete()
    ready = all(r.status == OK for r in results.values())
    return ready, {name: r.as_dict() for name, r in results.items()}
