"""approvals.services: the checklist from the project type (idempotent), the steps of the table,
due dates in working days by the official calendar, details, documents, audit."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from approvals import workflow
from approvals.models import ApprovalEvent, ApprovalItem, ProjectType, Status
from approvals.selectors import checklist_summary, department_figures, item_list, items_visible_to
from approvals.services import checklist_generate, document_add, document_delete, item_transition, item_update
from core.errors import ApplicationError, Conflict, PermissionDenied
from core.models import AuditEntry
from tests.approvals.conftest import day, types_for
from tests.factories import IssueFactory


def test_checklist_is_generated_from_the_project_type_in_order_and_idempotently(world, checklist):
    assert [i.name for i in checklist] == types_for("新建工业项目")
    assert [i.name for i in checklist][:2] == ["立项/备案", "用地预审与选址"]
    eia = world.item("环评")
    assert eia.department == world.eco and eia.time_limit_days == 30 and eia.status == Status.NOT_STARTED
    _checklist, added = checklist_generate(
        project=world.project, project_type=ProjectType.objects.get(name="新建工业项目"), by=world.users["official"]
    )
    assert added == [] and world.project.approval_items.count() == len(types_for("新建工业项目"))
    assert AuditEntry.objects.filter(action="approval_item.create").count() == len(types_for("新建工业项目"))


def test_changing_the_type_drops_only_untouched_items_the_new_type_does_not_need(world, checklist):
    item_transition(
        item=world.item("规划许可"), action="start", by=world.users["official"], applied_on=day("2026-11-02")
    )
    renovation = ProjectType.objects.get(name="技术改造项目")
    checklist_generate(project=world.project, project_type=renovation, by=world.users["official"])
    names = set(world.project.approval_items.values_list("name", flat=True))
    assert "用地预审与选址" not in names  # untouched, not needed
    assert "规划许可" in names  # under way: kept
    assert set(types_for("技术改造项目")) <= names


def test_start_computes_the_due_date_in_working_days_over_the_national_day_holiday(world, checklist):
    official = world.users["official"]
    # 2026-09-28 (Mon) + 5 working days: 9/29, 9/30, 10/8, 10/9 and the make-up Saturday 10/10.
    item = item_update(item=world.item("立项/备案"), by=world.users["supervisor"], time_limit_days=5)
    item = item_transition(item=item, action="start", by=official, applied_on=day("2026-09-28"))
    assert item.status == Status.IN_PROGRESS
    assert item.due_date == day("2026-10-10") and not item.due_provisional
    # 15 working days (weekends alone would give 10/19).
    item = item_update(item=item, by=official, time_limit_days=15)
    assert item.due_date == day("2026-10-23")
    item = item_transition(
        item=item, action="approve", by=official, approved_on=day("2026-10-20"), approval_number="新发改备〔2026〕8号"
    )
    assert item.status == Status.DONE and item.working_days_taken == 12
    assert item.approval_number == "新发改备〔2026〕8号"
    event = ApprovalEvent.objects.filter(item=item, action="approve").get()
    assert event.from_status == Status.IN_PROGRESS and event.data["working_days_taken"] == 12
    assert AuditEntry.objects.filter(action="approval_item.approve", object_id=str(item.pk)).exists()


def test_dates_are_checked(world, checklist):
    official = world.users["official"]
    with pytest.raises(ApplicationError) as exc:
        item_transition(item=world.item("环评"), action="start", by=official)
    assert "applied_on" in exc.value.fields
    with pytest.raises(ApplicationError) as exc:
        item_transition(item=world.item("环评"), action="start", by=official, applied_on=day("2026-11-28"))
    assert "applied_on" in exc.value.fields
    item = item_transition(item=world.item("环评"), action="start", by=official, applied_on=day("2026-11-02"))
    with pytest.raises(ApplicationError) as exc:
        item_transition(item=item, action="approve", by=official, approved_on=day("2026-11-01"))
    assert "approved_on" in exc.value.fields
    with pytest.raises(ApplicationError) as exc:
        item_update(item=item, by=official, time_limit_days=0)
    assert "time_limit_days" in exc.value.fields
    with pytest.raises(ApplicationError):
        item_transition(item=item, action="start", by=official, applied_on=day("2026-11-02"), bogus=1)


@pytest.mark.parametrize("status", list(Status))
def test_every_step_from_every_status_follows_the_table(world, checklist, status):
    """Walk the table: a step from one of its states works, from any other state it is a 409."""
    supervisor = world.users["supervisor"]
    payload = {"applied_on": day("2026-11-02"), "approved_on": day("2026-11-20"), "note": "原因"}
    for action, step in workflow.STEPS.items():
        item = world.item("环评")
        ApprovalItem.objects.filter(pk=item.pk).update(
            status=status,
            applied_on=day("2026-11-02") if status in (Status.IN_PROGRESS, Status.DONE) else None,
            due_date=day("2026-12-15") if status in (Status.IN_PROGRESS, Status.DONE) else None,
            approved_on=day("2026-11-20") if status == Status.DONE else None,
        )
        item.refresh_from_db()
        kwargs = {k: v for k, v in payload.items() if k in step.fields or k == "note"}
        if status in step.from_states:
            assert item_transition(item=item, action=action, by=supervisor, **kwargs).status == step.to_status
        else:
            with pytest.raises(Conflict):
                item_transition(item=item, action=action, by=supervisor, **kwargs)


def test_a_reason_is_required_where_the_table_says(world, checklist):
    with pytest.raises(ApplicationError) as exc:
        item_transition(item=world.item("安评"), action="not_applicable", by=world.users["official"])
    assert "note" in exc.value.fields
    item = item_transition(
        item=world.item("安评"), action="not_applicable", by=world.users["official"], note="无危化品"
    )
    assert item.status == Status.NOT_APPLICABLE


def test_return_clears_the_application_and_reopen_the_approval(world, checklist):
    official, supervisor = world.users["official"], world.users["supervisor"]
    item = item_transition(item=world.item("环评"), action="start", by=official, applied_on=day("2026-11-02"))
    item = item_transition(item=item, action="return", by=official, note="缺少专家评审意见")
    assert item.status == Status.NOT_STARTED and item.applied_on is None and item.due_date is None
    item = item_transition(item=item, action="start", by=official, applied_on=day("2026-11-09"))
    item = item_transition(item=item, action="approve", by=official, approved_on=day("2026-11-20"))
    with pytest.raises(PermissionDenied):
        item_transition(item=item, action="reopen", by=official, note="批复有误")
    item = item_transition(item=item, action="reopen", by=supervisor, note="批复有误")
    assert item.status == Status.IN_PROGRESS and item.approved_on is None and item.working_days_taken is None


ROLE_CASES = [
    # role, may start / approve 环评 (生态环境局), may mark not applicable
    ("official", True, True),
    ("supervisor", True, True),
    ("eco_handler", True, False),
    ("ndrc_handler", False, False),
    ("other_official", False, False),
    ("leader", False, False),
    ("staff", False, False),
]


@pytest.mark.parametrize(("role", "may_step", "may_waive"), ROLE_CASES)
def test_permissions_per_role(world, checklist, role, may_step, may_waive):
    user = world.users[role]
    item = world.item("环评")
    if may_step:
        item = item_transition(item=item, action="start", by=user, applied_on=day("2026-11-02"))
        assert item_update(item=item, by=user, note="已受理").note == "已受理"
    else:
        with pytest.raises(PermissionDenied):
            item_transition(item=item, action="start", by=user, applied_on=day("2026-11-02"))
        with pytest.raises(PermissionDenied):
            item_update(item=item, by=user, note="x")
    waive = world.item("安评")
    if may_waive:
        assert (
            item_transition(item=waive, action="not_applicable", by=user, note="不涉及").status == Status.NOT_APPLICABLE
        )
    else:
        with pytest.raises(PermissionDenied):
            item_transition(item=waive, action="not_applicable", by=user, note="不涉及")


def test_only_the_supervision_office_changes_the_department(world, checklist):
    item = world.item("环评")
    with pytest.raises(PermissionDenied):
        item_update(item=item, by=world.users["official"], department=world.ndrc)
    assert item_update(item=item, by=world.users["supervisor"], department=world.ndrc).department == world.ndrc


def test_the_blocking_issue_must_be_of_the_project(world, checklist):
    item = world.item("能评/节能审查")
    elsewhere = IssueFactory(project=world.other_project, enterprise=world.other_project.enterprise)
    with pytest.raises(ApplicationError) as exc:
        item_update(item=item, by=world.users["official"], blocking_issue=elsewhere)
    assert "blocking_issue" in exc.value.fields
    issue = IssueFactory(project=world.project, enterprise=world.enterprise)
    item = item_update(item=item, by=world.users["official"], blocking_issue=issue)
    assert item.blocking_issue == issue and item.is_blocked
    type(issue).objects.filter(pk=issue.pk).update(
        status="resolved", outcome="solved", lead_department=world.ndrc, resolved_at=issue.raised_at
    )
    item.refresh_from_db()
    assert not item.is_blocked


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile("批复.png", buffer.getvalue(), content_type="image/png")


def test_documents_accept_pdf_and_images_only(world, checklist, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = world.item("环评")
    official = world.users["official"]
    pdf = SimpleUploadedFile("环评批复.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf")
    document = document_add(item=item, by=official, upload=pdf, title="环评批复")
    assert document.content_type == "application/pdf" and document.file.name.startswith("private/approvals/")
    assert document_add(item=item, by=official, upload=_png()).content_type == "image/png"
    fake = SimpleUploadedFile("evil.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    with pytest.raises(ApplicationError) as exc:
        document_add(item=item, by=official, upload=fake)
    assert "file" in exc.value.fields
    with pytest.raises(PermissionDenied):
        document_add(item=item, by=world.users["leader"], upload=_png())
    document_delete(document=document, by=official)
    assert item.documents.count() == 1
    assert AuditEntry.objects.filter(action="approval_document.delete").exists()


def test_figures_per_department_and_overdue(world, checklist):
    official = world.users["official"]
    # 环评 (30 days) applied 2026-09-01: due long ago, still in progress -> overdue.
    item_transition(item=world.item("环评"), action="start", by=official, applied_on=day("2026-09-01"))
    energy = item_transition(
        item=world.item("能评/节能审查"), action="start", by=official, applied_on=day("2026-09-28")
    )
    item_transition(item=energy, action="approve", by=official, approved_on=day("2026-10-20"))
    filing = item_transition(item=world.item("立项/备案"), action="start", by=official, applied_on=day("2026-11-23"))
    item_transition(item=filing, action="approve", by=official, approved_on=day("2026-11-25"))
    today = datetime.date(2026, 11, 27)
    figures = {f.department: f for f in department_figures(items_visible_to(world.users["leader"]), today=today)}
    assert figures[world.eco].in_progress == 1 and figures[world.eco].overdue == 1
    assert figures[world.ndrc].done == 2 and figures[world.ndrc].average_days == pytest.approx((12 + 2) / 2)
    assert figures[world.ndrc].done_late == 0
    summary = checklist_summary(world.project.approval_items.all(), today=today)
    assert (summary.done, summary.in_progress, summary.overdue) == (2, 1, 1)
    assert next(iter(department_figures(items_visible_to(world.users["leader"]), today=today))).department == world.eco


def test_visibility_follows_the_project_and_the_handlers_department(world, checklist):
    assert item_list(user=world.users["other_official"]).count() == 0
    assert item_list(user=world.users["leader"]).count() == checklist.count()
    assert list(item_list(user=world.users["eco_handler"]).values_list("name", flat=True)) == ["环评"]
