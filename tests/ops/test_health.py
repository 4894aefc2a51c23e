"""/healthz and /readyz in-process, against the real test database, broker and media folder,
with real faults: a media path that cannot hold files, a migration recorded as not applied, a
broker that refuses connections and one that accepts them but never answers."""

import json
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from tests.ops.conftest import closed_port

pytestmark = pytest.mark.django_db


def readyz(client):
    response = client.get("/readyz")
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, response.json()


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["X-Request-ID"]


def test_readyz_passes_every_check_and_shows_no_secret(client):
    status, body = readyz(client)
    assert status == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "broker", "media"}
    assert all(check["status"] == "ok" for check in body["checks"].values()), body
    assert body["checks"]["database"]["vendor"] == connection.vendor
    text = str(body)
    db = connection.settings_dict
    for secret in [settings.SECRET_KEY, settings.CELERY_BROKER_URL, str(db["NAME"]), db.get("PASSWORD")]:
        if secret and len(secret) > 3:
            assert secret not in text


def test_readyz_needs_no_login_and_refuses_writes(client):
    assert client.post("/readyz").status_code == 405
    assert client.get("/healthz").status_code == 200


def test_media_folder_that_cannot_take_files_fails_readiness(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = str(blocker / "media")
    status, body = readyz(client)
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["media"]["status"] == "fail"
    assert body["checks"]["media"]["detail"] in {"FileExistsError", "NotADirectoryError"}
    assert body["checks"]["database"]["status"] == "ok"


def test_unapplied_migration_fails_readiness(client):
    recorder = MigrationRecorder(connection)
    recorder.record_unapplied("ops", "0001_initial")  # rolled back with the test's transaction
    status, body = readyz(client)
    assert status == 503
    assert body["checks"]["migrations"] == {
        "status": "fail",
        "ms": body["checks"]["migrations"]["ms"],
        "detail": "1 migration(s) not applied",
    }


def test_refused_broker_fails_readiness_at_once(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    status, body = readyz(client)
    assert status == 503
    assert body["checks"]["broker"] == {
        "status": "fail",
        "ms": body["checks"]["broker"]["ms"],
        "detail": "OperationalError",
    }
    assert body["checks"]["database"]["status"] == "ok"


def test_hung_broker_fails_readiness_within_its_timeout(client, settings, paused_redis):
    settings.CELERY_BROKER_URL = paused_redis
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    settings.READYZ_BROKER_TIMEOUT = 0.5
    started = time.monotonic()
    status, body = readyz(client)
    assert status == 503
    assert body["checks"]["broker"]["status"] == "fail"
    # Bounded by the timeout, not hanging until the orchestrator gives up (generous margin).
    assert time.monotonic() - started < 10


def test_filesystem_broker_folder_gone_fails_readiness(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    missing = str(Path(tmp_path) / "no-such-folder")
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": missing, "data_folder_out": missing}
    status, body = readyz(client)
    assert status == 503
    assert body["checks"]["broker"]["status"] == "fail"


def test_the_500_handler_answers_an_outage_with_503(rf, tmp_path):
    """Errors raised outside a view (in another middleware) reach handler500 instead of the
    outage middleware: the same 503 there, for a real failed connection."""
    from django.db import OperationalError, connections

    from ops.views import server_error

    broken = connections.create_connection("default")
    broken.settings_dict = {**broken.settings_dict}
    if broken.vendor == "postgresql":
        broken.settings_dict.update({"HOST": "127.0.0.1", "PORT": closed_port()})
    else:
        broken.settings_dict["NAME"] = str(tmp_path / "no-such-folder" / "db.sqlite3")
    try:
        broken.ensure_connection()
    except OperationalError:
        api = server_error(rf.get("/api/v1/projects/"))
        page = server_error(rf.get("/issues/"))
    else:  # pragma: no cover
        pytest.fail("the connection should have failed")
    finally:
        broken.close()
    assert api.status_code == 503 and api["Retry-After"] == "30"
    assert json.loads(api.content)["code"] == "service_unavailable"
    assert page.status_code == 503 and b'data-testid="outage"' in page.content

    try:
        raise ValueError("a bug, not an outage")
    except ValueError:
        assert server_error(rf.get("/issues/")).status_code == 500
