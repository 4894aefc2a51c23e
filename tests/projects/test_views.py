"""Browser pages for projects and enterprises: who sees what, the three forms, bad input, query counts."""

import datetime
import os
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.models import AuditEntry, PendingUpload, Role
from core.rates import Rate
from core.templatetags import ui
from projects.models import Milestone, ProgressPhoto, ProgressReport, Project, Stage, StageChange
from projects.templatetags import projects_ui
from tests.factories import (
    PASSWORD,
    AnnualTargetFactory,
    ChainSegmentFactory,
    EnterpriseFactory,
    MilestoneFactory,
    ProgressReportFactory,
    ProjectFactory,
    user_with_role,
)

from .conftest import png_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

READERS = ["leader", "supervisor", "official", "staff"]
OUTSIDERS = ["other_official", "handler"]
WRITERS = {"official": True, "supervisor": True, "leader": False, "staff": False}
# What each role gets from a write endpoint: done (302), refused (403), or not even shown (404).
WRITE_STATUS = {"official": 302, "supervisor": 302, "leader": 403, "staff": 403, "handler": 404, "other_official": 404}


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def login(client, user):
    client.force_login(user)
    return client


def detail_url(project):
    return reverse("projects:detail", args=[project.pk])


def media_files(root) -> list[str]:
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files]


def report_data(**overrides):
    data = {
        "month": "2026-11",
        "investment": "300",
        "percent_complete": "45",
        "physical_progress": "主厂房钢结构吊装完成",
        "next_steps": "设备安装",
        "problems": "",
    }
    data.update(overrides)
    return data


# --- list and detail: who sees what ----------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_list_and_detail_render_for_each_role_that_sees_the_project(client, world, role):
    project = world["project"]
    login(client, world[role])

    listing = client.get(reverse("projects:list"))
    assert listing.status_code == 200
    assert project.name in listing.text
    assert detail_url(project) in listing.text

    page = client.get(detail_url(project))
    assert page.status_code == 200
    assert project.name in page.text
    assert project.code in page.text


@pytest.mark.parametrize("role", OUTSIDERS)
def test_project_outside_the_users_scope_is_404_and_not_listed(client, world, role):
    project = world["project"]
    login(client, world[role])
    assert client.get(detail_url(project)).status_code == 404
    listing = client.get(reverse("projects:list"))
    assert project.name not in listing.text


