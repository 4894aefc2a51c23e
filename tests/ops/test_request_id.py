"""Request ids: taken from X-Request-ID or made, returned in the response, on every JSON log
record of the request (also those Django writes after the middleware returned), and gone once
the request is over. (Into Celery tasks: tests/notifications/test_request_id_in_tasks.py.)"""

import io
import json
import logging
import re

import pytest

from ops import context
from ops.logs import ContextFilter, JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """The root logger also writes to a buffer through the production filter and formatter."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)

    def records() -> list[dict]:
        handler.flush()
        return [json.loads(line) for line in buffer.getvalue().splitlines()]

    yield records
    root.removeHandler(handler)


def test_a_given_request_id_is_kept_and_logged(client, json_log):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="abc-123.def")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "abc-123.def"
    records = {r["logger"]: r for r in json_log()}
    access = records["ops.access"]
    assert access["request_id"] == "abc-123.def"
    assert (access["method"], access["path"], access["status"]) == ("GET", "/no-such-page/", 404)
    assert isinstance(access["duration_ms"], float)
    # Django logs the 404 after the middleware returned: still the request's id.
    assert records["django.request"]["request_id"] == "abc-123.def"
    assert context.request_id.get() is None


@pytest.mark.parametrize("given", [None, "", "two words", "x" * 129, "id\nINFO forged line"])
def test_a_missing_or_unsafe_request_id_is_replaced(client, json_log, given):
    headers = {} if given is None else {"HTTP_X_REQUEST_ID": given}
    response = client.get("/healthz", **headers)
    made = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert [r["request_id"] for r in json_log() if r["logger"] == "ops.access"] == [made]


def test_each_request_gets_its_own_id(client):
    ids = {client.get("/healthz")["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_records_are_one_json_object_per_line_with_the_user(client, json_log):
    from core.models import Role
    from tests.factories import user_with_role

    user = user_with_role(Role.SUPERVISOR)
    client.force_login(user)
    client.get("/notifications/", HTTP_X_REQUEST_ID="req-user")
    access = next(r for r in json_log() if r["logger"] == "ops.access")
    assert access["user_id"] == user.pk
    assert access["time"].endswith("+00:00") and access["level"] == "INFO"
    assert {"task_id", "task_name"} <= access.keys()
