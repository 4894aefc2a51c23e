"""The browser pages of approvals: who opens what, the project page's section, the checklist
created from the type, a step and its refused input on the field (400, nothing saved), the
documents served only to those who may see the item, the per-department page, the export and
the OC4IDS milestones, constant query counts for the lists."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from approvals.models import ProjectType, Status
from approvals.services import checklist_generate, document_add, item_transition
from tests.approvals.conftest import day
from tests.factories import ProjectFactory


def client_for(world, role) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.mark.parametrize(
    ("role", "status"),
    [("leader", 200), ("official", 200), ("supervisor", 200), ("eco_handler", 200), ("other_official", 404)],
)
def test_who_opens_the_item_page(world, checklist, role, status):
    item = world.item("环评")
    assert client_for(world, role).get(f"/approvals/items/{item.pk}/").status_code == status


def test_the_checklist_is_created_from_the_project_page(world):
    official = client_for(world, "official")
    page = official.get(f"/approvals/projects/{world.project.pk}/").content.decode()
    assert "生成手续清单" in page and 'id="checklist-form"' in page
    bad = official.post(f"/approvals/projects/{world.project.pk}/checklist/", {"project_type": "999999"})
    assert bad.status_code == 400 and not world.project.approval_items.exists()
    new_build = ProjectType.objects.get(name="新建工业项目")
    done = official.post(f"/approvals/projects/{world.project.pk}/checklist/", {"project_type": new_build.pk})
    assert done.status_code == 302 and world.project.approval_items.count() == 8
    assert (
        client_for(world, "leader")
        .post(f"/approvals/projects/{world.project.pk}/checklist/", {"project_type": new_build.pk})
        .status_code
        == 403
    )
    project_page = client_for(world, "leader").get(f"/projects/{world.project.pk}/").content.decode()
    assert 'id="approvals"' in project_page and "已办结 0 / 8 项手续" in project_page


def test_a_step_in_the_browser_and_its_errors_on_the_field(world, checklist):
    item = world.item("环评")
    official = client_for(world, "official")
    page = official.get(f"/approvals/items/{item.pk}/").content.decode()
    assert 'id="step-start"' in page and 'id="step-not_applicable"' in page and 'id="update-form"' in page
    bad = official.post(f"/approvals/items/{item.pk}/steps/start/", {"applied_on": "2026-12-30"})
    assert bad.status_code == 400 and "该日期不能晚于今天。" in bad.content.decode()
    item.refresh_from_db()
    assert item.status == Status.NOT_STARTED
    ok = official.post(f"/approvals/items/{item.pk}/steps/start/", {"applied_on": "2026-11-02"})
    assert ok.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS and item.due_date == day("2026-12-14")
    leader_page = client_for(world, "leader").get(f"/approvals/items/{item.pk}/").content.decode()
    assert 'id="step-approve"' not in leader_page and 'id="update-form"' not in leader_page
    assert client_for(world, "leader").post(f"/approvals/items/{item.pk}/steps/approve/", {}).status_code == 403
    assert official.post(f"/approvals/items/{item.pk}/steps/nonsense/", {}).status_code == 404
    handler = client_for(world, "eco_handler")
    assert handler.post(f"/approvals/items/{item.pk}/steps/approve/", {"approved_on": "2026-11-20"}).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.DONE and item.working_days_taken == 14
    timeline = official.get(f"/approvals/items/{item.pk}/").content.decode()
    assert "已申报（受理）" in timeline and "已批复（办结）" in timeline


def test_documents_are_served_only_to_who_may_see_the_item(world, checklist, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = world.item("环评")
    pdf = SimpleUploadedFile("环评批复.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    document = document_add(item=item, by=world.users["official"], upload=pdf, title="环评批复")
    response = client_for(world, "leader").get(f"/approvals/documents/{document.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(world, "other_official").get(f"/approvals/documents/{document.pk}/").status_code == 404
    assert client_for(world, "ndrc_handler").get(f"/approvals/documents/{document.pk}/").status_code == 404
    assert client_for(world, "leader").post(f"/approvals/documents/{document.pk}/delete/").status_code == 403
    upload = client_for(world, "official").post(
        f"/approvals/items/{item.pk}/documents/",
        {"file": SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")},
    )
    assert upload.status_code == 400 and item.documents.count() == 1


def test_department_page_export_and_oc4ids(world, checklist):
    official = world.users["official"]
    item_transition(item=world.item("环评"), action="start", by=official, applied_on=day("2026-09-01"))
    filing = item_transition(item=world.item("立项/备案"), action="start", by=official, applied_on=day("2026-11-23"))
    item_transition(item=filing, action="approve", by=official, approved_on=day("2026-11-25"))
    leader = client_for(world, "leader")
    page = leader.get("/approvals/departments/").content.decode()
    assert "生态环境局" in page and f"department={world.eco.pk}&amp;overdue=true" in page
    listing = leader.get("/approvals/", {"overdue": "true"}).content.decode()
    assert "环评" in listing and "1 项审批事项" in listing
    export = leader.get("/dashboard/export/approvals.xlsx", {"status": "done"})
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 1 and rows[0][3] == "立项/备案"
    assert client_for(world, "staff").get("/approvals/departments/").status_code == 403
    package = leader.get(f"/api/v1/oc4ids/projects/{world.project.pk}/").json()
    milestones = {m["title"]: m for m in package["projects"][0]["milestones"] if m["type"] == "approval"}
    assert milestones["立项/备案"]["status"] == "met" and milestones["立项/备案"]["dateMet"].startswith("2026-11-25")
    assert milestones["环评"]["status"] == "notMet"
    assert milestones["环评"]["description"] == "生态环境局"


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    ["/approvals/", "/approvals/?overdue=true&q=项目", "/approvals/departments/", "/dashboard/export/approvals.xlsx"],
)
def test_pages_run_a_constant_number_of_queries(world, checklist, url):
    client = client_for(world, "supervisor")
    new_build = ProjectType.objects.get(name="新建工业项目")

    def add(n):
        for i in range(n):
            project = ProjectFactory(park=world.park, name=f"测试项目{i}")
            checklist_generate(project=project, project_type=new_build, by=world.users["supervisor"])
            item = project.approval_items.get(name="环评")
            item_transition(item=item, action="start", by=world.users["supervisor"], applied_on=day("2026-09-01"))

    add(1)
    few = _count(client, url)
    add(5)
    assert _count(client, url) == few


def test_the_project_page_section_runs_a_constant_number_of_queries(world, checklist):
    client = client_for(world, "leader")
    url = f"/projects/{world.project.pk}/"
    few = _count(client, url)
    for name in ("环评", "能评/节能审查", "消防"):
        item_transition(item=world.item(name), action="start", by=world.users["official"], applied_on=day("2026-09-01"))
    assert _count(client, url) == few