def test_anonymous_user_is_sent_to_the_login_page(client, world):
    response = client.get(detail_url(world["project"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_speaks_chinese_by_default(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.text
    assert "重大项目推进平台" in response.text
    assert "登录" in response.text


def test_log_in_and_log_out_with_a_post(client, world):
    response = client.post(reverse("login"), {"username": world["official"].username, "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("projects:list"))
    assert f'action="{reverse("logout")}"' in page.text
    assert client.get(reverse("logout")).status_code == 405  # a link cannot log anyone out
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("projects:list")).status_code == 302


def test_wrong_password_is_refused_with_a_message(client, world):
    response = client.post(reverse("login"), {"username": world["official"].username, "password": "nope"})
    assert response.status_code == 200
    assert "alert-error" in response.text
    assert "_auth_user_id" not in client.session


def test_pages_stay_chinese_for_an_english_browser_until_the_user_switches(client, world):
    login(client, world["official"])
    page = client.get(reverse("projects:list"), headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="zh-hans">' in page.text
    assert "重大项目推进平台" in page.text


def test_language_can_be_switched_to_english(client, world):
    login(client, world["official"])
    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("projects:list")}, follow=True)
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "Major Projects Tracker" in response.text


@pytest.mark.parametrize(("role", "shown"), WRITERS.items())
def test_edit_forms_are_shown_only_to_users_who_may_edit(client, world, role, shown):
    MilestoneFactory(project=world["project"], title="主体封顶")
    login(client, world[role])
    text = client.get(detail_url(world["project"])).text
    for form_id in ('id="report-form"', 'id="stage-form"', "milestone-form"):
        assert (form_id in text) is shown, form_id


def test_project_page_shows_reports_with_cumulative_photos_milestones_and_timeline(client, world):
    project = world["project"]
    ProgressReportFactory(project=project, month=datetime.date(2026, 9, 1), investment=Decimal("1200"))
    october = ProgressReportFactory(project=project, month=datetime.date(2026, 10, 1), investment=Decimal("800.50"))
    ProgressPhoto.objects.create(report=october, image=png_upload("oct.png"))
    AnnualTargetFactory(project=project, year=2026, planned_investment=Decimal("4000"))
    MilestoneFactory(project=project, title="逾期节点", due_date=datetime.date(2026, 11, 20))
    MilestoneFactory(project=project, title="临近节点", due_date=datetime.date(2026, 12, 1))
    StageChange.objects.create(
        project=project,
        from_stage=Stage.STARTED,
        to_stage=Stage.UNDER_CONSTRUCTION,
        changed_on=datetime.date(2026, 3, 1),
        changed_by=world["official"],
        reason="",
    )
    login(client, world["leader"])
    text = client.get(detail_url(project)).text

    # Newest report first, each with its own cumulative figure.
    assert text.index("2026年10月") < text.index("2026年9月")
    assert "2,000.50" in text  # cumulative after October
    assert "1,200" in text
    assert 'id="cumulative-investment">2,000.50' in text
    assert october.photos.get().url in text
    assert "50.0%" in text  # 2,000.50 of the 4,000 planned for 2026 (core.rates: one decimal place)
    assert "逾期 7 天" in text
    assert "即将到期" in text
    assert world["official"].official.name in text


def test_milestone_rows_show_the_one_state_of_projects_milestones(client, world):
    project = world["project"]
    rows = {
        "overdue": MilestoneFactory(project=project, due_date=datetime.date(2026, 11, 26)),
        "soon": MilestoneFactory(project=project, due_date=datetime.date(2026, 12, 4)),  # 7 days ahead
        "later": MilestoneFactory(project=project, due_date=datetime.date(2026, 12, 5)),  # 8 days ahead
        "met": MilestoneFactory(
            project=project, due_date=datetime.date(2026, 11, 1), completed_on=datetime.date(2026, 11, 2)
        ),
    }
    login(client, world["leader"])
    response = client.get(detail_url(project))
    shown = {m.pk: (m.state, m.due_soon) for m in response.context["milestones"]}
    assert shown == {
        rows["overdue"].pk: ("overdue", False),
        rows["soon"].pk: ("due", True),
        rows["later"].pk: ("due", False),
        rows["met"].pk: ("met", False),
    }
    text = response.text
    assert f'class="milestone milestone--overdue" id="milestone-{rows["overdue"].pk}"' in text
    assert f'class="milestone milestone--due milestone--due_soon" id="milestone-{rows["soon"].pk}"' in text
    assert f'class="milestone milestone--due" id="milestone-{rows["later"].pk}"' in text
    assert f'class="milestone milestone--met" id="milestone-{rows["met"].pk}"' in text


def test_earlier_reports_fold_away_and_open_milestones_come_first(client, world):
    project = world["project"]
    for month in range(6, 11):
        ProgressReportFactory(project=project, month=datetime.date(2026, month, 1))
    MilestoneFactory(
        project=project, title="早已完成", due_date=datetime.date(2026, 5, 1), completed_on=datetime.date(2026, 5, 1)
    )
    MilestoneFactory(project=project, title="尚未完成", due_date=datetime.date(2026, 12, 20))
    login(client, world["leader"])
    response = client.get(detail_url(project))
    assert [r.month.month for r in response.context["recent_reports"]] == [10, 9, 8]
    assert [r.month.month for r in response.context["older_reports"]] == [7, 6]
    assert "更早的月报（2 份）" in response.text
    listed = response.text[response.text.index('<ul class="milestones">') :]  # below the timeline strip
    assert listed.index("尚未完成") < listed.index("早已完成")


def test_list_search_by_pinyin_initials_and_filters(client, world):
    other = ProjectFactory(name="水性超纤项目", stage=Stage.SIGNED, is_key=True, key_label="1号产业")
    login(client, world["supervisor"])
    url = reverse("projects:list")

    text = client.get(url, {"q": "zxgt"}).text
    assert world["project"].name in text
    assert other.name not in text

    text = client.get(url, {"stage": Stage.SIGNED}).text
    assert other.name in text
    assert world["project"].name not in text

    text = client.get(url, {"key": "1"}).text
    assert other.name in text and "1号产业" in text
    assert world["project"].name not in text

    text = client.get(url, {"park": world["park"].pk}).text
    assert world["project"].name in text
    assert other.name not in text

    segment = ChainSegmentFactory()
    Project.objects.filter(pk=other.pk).update(segment=segment)
    text = client.get(url, {"chain": segment.chain.pk}).text
    assert other.name in text
    assert world["project"].name not in text

    # A value that is not a choice is ignored, never an error page.
    assert client.get(url, {"stage": "nonsense", "park": "x"}).status_code == 200


def test_mine_toggle_keeps_only_the_users_own_projects(client, world):
    login(client, world["official"])
    own = world["project"]
    Project.objects.filter(pk=own.pk).update(responsible_official=world["official"].official)
    unit_project = ProjectFactory(park=world["park"], responsible_unit=world["committee"], name="同单位项目")
    url = reverse("projects:list")
    assert unit_project.name in client.get(url).text
    text = client.get(url, {"mine": "on"}).text
    assert own.name in text
    assert unit_project.name not in text


def test_list_runs_the_same_number_of_queries_for_5_and_50_projects(client, world, django_assert_num_queries):
    def add_projects(n):
        for i in range(n):
            project = ProjectFactory(
                park=world["park"],
                responsible_unit=world["committee"],
                segment=ChainSegmentFactory(),
                parent=world["project"],
                phase_label="二期",
                is_key=i % 2 == 0,
            )
            ProgressReportFactory(project=project, month=datetime.date(2026, 10, 1))
            AnnualTargetFactory(project=project)
            MilestoneFactory(project=project, due_date=datetime.date(2026, 11, 1))

    login(client, world["official"])
    url = reverse("projects:list")
    add_projects(4)  # with world["project"]: 5 rows
    client.get(url)  # warm-up: sessions, content types
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)
    assert response.text.count('class="rtable__title"') == 5

    add_projects(45)
    with django_assert_num_queries(len(five)):
        response = client.get(url)
    assert response.text.count('class="rtable__title"') == 50


def test_project_page_query_count_does_not_grow_with_reports_and_milestones(client, world):
    project = world["project"]
    login(client, world["official"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(detail_url(project)).status_code == 200
        return len(ctx)

    ProgressReportFactory(project=project, month=datetime.date(2026, 1, 1))
    MilestoneFactory(project=project, completed_on=datetime.date(2026, 2, 1), completed_by=world["official"])
    client.get(detail_url(project))
    few = count()
    for month in range(2, 11):
        report = ProgressReportFactory(project=project, month=datetime.date(2026, month, 1))
        ProgressPhoto.objects.create(report=report, image=png_upload(f"m{month}.png"))
        MilestoneFactory(project=project, completed_on=datetime.date(2026, month, 2), completed_by=world["official"])
        MilestoneFactory(project=project)
    assert count() == few


# --- change stage ------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), WRITE_STATUS.items())
def test_change_stage_per_role(client, world, role, status):
    project = world["project"]
    login(client, world[role])
    response = client.post(reverse("projects:change_stage", args=[project.pk]), {"to_stage": Stage.COMPLETED})
    project.refresh_from_db()
    assert response.status_code == status
    if status == 302:
        assert response.url == detail_url(project) + "#stage"
        assert project.stage == Stage.COMPLETED
        page = client.get(response.url)
        assert "阶段已变更为竣工" in page.text
    else:
        assert project.stage == Stage.UNDER_CONSTRUCTION
        assert not StageChange.objects.exists()


def test_moving_back_without_a_reason_shows_the_error_on_the_reason_field(client, world):
    project = world["project"]
    login(client, world["official"])
    url = reverse("projects:change_stage", args=[project.pk])
    response = client.post(url, {"to_stage": Stage.SIGNED, "reason": " "})
    assert response.status_code == 400
    form = response.context["stage_form"]
    assert "需要说明原因" in " ".join(form.errors["reason"])
    assert 'id="id_reason_errors"' in response.text
    project.refresh_from_db()
    assert project.stage == Stage.UNDER_CONSTRUCTION
    assert not StageChange.objects.exists()

    # With a reason, the move is first shown with what it affects, and saved only once confirmed.
    response = client.post(url, {"to_stage": Stage.SIGNED, "reason": "用地手续退回重报"})
    assert response.status_code == 200
    assert 'data-testid="stage-confirm"' in response.text
    assert not StageChange.objects.exists()
    response = client.post(url, {"to_stage": Stage.SIGNED, "reason": "用地手续退回重报", "confirmed": "on"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED
    change = StageChange.objects.get()
    assert change.reason == "用地手续退回重报"
    assert change.changed_by == world["official"]
    assert "用地手续退回重报" in client.get(detail_url(project)).text


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"to_stage": "flying"}, "to_stage"),
        ({"to_stage": Stage.COMPLETED, "changed_on": "2026-12-01"}, "changed_on"),
        ({"to_stage": Stage.COMPLETED, "changed_on": "not a date"}, "changed_on"),
    ],
)
def test_change_stage_bad_input_saves_nothing(client, world, data, field):
    login(client, world["official"])
    response = client.post(reverse("projects:change_stage", args=[world["project"].pk]), data)
    assert response.status_code == 400
    assert response.context["stage_form"].errors[field]
    assert not StageChange.objects.exists()


# --- monthly report ----------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), WRITE_STATUS.items())
def test_submit_report_per_role(client, world, role, status, _media_root):
    project = world["project"]
    login(client, world[role])
    data = report_data(photos=[png_upload("a.png"), png_upload("b.png")])
    response = client.post(reverse("projects:submit_report", args=[project.pk]), data)
    assert response.status_code == status
    if status == 302:
        assert response.url == detail_url(project) + "#reports"
        report = ProgressReport.objects.get(project=project)
        assert report.month == datetime.date(2026, 11, 1)
        assert report.investment == Decimal("300")
        assert report.percent_complete == 45
        assert report.submitted_by == world[role]
        assert report.photos.count() == 2
        assert AuditEntry.objects.filter(action="progress_report.submit").exists()
        page = client.get(response.url)
        assert "2026年11月的月报已提交" in page.text
        assert 'id="cumulative-investment">300' in page.text
    else:
        assert not ProgressReport.objects.exists()
        assert media_files(_media_root) == []


def test_photos_are_served_to_logged_in_users_only(client, world):
    report = ProgressReportFactory(project=world["project"])
    photo = ProgressPhoto.objects.create(report=report, image=png_upload("site.png"))
    assert client.get(photo.url).status_code == 302
    login(client, world["leader"])
    response = client.get(photo.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_report_form_defaults_to_this_month(client, world):
    login(client, world["official"])
    text = client.get(detail_url(world["project"])).text
    assert 'type="month" name="month" value="2026-11"' in text
    assert 'accept="image/*"' in text
    assert 'capture="environment"' in text
    assert "multiple" in text


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"investment": "-5"}, "investment", "不能为负"),
        ({"investment": "abc"}, "investment", "数字"),
        ({"investment": ""}, "investment", "必填"),
        ({"month": "2026-12"}, "month", "尚未开始"),
        ({"month": "November"}, "month", "2026-11"),
        ({"physical_progress": "  "}, "physical_progress", ""),
        ({"percent_complete": "150"}, "percent_complete", "0"),
    ],
)
def test_report_bad_input_shows_field_errors_and_saves_nothing(client, world, overrides, field, message, _media_root):
    login(client, world["official"])
    data = report_data(photos=[png_upload()], **overrides)
    response = client.post(reverse("projects:submit_report", args=[world["project"].pk]), data)
    assert response.status_code == 400
    errors = response.context["report_form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert f'id="id_{field}_errors"' in response.text
    # The photo is kept for the resubmission (core.pending), shown as kept.
    assert "photos" not in errors
    assert "（保留）" in response.text and 'name="photos-pending"' in response.text
    # The form comes back open, with what the user typed.
    assert '<details class="inline-form" open>' in response.text
    assert not ProgressReport.objects.exists()
    assert not ProgressPhoto.objects.exists()
    assert len(media_files(_media_root)) == 1
    assert PendingUpload.objects.get().original_name == "site.png"


def test_second_report_for_the_same_month_offers_the_correction(client, world):
    project = world["project"]
    ProgressReportFactory(project=project, month=datetime.date(2026, 11, 1), investment=Decimal("100"))
    login(client, world["official"])
    response = client.post(reverse("projects:submit_report", args=[project.pk]), report_data())
    assert response.status_code == 200
    assert response.context["offered_instead"]
    assert response.context["form"]["investment"].value() == "300"
    assert ProgressReport.objects.get().investment == Decimal("100")


def test_second_report_for_a_closed_month_is_refused(client, world):
    project = world["project"]
    ProgressReportFactory(project=project, month=datetime.date(2026, 9, 1), investment=Decimal("100"))
    login(client, world["official"])
    response = client.post(reverse("projects:submit_report", args=[project.pk]), report_data(month="2026-09"))
    assert response.status_code == 400
    assert "已有2026年9月的月报" in " ".join(response.context["report_form"].errors["month"])
    assert ProgressReport.objects.get().investment == Decimal("100")


def test_non_image_upload_is_refused_and_nothing_saved(client, world, _media_root):
    login(client, world["official"])
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = client.post(
        reverse("projects:submit_report", args=[world["project"].pk]), report_data(photos=[png_upload(), fake])
    )
    assert response.status_code == 400
    assert "photo.jpg" in " ".join(response.context["report_form"].errors["photos"])
    assert not ProgressReport.objects.exists()
    # Only the good photo is kept for the resubmission (core.pending); the refused one is gone.
    assert PendingUpload.objects.count() == 1
    assert len(media_files(_media_root)) == 1


def test_oversized_upload_is_refused_and_nothing_saved(client, world, settings, _media_root):
    settings.MAX_UPLOAD_BYTES = 60
    login(client, world["official"])
    big = png_upload("big.png", size=(64, 64))
    assert big.size > 60
    response = client.post(reverse("projects:submit_report", args=[world["project"].pk]), report_data(photos=[big]))
    assert response.status_code == 400
    assert "big.png" in " ".join(response.context["report_form"].errors["photos"])
    assert not ProgressReport.objects.exists()
    assert media_files(_media_root) == []


# --- milestones --------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), WRITE_STATUS.items())
def test_complete_milestone_per_role(client, world, role, status):
    milestone = MilestoneFactory(project=world["project"], title="主体封顶")
    login(client, world[role])
    url = reverse("projects:complete_milestone", args=[world["project"].pk, milestone.pk])
    response = client.post(url, {"evidence": "监理签字确认", "evidence_file": png_upload("proof.png")})
    milestone.refresh_from_db()
    assert response.status_code == status
    if status == 302:
        assert response.url == detail_url(world["project"]) + "#milestones"
        assert milestone.completed_on == datetime.date(2026, 11, 27)
        assert milestone.evidence == "监理签字确认"
        assert milestone.evidence_file.name.endswith(".png")
        page = client.get(response.url)
        assert "已标记完成" in page.text
        assert "监理签字确认" in page.text
        assert milestone.evidence_url in page.text
    else:
        assert milestone.completed_on is None


def test_milestone_of_another_project_is_404(client, world):
    elsewhere = MilestoneFactory()
    login(client, world["official"])
    url = reverse("projects:complete_milestone", args=[world["project"].pk, elsewhere.pk])
    assert client.post(url, {"evidence": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"evidence": "  "}, "evidence"),
        ({"evidence": "ok", "completed_on": "2026-12-31"}, "completed_on"),
        ({"evidence_file": "not-an-image"}, "evidence_file"),
    ],
)
def test_complete_milestone_bad_input_saves_nothing(client, world, data, field, _media_root):
    milestone = MilestoneFactory(project=world["project"])
    if data.get("evidence_file") == "not-an-image":
        data = {"evidence_file": SimpleUploadedFile("scan.png", b"GIF89 nope", content_type="image/png")}
    login(client, world["official"])
    url = reverse("projects:complete_milestone", args=[world["project"].pk, milestone.pk])
    response = client.post(url, data)
    assert response.status_code == 400
    form = next(m.form for m in response.context["milestones"] if m.pk == milestone.pk)
    assert form.errors[field]
    assert f'id="id_m{milestone.pk}_{field}_errors"' in response.text
    milestone.refresh_from_db()
    assert milestone.completed_on is None
    assert media_files(_media_root) == []
    assert not Milestone.objects.exclude(evidence_file="").exists()


