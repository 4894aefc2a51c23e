"""Shared fixtures. The suite runs against DATABASE_URL (PostgreSQL in CI) and REDIS_URL."""

import os
import shutil
import tempfile

import pytest

from approvals.models import ProjectType
from tests.seeds import seed_migrated_data

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the cockpit keeps the live league standings there)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings):
    """Uploads go to a temporary folder that is removed after each test."""
    path = tempfile.mkdtemp(prefix="tracker-media-")
    settings.MEDIA_ROOT = path
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return any(name in request.fixturenames for name in ("transactional_db", "live_server"))


@pytest.fixture(autouse=True)
def _migrated_data(request):
    """Transactional tests (live server, real Celery worker) flush the database afterwards, which
    also removes the rows the data migrations seeded (the holiday calendar, the time-limit table,
    health rules and league formulas, approval types). Seed them again before and after each such
    test, through the functions the migrations call, so every test sees the database as `migrate`
    leaves it, whatever order the tests run in."""
    if not _is_transactional(request):
        if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
            # Before the test's transaction opens: whatever ran before (a transactional test's
            # flush, in whichever order the run put the tests), the seeded rows are there.
            request.getfixturevalue("django_db_setup")  # the test database, created once
            with request.getfixturevalue("django_db_blocker").unblock():
                if not ProjectType.objects.exists():
                    seed_migrated_data()
        yield
        return
    request.getfixturevalue("transactional_db")
    seed_migrated_data()
    yield
    # transactional_db was set up after this fixture, so its flush has run by now: seed again, so
    # that a test with the ordinary `db` fixture that runs next also finds the seeded rows.
    blocker = request.getfixturevalue("django_db_blocker")
    with blocker.unblock():
        seed_migrated_data()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On SQLite, Django's `flush` (the end of every transactional test) is DELETE FROM each table,
    which the audit trail's DELETE trigger (migration core.0004) rightly refuses; PostgreSQL
    flushes with TRUNCATE, which row triggers do not see. So on SQLite the test database keeps the
    UPDATE trigger only; tests/core/test_audit_trail.py checks DELETE on PostgreSQL."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_delete")
