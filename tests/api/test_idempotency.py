"""Idempotent API writes (issue #10 item 2): the Idempotency-Key header on every state-changing
call, and versions that make a repeated action without a key a 409, never a second row."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from core.idempotency import IdempotencyRecord, idempotency_records_purge
from core.models import Role
from core.tasks import purge_idempotency_records
from issues import services as issue_services
from issues.models import Issue, IssueEvent, Status
from projects.models import ProgressPhoto, ProgressReport
from tests.api.conftest import png_upload
from tests.factories import DepartmentFactory, IssueFactory, OfficialFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the guarantees are tested on PostgreSQL")


def token_client(user) -> APIClient:
    """A client that signs in as an API client does (the middleware sees who it is)."""
    _token, raw = ApiToken.objects.issue(user=user, ttl=datetime.timedelta(hours=8))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


@pytest.fixture
def case(db):
    unit = DepartmentFactory(name="自然资源和规划局")
    handler = OfficialFactory(name="经办人", role=Role.HANDLER, department=unit)
    raiser = OfficialFactory(name="专班成员", role=Role.STAFF)
    issue = IssueFactory(
        status=Status.IN_PROGRESS,
        lead_department=unit,
        handler=handler,
        raised_by=raiser.user,
        acknowledged_at=timezone.now() - datetime.timedelta(hours=1),
    )
    return issue, handler


def respond(client, issue, *, key=None, note="已协调供电公司", version=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(
        f"/api/v1/issues/{issue.pk}/respond/",
        {"version": version or issue.version, "note": note},
        format="json",
        **headers,
    )


def replies(issue) -> int:
    return IssueEvent.objects.filter(issue=issue, action="respond").count()


def test_a_repeat_with_the_same_key_returns_the_first_answer_and_stores_nothing_twice(case):
    issue, handler = case
    client = token_client(handler.user)
    first = respond(client, issue, key="a7f3c2e0-respond-1")
    assert first.status_code == 200, first.content
    assert first.json()["version"] == issue.version + 1
    assert "Idempotent-Replayed" not in first

    again = respond(client, issue, key="a7f3c2e0-respond-1")
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again["Content-Type"] == "application/json"
    assert replies(issue) == 1
    assert Issue.objects.get(pk=issue.pk).version == issue.version + 1
    record = IdempotencyRecord.objects.get()
    assert (record.user, record.method, record.path, record.status_code) == (
        handler.user,
        "POST",
        f"/api/v1/issues/{issue.pk}/respond/",
        200,
    )
    assert record.expires_at - record.created_at == datetime.timedelta(hours=24)


def test_a_repeat_without_a_key_is_a_409_never_a_second_reply(case):
    issue, handler = case
    client = token_client(handler.user)
    assert respond(client, issue).status_code == 200
    again = respond(client, issue)
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"
    assert replies(issue) == 1


@pytest.mark.parametrize("action", ["respond", "comment"])
def test_every_action_advances_the_version_even_a_reply_or_a_comment(case, action):
    issue, handler = case
    updated = issue_services.issue_transition(
        issue=issue, action=action, by=handler.user, note="说明", expected_version=issue.version
    )
    assert updated.version == issue.version + 1
    assert Issue.objects.get(pk=issue.pk).version == issue.version + 1


def test_the_same_key_with_a_different_body_is_refused(case):
    issue, handler = case
    client = token_client(handler.user)
    assert respond(client, issue, key="k-1", note="第一次答复").status_code == 200
    other = respond(client, issue, key="k-1", note="另一个答复")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert replies(issue) == 1


def test_a_key_belongs_to_one_user_method_and_path(case):
    issue, handler = case
    second_issue = IssueFactory(
        status=Status.IN_PROGRESS,
        lead_department=issue.lead_department,
        handler=handler,
        raised_by=issue.raised_by,
        acknowledged_at=issue.acknowledged_at,
    )
    client = token_client(handler.user)
    assert respond(client, issue, key="shared").status_code == 200
    # Another path with the same key is another request.
    assert respond(client, second_issue, key="shared").status_code == 200
    assert replies(issue) == 1 and replies(second_issue) == 1
    # Another user with the same key is not shown the first user's answer.
    colleague = OfficialFactory(role=Role.HANDLER, department=issue.lead_department)
    answer = respond(token_client(colleague.user), issue, key="shared", version=issue.version)
    assert "Idempotent-Replayed" not in answer
    assert answer.status_code in {403, 409}


def test_an_error_answer_is_repeated_and_a_server_error_releases_the_key(case, monkeypatch):
    issue, handler = case
    client = token_client(handler.user)
    bad = respond(client, issue, key="empty-note", note="")
    assert bad.status_code == 400
    assert respond(client, issue, key="empty-note", note="")["Idempotent-Replayed"] == "true"

    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("issues.api.views.issue_transition", broken)
    client.raise_request_exception = False
    assert respond(client, issue, key="retry-me").status_code == 500
    assert not IdempotencyRecord.objects.filter(key="retry-me").exists()
    monkeypatch.undo()
    retried = respond(client, issue, key="retry-me")
    assert retried.status_code == 200 and "Idempotent-Replayed" not in retried
    assert replies(issue) == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "with space", "中文键"])
def test_a_malformed_key_is_a_400(case, key):
    issue, handler = case
    response = token_client(handler.user).post(
        f"/api/v1/issues/{issue.pk}/respond/",
        {"version": issue.version, "note": "答复"},
        format="json",
        headers={"Idempotency-Key": key},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert replies(issue) == 0


def test_reads_and_anonymous_calls_are_not_keyed(case):
    issue, handler = case
    client = token_client(handler.user)
    assert client.get(f"/api/v1/issues/{issue.pk}/", HTTP_IDEMPOTENCY_KEY="read").status_code == 200
    assert APIClient().post("/api/v1/auth/token/", {}, format="json", HTTP_IDEMPOTENCY_KEY="anon").status_code == 400
    assert not IdempotencyRecord.objects.exists()


def test_a_multipart_upload_with_the_same_key_is_stored_once(db, _media_root):
    unit = DepartmentFactory()
    official = OfficialFactory(role=Role.OFFICIAL, department=unit)
    from tests.factories import ProjectFactory

    project = ProjectFactory(responsible_unit=unit)
    client = token_client(official.user)

    def submit(photo_name="a.png", amount="800.00"):
        return client.post(
            "/api/v1/progress-reports/",
            {
                "project": project.pk,
                "month": timezone.localdate().strftime("%Y-%m"),
                "investment": amount,
                "physical_progress": "设备安装",
                "percent_complete": "65",
                "photos": [png_upload(photo_name)],
            },
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="report-upload-1",
        )

    first = submit()
    assert first.status_code == 201, first.content
    again = submit()  # a new multipart boundary, the same content
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert ProgressReport.objects.count() == 1 and ProgressPhoto.objects.count() == 1
    assert submit(amount="900.00").status_code == 422


def test_expired_records_are_purged_and_the_key_can_be_used_again(case):
    issue, handler = case
    client = token_client(handler.user)
    assert respond(client, issue, key="old").status_code == 200
    IdempotencyRecord.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    # Past its day the key starts over: the stale version is then refused as any repeat is.
    assert respond(client, issue, key="old").status_code == 409
    assert replies(issue) == 1
    IdempotencyRecord.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert idempotency_records_purge() == 1
    assert purge_idempotency_records() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_run_once(monkeypatch):
    unit = DepartmentFactory()
    handler = OfficialFactory(role=Role.HANDLER, department=unit)
    issue = IssueFactory(
        status=Status.IN_PROGRESS,
        lead_department=unit,
        handler=handler,
        raised_by=OfficialFactory(role=Role.STAFF).user,
        acknowledged_at=timezone.now() - datetime.timedelta(hours=1),
    )
    entered, release = threading.Event(), threading.Event()
    real = issue_services.issue_transition

    def slow(**kwargs):
        entered.set()
        assert release.wait(20)
        return real(**kwargs)

    monkeypatch.setattr("issues.api.views.issue_transition", slow)
    client = token_client(handler.user)
    answers = {}

    def first():
        answers["first"] = respond(client, issue, key="same-key")
        connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert entered.wait(20)
    second = respond(token_client(handler.user), issue, key="same-key")
    assert second.status_code == 409
    assert second.json()["code"] == "idempotency_key_in_use"
    assert second["Retry-After"] == "1"
    release.set()
    thread.join(20)
    assert answers["first"].status_code == 200
    third = respond(client, issue, key="same-key")
    assert third.status_code == 200 and third["Idempotent-Replayed"] == "true"
    assert replies(issue) == 1


def test_the_schema_documents_the_header_on_every_write(schema_document):
    writes = [
        (path, method, operation)
        for path, operations in schema_document["paths"].items()
        for method, operation in operations.items()
        if method in {"post", "put", "patch", "delete"}
    ]
    assert len(writes) > 20
    for path, method, operation in writes:
        names = {(p["name"], p["in"]) for p in operation.get("parameters", [])}
        assert ("Idempotency-Key", "header") in names, (method, path)
    reads = [op for ops in schema_document["paths"].values() for m, op in ops.items() if m == "get"]
    assert all("Idempotency-Key" not in {p["name"] for p in op.get("parameters", [])} for op in reads)


@pytest.fixture
def schema_document(db):
    from drf_spectacular.generators import SchemaGenerator

    from projects_tracker import api_urls

    return SchemaGenerator(patterns=api_urls.urlpatterns).get_schema(request=None, public=True)