# --- enterprises ------------------------------------------------------------------------------


def test_enterprise_list_search_and_detail_with_visible_projects_only(client, world):
    steel = EnterpriseFactory(name="中新钢铁集团有限公司", short_name="中新钢铁")
    EnterpriseFactory(name="米尔化工有限公司")
    mine = ProjectFactory(enterprise=steel, park=world["park"], responsible_unit=world["committee"], name="特钢项目")
    hidden = ProjectFactory(enterprise=steel, name="外区项目")
    login(client, world["official"])

    text = client.get(reverse("enterprises:list"), {"q": "zxgt"}).text
    assert "中新钢铁集团有限公司" in text
    assert "米尔化工有限公司" not in text
    assert client.get(reverse("enterprises:list"), {"q": steel.credit_code}).text.count("rtable__title") == 1

    page = client.get(reverse("enterprises:detail", args=[steel.pk]))
    assert page.status_code == 200
    assert mine.name in page.text
    assert hidden.name not in page.text


def test_enterprise_pages_need_a_role(client, world):
    nobody = user_with_role(Role.OFFICIAL)
    nobody.official.delete()
    login(client, nobody)
    enterprise = world["project"].enterprise
    assert client.get(reverse("enterprises:detail", args=[enterprise.pk])).status_code == 404
    assert enterprise.name not in client.get(reverse("enterprises:list")).text


