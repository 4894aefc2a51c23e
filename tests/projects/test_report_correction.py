"""Correcting a monthly report in the browser: this month's and last month's, by the project's
officials; older months refused with a clear message (the supervision office may); audited with
the values before and after; filing a month that already has a report offers its correction."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from core.errors import ApplicationError
from core.models import AuditEntry
from projects import services
from projects.models import ProgressPhoto, ProgressReport
from tests.factories import ProgressReportFactory

from .conftest import png_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    # 2 January 2027: "last month" is December 2026 — the window crosses the year boundary.
    with time_machine.travel(datetime.datetime(2027, 1, 2, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def correct_url(report):
    return reverse("projects:correct_report", args=[report.project_id, report.pk])


def report_of(world, month, **kwargs):
    return ProgressReportFactory(project=world["project"], month=month, **kwargs)


@pytest.mark.parametrize(
    ("month", "open_"),
    [(datetime.date(2027, 1, 1), True), (datetime.date(2026, 12, 1), True), (datetime.date(2026, 11, 1), False)],
)
def test_the_correction_window_is_this_month_and_last(world, month, open_):
    report = report_of(world, month, investment=Decimal("10"))
    if open_:
        services.progress_report_update(report=report, investment="12.5", by=world["official"])
        assert ProgressReport.objects.get(pk=report.pk).investment == Decimal("12.5")
    else:
        with pytest.raises(ApplicationError) as excinfo:
            services.progress_report_update(report=report, investment="12.5", by=world["official"])
        assert excinfo.value.code == "correction_closed"
        assert "2026年11月" in excinfo.value.message or "November 2026" in excinfo.value.message
        assert ProgressReport.objects.get(pk=report.pk).investment == Decimal("10")
        assert not AuditEntry.objects.filter(action="progress_report.update").exists()


def test_the_supervision_office_corrects_an_older_month(world):
    report = report_of(world, datetime.date(2026, 6, 1), investment=Decimal("10"))
    services.progress_report_update(report=report, investment="11", by=world["supervisor"])
    assert ProgressReport.objects.get(pk=report.pk).investment == Decimal("11")


def test_a_correction_is_audited_before_and_after_with_photos(world):
    report = report_of(world, datetime.date(2026, 12, 1), investment=Decimal("10"), physical_progress="基础施工")
    kept = ProgressPhoto.objects.create(report=report, image=png_upload("a.png"))
    gone = ProgressPhoto.objects.create(report=report, image=png_upload("b.png"))
    services.progress_report_update(
        report=report,
        investment="12.50",
        physical_progress="  主体封顶 ",
        photos=[png_upload("c.png")],
        remove_photos=[gone.pk],
        by=world["official"],
    )
    entry = AuditEntry.objects.get(action="progress_report.update")
    assert entry.changes["investment"] == ["10.00", "12.50"]
    assert entry.changes["physical_progress"] == ["基础施工", "主体封顶"]
    assert entry.changes["photos_added"] == 1
    assert len(entry.changes["photos_removed"]) == 1
    assert entry.actor == world["official"]
    assert set(ProgressPhoto.objects.filter(report=report).values_list("pk", flat=True)) - {kept.pk} != set()
    assert not ProgressPhoto.objects.filter(pk=gone.pk).exists()


def test_another_reports_photo_cannot_be_removed_through_a_correction(world):
    report = report_of(world, datetime.date(2026, 12, 1))
    other = report_of(world, datetime.date(2027, 1, 1))
    foreign = ProgressPhoto.objects.create(report=other, image=png_upload("x.png"))
    services.progress_report_update(report=report, remove_photos=[foreign.pk], by=world["official"])
    assert ProgressPhoto.objects.filter(pk=foreign.pk).exists()


def test_the_browser_correction_form_saves_and_shows_the_history(client, world):
    report = report_of(world, datetime.date(2026, 12, 1), investment=Decimal("10"), physical_progress="基础施工")
    client.force_login(world["official"])
    page = client.get(reverse("projects:detail", args=[world["project"].pk])).content.decode()
    assert correct_url(report) in page
    form = client.get(correct_url(report))
    assert form.status_code == 200
    assert 'name="investment"' in form.content.decode()
    response = client.post(
        correct_url(report), {"investment": "15", "physical_progress": "主体封顶", "percent_complete": "40"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#report-2026-12")
    report.refresh_from_db()
    assert (report.investment, report.physical_progress, report.percent_complete) == (Decimal("15"), "主体封顶", 40)
    history = client.get(correct_url(report)).content.decode()
    assert "基础施工" in history and "主体封顶" in history  # before → after


def test_a_bad_correction_keeps_what_was_typed_and_saves_nothing(client, world):
    report = report_of(world, datetime.date(2026, 12, 1), investment=Decimal("10"))
    client.force_login(world["official"])
    response = client.post(correct_url(report), {"investment": "-3", "physical_progress": "新的进度说明"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "新的进度说明" in body
    assert ProgressReport.objects.get(pk=report.pk).investment == Decimal("10")


def test_an_older_month_is_refused_with_a_clear_message_and_not_offered(client, world):
    report = report_of(world, datetime.date(2026, 10, 1), investment=Decimal("10"))
    client.force_login(world["official"])
    page = client.get(reverse("projects:detail", args=[world["project"].pk])).content.decode()
    assert correct_url(report) not in page
    shown = client.get(correct_url(report))
    assert shown.status_code == 200
    assert 'data-testid="correction-refused"' in shown.content.decode()
    assert 'name="investment"' not in shown.content.decode()
    posted = client.post(correct_url(report), {"investment": "99", "physical_progress": "x"})
    assert posted.status_code == 400
    assert "督查室" in posted.content.decode()
    assert ProgressReport.objects.get(pk=report.pk).investment == Decimal("10")


@pytest.mark.parametrize("role", ["leader", "staff", "handler", "other_official"])
def test_those_who_may_not_edit_get_no_correction(client, world, role):
    report = report_of(world, datetime.date(2026, 12, 1))
    client.force_login(world[role])
    page = client.get(reverse("projects:detail", args=[world["project"].pk]))
    assert correct_url(report) not in page.content.decode()
    assert client.get(correct_url(report)).status_code in (403, 404)
    assert client.post(correct_url(report), {"investment": "1", "physical_progress": "x"}).status_code in (403, 404)


def test_filing_a_month_that_has_its_report_offers_the_correction(client, world):
    report = report_of(world, datetime.date(2027, 1, 1), investment=Decimal("10"), physical_progress="基础施工")
    client.force_login(world["official"])
    page = client.get(reverse("projects:detail", args=[world["project"].pk])).content.decode()
    assert 'data-testid="this-month-filed"' in page
    response = client.post(
        reverse("projects:submit_report", args=[world["project"].pk]),
        {"month": "2027-01", "investment": "20", "physical_progress": "主体封顶", "photos": [png_upload()]},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="report-exists"' in body
    assert 'value="20' in body and "主体封顶" in body  # what was typed is kept
    assert "choose the photos again" in body or "重新选择" in body
    assert correct_url(report) in body  # the form posts the correction
    assert ProgressReport.objects.get(pk=report.pk).investment == Decimal("10")


def test_the_api_applies_the_same_correction_window(client, world):
    old = report_of(world, datetime.date(2026, 11, 1), investment=Decimal("10"))
    recent = report_of(world, datetime.date(2026, 12, 1), investment=Decimal("10"))
    client.force_login(world["official"])
    response = client.patch(
        f"/api/v1/progress-reports/{old.pk}/", {"investment": "20"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "correction_closed" and response.json()["month"]
    response = client.patch(
        f"/api/v1/progress-reports/{recent.pk}/", {"investment": "20"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert ProgressReport.objects.get(pk=recent.pk).investment == Decimal("20")
    assert ProgressReport.objects.get(pk=old.pk).investment == Decimal("10")
