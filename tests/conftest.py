"""Shared fixtures. The suite runs against DATABASE_URL (PostgreSQL in CI) and REDIS_URL."""

import os
import shutil
import tempfile

import pytest

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
def _media_root(settings):
    """Uploads go to a temporary folder that is removed after each test."""
    path = tempfile.mkdtemp(prefix="tracker-media-")
    settings.MEDIA_ROOT = path
    yield path
    shutil.rmtree(path, ignore_errors=True)


def pytest_collection_modifyitems(items):
    """Transactional tests (live server, real Celery worker) flush the database afterwards,
    which would also remove the rows that data migrations seed (the holiday calendar, the
    time-limit table, health rules). Serialized rollback reloads them before each such test, so
    every test sees the database exactly as `migrate` leaves it."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None:
            if marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
                item.add_marker(
                    pytest.mark.django_db(*marker.args, **marker.kwargs, serialized_rollback=True), append=False
                )
        elif any(name in item.fixturenames for name in ("transactional_db", "live_server")):
            item.fixturenames.append("django_db_serialized_rollback")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the serialized database contents available to every connection object.

    Django stores them as an attribute of the connection object that created the test
    database. Playwright's sync API runs its own event loop, and Django's connection handler
    (an asgiref Local) hands out a fresh connection object inside it, without that attribute:
    serialized rollback would then silently load nothing. Copy it onto every new connection.
    """
    from django.db import connections
    from django.db.utils import ConnectionHandler

    contents = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    original = ConnectionHandler.create_connection

    def create_connection(self, alias):
        connection = original(self, alias)
        if alias in contents:
            connection._test_serialized_contents = contents[alias]
        return connection

    ConnectionHandler.create_connection = create_connection
    yield
    ConnectionHandler.create_connection = original
