"""The approvals API: the checklist generated, steps and details through the API, role scoping,
bad input as 400 field errors, 409 for a step that does not apply, documents, the figures per
department, the item types, and list queries that do not grow with the rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import ProjectType, Status
from approvals.services import checklist_generate, item_transition
from tests.approvals.conftest import day
from tests.factories import IssueFactory, ProjectFactory


def _generate(world, role="official"):
    return world.client(role).post(
        "/api/v1/approval-items/generate/",
        {"project": world.project.pk, "project_type": ProjectType.objects.get(name="新建工业项目").pk},
        format="json",
    )


def test_generate_then_walk_an_item_through_the_api(world):
    response = _generate(world)
    assert response.status_code == 200, response.json()
    items = {i["name"]: i for i in response.json()}
    assert len(items) == 8 and items["环评"]["department"]["name"] == "生态环境局"
    assert _generate(world).json() == response.json()  # idempotent
    eia = items["环评"]["id"]
    official = world.client("official")
    started = official.post(
        f"/api/v1/approval-items/{eia}/transition/", {"action": "start", "applied_on": "2026-11-02"}, format="json"
    )
    assert started.status_code == 200, started.json()
    assert started.json()["status"] == "in_progress" and started.json()["due_date"] == "2026-12-14"
    assert started.json()["status_label"] == "办理中"
    # The department handler approves it.
    approved = world.client("eco_handler").post(
        f"/api/v1/approval-items/{eia}/transition/",
        {"action": "approve", "approved_on": "2026-11-20", "approval_number": "新环审〔2026〕12号"},
        format="json",
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["working_days_taken"] == 14 and approved.json()["overdue"] is False
    again = official.post(
        f"/api/v1/approval-items/{eia}/transition/", {"action": "start", "applied_on": "2026-11-02"}, format="json"
    )
    assert again.status_code == 409
    listed = world.client("leader").get("/api/v1/approval-items/", {"status": "done"}).json()
    assert [i["name"] for i in listed["results"]] == ["环评"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "jump"}, "action"),
        ({"action": "start"}, "applied_on"),
        ({"action": "start", "applied_on": "2026-02-30"}, "applied_on"),
        ({"action": "start", "applied_on": "2026-12-30"}, "applied_on"),
        ({"action": "not_applicable", "note": ""}, "note"),
        ({"action": "start", "applied_on": "2026-11-02", "note": "x" * 3000}, "note"),
    ],
)
def test_bad_steps_are_400_with_the_field(world, body, field):
    _generate(world)
    item = world.item("环评")
    response = world.client("official").post(f"/api/v1/approval-items/{item.pk}/transition/", body, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    item.refresh_from_db()
    assert item.status == Status.NOT_STARTED


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"time_limit_days": 0}, "time_limit_days"),
        ({"time_limit_days": 366}, "time_limit_days"),
        ({"time_limit_days": "abc"}, "time_limit_days"),
        ({"blocking_issue": 99999999999}, "blocking_issue"),
        ({"applied_on": "2026-11-02"}, "applied_on"),  # not applied yet: a step sets it
        ({"department": "x"}, "department"),
    ],
)
def test_bad_details_are_400_with_the_field(world, body, field):
    _generate(world)
    item = world.item("环评")
    response = world.client("supervisor").patch(f"/api/v1/approval-items/{item.pk}/", body, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()


def test_the_blocking_issue_of_another_project_is_refused(world):
    _generate(world)
    item = world.item("能评/节能审查")
    other = IssueFactory(project=world.other_project, enterprise=world.other_project.enterprise)
    response = world.client("official").patch(
        f"/api/v1/approval-items/{item.pk}/", {"blocking_issue": other.pk}, format="json"
    )
    assert response.status_code == 400 and "blocking_issue" in response.json()
    mine = IssueFactory(project=world.project, enterprise=world.enterprise)
    response = world.client("official").patch(
        f"/api/v1/approval-items/{item.pk}/", {"blocking_issue": mine.pk}, format="json"
    )
    assert response.status_code == 200 and response.json()["blocked"] is True


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        ("leader", 200, 403),
        ("supervisor", 200, 200),
        ("official", 200, 200),
        ("eco_handler", 200, 200),
        ("ndrc_handler", 404, 404),
        ("other_official", 404, 404),
        ("staff", 200, 403),
    ],
)
def test_scoping_and_writes_per_role(world, role, read, write):
    _generate(world)
    item = world.item("环评")
    client = world.client(role)
    assert client.get(f"/api/v1/approval-items/{item.pk}/").status_code == read
    response = client.patch(f"/api/v1/approval-items/{item.pk}/", {"note": "已受理"}, format="json")
    assert response.status_code == write
    assert world.client(None).get("/api/v1/approval-items/").status_code in (401, 403)


def test_generate_refuses_a_project_the_user_may_not_change(world):
    assert _generate(world, "leader").status_code == 403
    assert _generate(world, "other_official").status_code == 400  # the project is not visible: unknown id
    assert not world.project.approval_items.exists()


def test_documents_upload_through_the_api(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _generate(world)
    item = world.item("环评")
    client = world.client("official")
    pdf = SimpleUploadedFile("批复.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(
        f"/api/v1/approval-items/{item.pk}/documents/", {"file": pdf, "title": "环评批复"}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["url"].startswith("/approvals/documents/")
    fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00", content_type="application/pdf")
    response = client.post(f"/api/v1/approval-items/{item.pk}/documents/", {"file": fake}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    detail = client.get(f"/api/v1/approval-items/{item.pk}/").json()
    assert [d["title"] for d in detail["documents"]] == ["环评批复"]


def test_department_figures_and_item_types(world):
    _generate(world)
    item_transition(item=world.item("环评"), action="start", by=world.users["official"], applied_on=day("2026-09-01"))
    figures = world.client("leader").get("/api/v1/approval-items/departments/")
    assert figures.status_code == 200
    row = next(r for r in figures.json() if r["department"] and r["department"]["name"] == "生态环境局")
    assert row["in_progress"] == 1 and row["overdue"] == 1 and row["average_days"] is None
    assert world.client("staff").get("/api/v1/approval-items/departments/").status_code == 403
    types = world.client("official").get("/api/v1/approval-item-types/").json()
    assert [t["name"] for t in types][:3] == ["立项/备案", "用地预审与选址", "规划许可"]
    assert "新建工业项目" in [p["name"] for p in types[0]["project_types"]]


def test_list_queries_do_not_grow_with_projects(world, django_assert_num_queries):
    new_build = ProjectType.objects.get(name="新建工业项目")
    client = world.client("supervisor")

    def add_projects(n):
        for _ in range(n):
            project = ProjectFactory(park=world.park)
            checklist_generate(project=project, project_type=new_build, by=world.users["supervisor"])
            item = project.approval_items.get(name="环评")
            item_transition(item=item, action="start", by=world.users["supervisor"], applied_on=day("2026-11-02"))

    add_projects(1)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/approval-items/", {"page_size": 200}).json()["count"] == 8
    add_projects(5)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/approval-items/", {"page_size": 200}).json()["count"] == 48
