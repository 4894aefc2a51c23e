"""The supervisors' audit log: page (search, paging, constant queries), export and API."""

import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from core.models import Role
from core.services import audit_record
from tests.factories import ProjectFactory, user_with_role


@pytest.fixture
def trail(db):
    supervisor = user_with_role(Role.SUPERVISOR, name="督查员", title="")
    official = user_with_role(Role.OFFICIAL, name="张科长", title="")
    project = ProjectFactory(name='=HYPERLINK("http://x")项目')
    with time_machine.travel(datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC)):
        audit_record(actor=official, action="project.update", obj=project, changes={"name": ["旧", "新"]})
    for i in range(60):
        audit_record(actor=supervisor, action="issue.assign", obj=project, changes={"n": i})
    return supervisor, official, project


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_only_supervisors_see_the_page_the_export_and_the_api(trail):
    supervisor, _official, _project = trail
    for role in [Role.LEADER, Role.OFFICIAL, Role.STAFF, Role.HANDLER]:
        user = user_with_role(role)
        assert _client(user).get("/dashboard/audit/").status_code == 403
        assert _client(user).get("/dashboard/audit.xlsx").status_code == 403
        api = APIClient()
        api.force_authenticate(user)
        assert api.get("/api/v1/audit-entries/").status_code == 403
    assert _client(supervisor).get("/dashboard/audit/").status_code == 200


def test_search_by_actor_action_object_and_days(trail):
    supervisor, _official, project = trail
    client = _client(supervisor)
    page = client.get("/dashboard/audit/", {"actor_name": "张科长"}).content.decode()
    assert "project.update" in page and "issue.assign" not in page
    assert "旧 → 新" in page
    page = client.get("/dashboard/audit/", {"action": "issue"}).content.decode()
    assert "issue.assign" in page and "project.update" not in page
    api = APIClient()
    api.force_authenticate(supervisor)
    data = api.get(
        "/api/v1/audit-entries/", {"object_type": "projects.project", "object_id": project.pk, "to": "2026-10-31"}
    ).json()
    assert data["count"] == 1
    assert data["results"][0]["actor_name"] == "张科长"
    today = str(timezone.localdate())
    assert api.get("/api/v1/audit-entries/", {"from": today, "action": "issue.assign"}).json()["count"] == 60
    assert api.get("/api/v1/audit-entries/", {"object_type": "nonsense"}).status_code == 400
    assert api.get("/api/v1/audit-entries/", {"start": "0001-01-01"}).status_code == 400


def test_the_page_is_paged_with_constant_queries(trail):
    supervisor, _official, project = trail
    client = _client(supervisor)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/dashboard/audit/").status_code == 200
    for _i in range(40):
        audit_record(actor=user_with_role(Role.OFFICIAL), action="project.update", obj=project)
    with CaptureQueriesContext(connection) as second:
        response = client.get("/dashboard/audit/", {"page": 2})
    assert response.status_code == 200
    assert len(second) == len(first)


def test_the_export_is_the_search(trail):
    """Written by dashboards.excel's table writer (the one that makes formula-like text safe)."""
    supervisor, _official, project = trail
    response = _client(supervisor).get("/dashboard/audit.xlsx", {"actor_name": "张科长"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][1] == "张科长"
    assert rows[1][3] == "project.update"
    assert rows[1][5] == str(project.pk)
    assert rows[1][7] == "name: 旧 → 新"
