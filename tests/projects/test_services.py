"""Writes to projects: permissions per role, validation, history and audit."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import ApplicationError, PermissionDenied
from core.models import AuditEntry
from projects import services
from projects.models import AnnualTarget, Milestone, ProgressPhoto, ProgressReport, Project, Stage, StageChange
from tests.factories import EnterpriseFactory, MilestoneFactory, ProgressReportFactory

from .conftest import TODAY, png_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


WRITERS = {
    "official": True,
    "supervisor": True,
    "leader": False,
    "staff": False,
    "handler": False,
    "other_official": False,
}


# --- stage ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "allowed"), WRITERS.items())
def test_stage_change_permission_per_role(world, role, allowed):
    project = world["project"]
    if allowed:
        services.project_change_stage(project=project, to_stage=Stage.COMPLETED, by=world[role])
        project.refresh_from_db()
        assert project.stage == Stage.COMPLETED
        assert project.stage_changed_on == TODAY
    else:
        with pytest.raises(PermissionDenied):
            services.project_change_stage(project=project, to_stage=Stage.COMPLETED, by=world[role])
        project.refresh_from_db()
        assert project.stage == Stage.UNDER_CONSTRUCTION
        assert not StageChange.objects.exists()


def test_stage_forward_is_recorded_in_history_and_audit(world):
    project = world["project"]
    change = services.project_change_stage(
        project=project, to_stage=Stage.COMPLETED, changed_on=datetime.date(2026, 11, 20), by=world["official"]
    )
    assert (change.from_stage, change.to_stage, change.changed_on) == (
        Stage.UNDER_CONSTRUCTION,
        Stage.COMPLETED,
        datetime.date(2026, 11, 20),
    )
    assert change.changed_by == world["official"]
    entry = AuditEntry.objects.get(action="project.stage")
    assert entry.changes["stage"] == ["under_construction", "completed"]
    assert entry.actor == world["official"]


def test_moving_back_needs_a_reason(world):
    project = world["project"]
    with pytest.raises(ApplicationError) as excinfo:
        services.project_change_stage(project=project, to_stage=Stage.SIGNED, by=world["official"])
    assert "reason" in excinfo.value.fields
    assert not StageChange.objects.exists()

    services.project_change_stage(
        project=project, to_stage=Stage.SIGNED, reason="土地手续退回重报", by=world["official"]
    )
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED
    assert StageChange.objects.get().reason == "土地手续退回重报"


def test_stopping_needs_a_reason_and_keeps_it(world):
    project = world["project"]
    with pytest.raises(ApplicationError) as excinfo:
        services.project_change_stage(project=project, to_stage=Stage.STOPPED, by=world["official"])
    assert "reason" in excinfo.value.fields
    services.project_change_stage(
        project=project, to_stage=Stage.STOPPED, reason="企业资金链断裂", by=world["official"]
    )
    project.refresh_from_db()
    assert project.stopped_reason == "企业资金链断裂"
    # Reviving a stopped project needs a reason too, and keeps it in the history and the audit.
    with pytest.raises(ApplicationError) as excinfo:
        services.project_change_stage(project=project, to_stage=Stage.UNDER_CONSTRUCTION, by=world["official"])
    assert excinfo.value.fields == {"reason": ["恢复已终止的项目需要说明原因。"]}
    services.project_change_stage(
        project=project, to_stage=Stage.UNDER_CONSTRUCTION, reason="新投资方接手", by=world["official"]
    )
    project.refresh_from_db()
    assert project.stopped_reason == ""
    entry = AuditEntry.objects.filter(action="project.stage").order_by("-id").first()
    assert (entry.changes["reason"], entry.changes["kind"]) == ("新投资方接手", "revive")
    assert StageChange.objects.filter(project=project).order_by("-id").first().reason == "新投资方接手"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"to_stage": Stage.UNDER_CONSTRUCTION}, "to_stage"),  # already there
        ({"to_stage": "demolished"}, "to_stage"),
        ({"to_stage": Stage.COMPLETED, "changed_on": datetime.date(2026, 11, 28)}, "changed_on"),  # future
        ({"to_stage": Stage.COMPLETED, "changed_on": datetime.date(2026, 2, 1)}, "changed_on"),  # before last
    ],
)
def test_bad_stage_changes_are_refused_field_level(world, kwargs, field):
    with pytest.raises(ApplicationError) as excinfo:
        services.project_change_stage(project=world["project"], by=world["official"], **kwargs)
    assert field in excinfo.value.fields
    assert not StageChange.objects.exists()


# --- monthly report -----------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "allowed"), WRITERS.items())
def test_report_permission_per_role(world, role, allowed):
    call = lambda: services.progress_report_submit(  # noqa: E731
        project=world["project"], month=TODAY, investment="800", physical_progress="钢结构吊装", by=world[role]
    )
    if allowed:
        report = call()
        assert report.month == datetime.date(2026, 11, 1)
    else:
        with pytest.raises(PermissionDenied):
            call()
        assert not ProgressReport.objects.exists()


def test_report_with_photos_saves_all_and_audits(world):
    report = services.progress_report_submit(
        project=world["project"],
        month=datetime.date(2026, 11, 15),
        investment=Decimal("1250.50"),
        physical_progress="主厂房封顶",
        percent_complete=65,
        photos=[png_upload("a.png"), png_upload("b.png")],
        by=world["official"],
    )
    assert report.month == datetime.date(2026, 11, 1)
    assert report.investment == Decimal("1250.50")
    assert ProgressPhoto.objects.filter(report=report).count() == 2
    assert AuditEntry.objects.filter(action="progress_report.submit", object_id=str(report.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"investment": "-1"}, "investment"),
        ({"investment": "abc"}, "investment"),
        ({"investment": "1.234"}, "investment"),
        ({"investment": "NaN"}, "investment"),
        ({"month": datetime.date(2026, 12, 1)}, "month"),
        ({"physical_progress": "  "}, "physical_progress"),
        ({"percent_complete": 120}, "percent_complete"),
        ({"photos": [SimpleUploadedFile("x.png", b"not an image", content_type="image/png")]}, "photos"),
    ],
)
def test_bad_report_input_saves_nothing(world, overrides, field):
    kwargs = {
        "project": world["project"],
        "month": TODAY,
        "investment": "100",
        "physical_progress": "基础施工",
        "by": world["official"],
        **overrides,
    }
    with pytest.raises(ApplicationError) as excinfo:
        services.progress_report_submit(**kwargs)
    assert field in excinfo.value.fields
    assert not ProgressReport.objects.exists()
    assert not ProgressPhoto.objects.exists()


def test_oversized_photo_is_refused(world, settings):
    settings.MAX_UPLOAD_BYTES = 50
    with pytest.raises(ApplicationError) as excinfo:
        services.progress_report_submit(
            project=world["project"],
            month=TODAY,
            investment="1",
            physical_progress="x",
            photos=[png_upload(size=(64, 64))],
            by=world["official"],
        )
    assert "photos" in excinfo.value.fields
    assert not ProgressReport.objects.exists()


def test_second_report_for_same_month_is_refused(world):
    services.progress_report_submit(
        project=world["project"], month=TODAY, investment="1", physical_progress="x", by=world["official"]
    )
    with pytest.raises(ApplicationError) as excinfo:
        services.progress_report_submit(
            project=world["project"],
            month=datetime.date(2026, 11, 3),
            investment="2",
            physical_progress="y",
            by=world["official"],
        )
    assert excinfo.value.code == "duplicate"
    assert "month" in excinfo.value.fields
    assert ProgressReport.objects.get().investment == Decimal("1")


def test_report_correction_is_audited(world):
    report = ProgressReportFactory(project=world["project"], investment=Decimal("10"))
    services.progress_report_update(report=report, investment="12.5", by=world["official"])
    report.refresh_from_db()
    assert report.investment == Decimal("12.5")
    assert AuditEntry.objects.get(action="progress_report.update").changes["investment"] == ["10.00", "12.5"]
    with pytest.raises(PermissionDenied):
        services.progress_report_update(report=report, investment="1", by=world["staff"])


# --- projects ---------------------------------------------------------------------------------


def test_only_supervisors_create_projects_and_dates_are_checked(world):
    data = {
        "code": "XY-NEW-1",
        "name": "米尔化工新材料项目",
        "enterprise": EnterpriseFactory(),
        "park": world["park"],
        "total_investment": "20000",
    }
    with pytest.raises(PermissionDenied):
        services.project_create(by=world["official"], **data)
    with pytest.raises(ApplicationError) as excinfo:
        services.project_create(
            by=world["supervisor"],
            planned_start=datetime.date(2026, 6, 1),
            planned_completion=datetime.date(2026, 5, 1),
            **data,
        )
    assert "planned_completion" in excinfo.value.fields
    with pytest.raises(ApplicationError) as excinfo:
        services.project_create(by=world["supervisor"], **{**data, "total_investment": "-5"})
    assert "total_investment" in excinfo.value.fields
    assert not Project.objects.filter(code="XY-NEW-1").exists()

    project = services.project_create(by=world["supervisor"], stage=Stage.NEGOTIATING, **data)
    assert project.name_initials == "mehgxclxm"
    assert StageChange.objects.get(project=project).to_stage == Stage.NEGOTIATING


def test_a_new_project_starts_at_its_stage_on_its_date_never_stopped_nor_in_the_future(world):
    data = {
        "code": "XY-NEW-2",
        "name": "智能装备项目",
        "enterprise": EnterpriseFactory(),
        "park": world["park"],
        "total_investment": "8000",
    }
    with pytest.raises(ApplicationError) as excinfo:
        services.project_create(by=world["supervisor"], stage=Stage.STOPPED, **data)
    assert "stage" in excinfo.value.fields
    with pytest.raises(ApplicationError) as excinfo:
        services.project_create(
            by=world["supervisor"], stage=Stage.SIGNED, changed_on=TODAY + datetime.timedelta(days=1), **data
        )
    assert "changed_on" in excinfo.value.fields
    assert not Project.objects.filter(code="XY-NEW-2").exists()

    signed_on = datetime.date(2026, 4, 1)
    project = services.project_create(by=world["supervisor"], stage=Stage.SIGNED, changed_on=signed_on, **data)
    assert (project.stage, project.stage_changed_on) == (Stage.SIGNED, signed_on)
    (first,) = project.stage_changes.all()
    assert (first.from_stage, first.to_stage, first.changed_on, first.changed_by) == (
        "",
        Stage.SIGNED,
        signed_on,
        world["supervisor"],
    )
    # The history goes on from there: a later move may not be dated before it.
    with pytest.raises(ApplicationError) as excinfo:
        services.project_change_stage(
            project=project, to_stage=Stage.STARTED, changed_on=datetime.date(2026, 3, 1), by=world["supervisor"]
        )
    assert "changed_on" in excinfo.value.fields


def test_project_update_checks_dates_against_stored_values(world):
    project = world["project"]  # planned 2026-03-01 .. 2027-12-31
    with pytest.raises(ApplicationError) as excinfo:
        services.project_update(project=project, planned_completion=datetime.date(2026, 1, 1), by=world["official"])
    assert "planned_completion" in excinfo.value.fields
    services.project_update(project=project, total_investment="12000", by=world["official"])
    project.refresh_from_db()
    assert project.total_investment == Decimal("12000")
    assert AuditEntry.objects.get(action="project.update").changes["total_investment"] == ["10000.00", "12000"]
    with pytest.raises(PermissionDenied):
        services.project_update(project=project, name="x", by=world["other_official"])


# --- annual targets -----------------------------------------------------------------------------


def test_annual_targets_are_set_by_supervisors_only(world):
    with pytest.raises(PermissionDenied):
        services.annual_target_set(project=world["project"], year=2026, planned_investment="5000", by=world["official"])
    target = services.annual_target_set(
        project=world["project"],
        year=2026,
        planned_investment="5000",
        first_half_investment="2000",
        by=world["supervisor"],
    )
    assert target.second_half_investment == Decimal("3000")
    with pytest.raises(ApplicationError) as excinfo:
        services.annual_target_set(
            project=world["project"], year=2026, first_half_investment="6000", by=world["supervisor"]
        )
    assert "first_half_investment" in excinfo.value.fields
    assert AnnualTarget.objects.get().first_half_investment == Decimal("2000")


def test_setting_a_target_to_what_it_is_writes_nothing(world):
    def set_target(**data):
        return services.annual_target_set(project=world["project"], year=2026, by=world["supervisor"], **data)

    target = set_target(planned_investment="5000", first_half_investment="2000")
    stamp = AnnualTarget.objects.get().updated_at
    set_target(planned_investment=Decimal("5000.00"), first_half_investment="2000")
    assert AnnualTarget.objects.get().updated_at == stamp
    set_target(planned_investment="5500")
    actions = list(AuditEntry.objects.filter(object_id=str(target.pk)).order_by("id").values_list("action", flat=True))
    assert actions == ["annual_target.create", "annual_target.update"]


# --- milestones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "allowed"), WRITERS.items())
def test_milestone_completion_permission_per_role(world, role, allowed):
    milestone = MilestoneFactory(project=world["project"])
    if allowed:
        services.milestone_complete(milestone=milestone, evidence="验收报告", by=world[role])
        milestone.refresh_from_db()
        assert milestone.completed_on == TODAY
    else:
        with pytest.raises(PermissionDenied):
            services.milestone_complete(milestone=milestone, evidence="验收报告", by=world[role])
        milestone.refresh_from_db()
        assert milestone.completed_on is None


def test_milestone_responsible_official_of_another_unit_may_complete_it(world):
    milestone = MilestoneFactory(project=world["project"], responsible=world["other_official"].official)
    services.milestone_complete(milestone=milestone, evidence_file=png_upload(), by=world["other_official"])
    milestone.refresh_from_db()
    assert milestone.is_done and milestone.evidence_file


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"evidence": ""}, "evidence"),
        ({"evidence": "x", "completed_on": datetime.date(2026, 11, 28)}, "completed_on"),
        ({"evidence": "", "evidence_file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}, "evidence_file"),
    ],
)
def test_milestone_completion_needs_evidence_and_a_past_date(world, kwargs, field):
    milestone = MilestoneFactory(project=world["project"])
    with pytest.raises(ApplicationError) as excinfo:
        services.milestone_complete(milestone=milestone, by=world["official"], **kwargs)
    assert field in excinfo.value.fields
    milestone.refresh_from_db()
    assert milestone.completed_on is None


def test_milestone_cannot_be_completed_twice_and_reopen_needs_reason(world):
    milestone = MilestoneFactory(project=world["project"])
    services.milestone_complete(milestone=milestone, evidence="ok", by=world["official"])
    with pytest.raises(ApplicationError):
        services.milestone_complete(milestone=milestone, evidence="again", by=world["official"])
    with pytest.raises(ApplicationError) as excinfo:
        services.milestone_reopen(milestone=milestone, reason="", by=world["official"])
    assert "reason" in excinfo.value.fields
    services.milestone_reopen(milestone=milestone, reason="误操作", by=world["official"])
    milestone.refresh_from_db()
    assert milestone.completed_on is None
    assert AuditEntry.objects.filter(action="milestone.reopen").count() == 1


def test_milestone_create_by_project_official(world):
    with pytest.raises(PermissionDenied):
        services.milestone_create(project=world["project"], title="竣工验收", due_date=TODAY, by=world["staff"])
    milestone = services.milestone_create(
        project=world["project"], title="竣工验收", due_date=datetime.date(2026, 12, 20), by=world["official"]
    )
    assert Milestone.objects.get() == milestone