def test_enterprise_list_runs_the_same_number_of_queries_for_5_and_50_rows(client, world, django_assert_num_queries):
    def add_enterprises(n):
        for _ in range(n):
            enterprise = EnterpriseFactory(park=world["park"])
            enterprise.segments.add(ChainSegmentFactory(), ChainSegmentFactory())

    login(client, world["leader"])
    url = reverse("enterprises:list")
    add_enterprises(4)  # with the project's owner: 5 rows
    client.get(url)
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)
    assert response.text.count('class="rtable__title"') == 5

    add_enterprises(45)
    with django_assert_num_queries(len(five)):
        response = client.get(url)
    assert response.text.count('class="rtable__title"') == 50


# --- display helpers (core/templatetags/ui.py) ------------------------------------------------


def test_money_dates_and_ratios_render_with_a_dash_for_missing_values():
    with translation.override("zh-hans"):
        assert ui.money(Decimal("1234567.5")) == "1,234,567.50 万元"
        assert ui.money(Decimal("520000.00"), False) == "520,000"
        assert ui.money(None) == "—"
        assert ui.zh_date(datetime.date(2026, 7, 4)) == "2026年7月4日"
        assert ui.zh_month(datetime.date(2026, 11, 1)) == "2026年11月"
        assert ui.zh_date(None) == "—"
        assert ui.pct(Decimal("2000.5"), Decimal("4000")) == "50.0%"
        assert ui.pct(Decimal("10"), None) == "—"  # an empty denominator is "—", never 0% or 100%
        assert ui.pct(Decimal("10"), Decimal("0")) == "—"
        assert ui.pct(Rate(2, 3)) == "66.7%"
        assert ui.pct(Rate(0, 0)) == "—"
        assert ui.pct(None) == "—"
        assert ui.ratio_width(Decimal("500"), Decimal("100")) == 100
        assert 'class="badge stage stage-signed"' in projects_ui.stage_badge("signed")
        assert "签约" in projects_ui.stage_badge("signed")
    with translation.override("en"):
        assert ui.zh_date(datetime.date(2026, 7, 4)) == "July 4, 2026"
        assert ui.money(Decimal("12")) == "12 10k yuan"
