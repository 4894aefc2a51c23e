"""Outages seen from outside: the production server (gunicorn, DEBUG off) with a database that
cannot be reached and a broker that refuses connections answers 503 — JSON with Retry-After for
the API, the branded page for the browser — never a 500; /healthz stays 200 and /readyz says
what is down. And a PostgreSQL connection killed under a running server costs no request."""

import json
import re
import urllib.error
import urllib.request

import pytest
from django.db import connection

from tests.ops.conftest import closed_port

TOKEN = "0123456789abcdef0123456789abcdef01234567"
SESSION = "sessionid=" + "a1b2c3d4e5" * 3 + "xy"


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def unreachable_databases(tmp_path) -> dict:
    return {
        "postgresql": f"postgres://tracker:secret-pw@127.0.0.1:{closed_port()}/tracker",
        "sqlite": f"sqlite:///{tmp_path}/no-such-folder/db.sqlite3",
    }


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
def test_database_and_broker_down_answer_503_not_500(gunicorn, tmp_path, vendor):
    server = gunicorn(
        DATABASE_URL=unreachable_databases(tmp_path)[vendor], REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0"
    )

    status, _, body = fetch(f"{server.url}/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})

    status, headers, body = fetch(f"{server.url}/readyz")
    checks = json.loads(body)["checks"]
    assert status == 503
    assert {name: check["status"] for name, check in checks.items()} == {
        "database": "fail",
        "migrations": "skipped",
        "broker": "fail",
        "media": "ok",
    }
    assert "secret-pw" not in body and "127.0.0.1" not in body

    # The API: its error shape, 503, Retry-After, in the caller's language.
    for language, text in [("zh-hans", "服务暂时不可用"), ("en", "temporarily unavailable")]:
        status, headers, body = fetch(
            f"{server.url}/api/v1/projects/",
            {"Authorization": f"Token {TOKEN}", "Accept-Language": language, "X-Request-ID": f"outage-{language}"},
        )
        assert status == 503, body
        assert headers["Content-Type"] == "application/json"
        assert headers["Retry-After"] == "30"
        assert headers["X-Request-ID"] == f"outage-{language}"
        data = json.loads(body)
        assert data["code"] == "service_unavailable"
        assert text in data["detail"]

    # A page of a signed-in user (the session lives in the database): the branded 503 page.
    for cookie, title in [(SESSION, "暂时无法访问"), (f"{SESSION}; django_language=en", "Temporarily unavailable")]:
        status, headers, body = fetch(f"{server.url}/issues/", {"Cookie": cookie})
        assert status == 503
        assert headers["Content-Type"].startswith("text/html")
        assert headers["Retry-After"] == "30"
        assert title in body
        assert 'data-testid="outage"' in body and "/static/css/app.css" in body
        assert "Traceback" not in body and "OperationalError" not in body

    # The log: JSON lines; the outage is recorded with its request id and the cause.
    records = [json.loads(line) for line in server.log.read_text().splitlines() if line.startswith("{")]
    outage = [r for r in records if r["logger"] == "ops.outage" and r["request_id"] == "outage-en"]
    assert outage and "OperationalError" in outage[0]["exc_info"]
    access = [r for r in records if r["logger"] == "ops.access" and r["request_id"] == "outage-en"]
    assert access[0]["status"] == 503 and access[0]["path"] == "/api/v1/projects/"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend is PostgreSQL's")
def test_killed_database_connection_costs_no_request(gunicorn, django_db_setup, settings):
    """A kept-open connection that the server lost (restart, failover, pg_terminate_backend) is
    checked before reuse (CONN_HEALTH_CHECKS), so the next request simply reconnects."""
    import psycopg2

    db = connection.settings_dict
    name = "tracker-killed-conn-test"
    url = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}?application_name={name}"
    )
    server = gunicorn(DATABASE_URL=url, DB_CONN_MAX_AGE="600", REDIS_URL=settings.REDIS_URL or "")

    status, _, body = fetch(f"{server.url}/readyz")
    assert status == 200, body
    admin = psycopg2.connect(
        dbname="postgres", user=db["USER"], password=db.get("PASSWORD") or None, host=db["HOST"], port=db["PORT"]
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s", [name])
            assert cursor.fetchall() == [(True,)], "the server kept one connection open"
        status, _, body = fetch(f"{server.url}/readyz")
        assert status == 200, body
        assert json.loads(body)["checks"]["database"]["status"] == "ok"
        with admin.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [name])
            assert cursor.fetchone() == (1,)
    finally:
        admin.close()
    assert not re.search(r'"status": 5\d\d', server.log.read_text())
