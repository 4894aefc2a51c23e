"""Bad input: a 400 that names the field, in the user's language, and nothing saved."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.models import Milestone, ProgressReport
from tests.api.conftest import media_files, png_upload, snapshot
from tests.factories import make_credit_code

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def report_payload(world, **overrides) -> dict:
    return {
        "project": world.project.pk,
        "month": "2026-11",
        "investment": "800.00",
        "physical_progress": "设备安装",
        **overrides,
    }


def assert_refused(response, field: str, before: dict) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    assert body[field] and all(isinstance(m, str) and m for m in body[field])
    assert body["detail"]
    assert snapshot() == before
    return body


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"investment": "-1.00"}, "investment", "The amount cannot be negative."),
        ({"investment": "a lot"}, "investment", "A valid number is required."),
        ({"investment": "1.005"}, "investment", "Ensure that there are no more than 2 decimal places."),
        ({"month": "2026-12"}, "month", "You cannot report for a month that has not begun."),
        ({"month": "2027-01-15"}, "month", "You cannot report for a month that has not begun."),
        ({"month": "2026-10"}, "month", "This project already has a report for October 2026."),
        ({"month": "2026-10-31"}, "month", "This project already has a report for October 2026."),
        ({"month": "2026-13"}, "month", "Enter a month as YYYY-MM or a date as YYYY-MM-DD."),
        ({"month": "Nov"}, "month", "Enter a month as YYYY-MM or a date as YYYY-MM-DD."),
        ({"physical_progress": "  "}, "physical_progress", "Describe the physical progress."),
        ({"percent_complete": 120}, "percent_complete", "Percent complete is between 0 and 100."),
        ({"project": 999999}, "project", 'Invalid pk "999999" - object does not exist.'),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_bad_report_is_refused_with_the_field_named(world, overrides, field, message):
    before = snapshot()
    response = world.client("official").post(
        "/api/v1/progress-reports/", report_payload(world, **overrides), format="json", **EN
    )
    body = assert_refused(response, field, before)
    assert body[field] == [message]


def test_errors_default_to_chinese(world):
    before = snapshot()
    response = world.client("official").post(
        "/api/v1/progress-reports/", report_payload(world, investment="很多"), format="json"
    )
    body = assert_refused(response, "investment", before)
    assert body["investment"] == ["请填写合法的数字。"]
    assert body["detail"] == "请填写合法的数字。"


@pytest.mark.parametrize(
    ("headers", "message"),
    [({}, "不能填报尚未开始的月份。"), (EN, "You cannot report for a month that has not begun.")],
)
def test_domain_errors_speak_the_callers_language(world, headers, message):
    response = world.client("official").post(
        "/api/v1/progress-reports/", report_payload(world, month="2026-12"), format="json", **headers
    )
    assert response.status_code == 400
    assert response.json() == {"month": [message], "detail": message, "code": "invalid"}


def test_correcting_a_report_with_a_negative_amount_changes_nothing(world):
    before = snapshot()
    response = world.client("official").patch(
        f"/api/v1/progress-reports/{world.report.pk}/", {"investment": "-5"}, format="json", **EN
    )
    assert assert_refused(response, "investment", before)["investment"] == ["The amount cannot be negative."]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"total_investment": "-100"}, "total_investment"),
        ({"total_investment": "abc"}, "total_investment"),
        ({"planned_start": "2027-01-01", "planned_completion": "2026-12-31"}, "planned_completion"),
        ({"planned_start": "not a date"}, "planned_start"),
        ({"code": ""}, "code"),
        ({"stage": "finished"}, "stage"),
    ],
)
def test_bad_project_is_refused(world, overrides, field):
    payload = {
        "code": "XY-NEW-1",
        "name": "水性超纤项目",
        "enterprise": world.enterprise.pk,
        "park": world.park.pk,
        "total_investment": "1000000.00",
        **overrides,
    }
    before = snapshot()
    response = world.client("supervisor").post("/api/v1/projects/", payload, format="json", **EN)
    assert_refused(response, field, before)


def test_project_completion_before_existing_start_is_refused(world):
    """The rule holds against the stored start date when only the completion date is sent."""
    before = snapshot()
    response = world.client("official").patch(
        f"/api/v1/projects/{world.project.pk}/", {"planned_completion": "2026-01-31"}, format="json", **EN
    )
    body = assert_refused(response, "planned_completion", before)
    assert body["planned_completion"] == ["The planned completion date cannot be before the planned start date."]


def test_the_stage_cannot_be_changed_by_patch(world):
    before = snapshot()
    response = world.client("official").patch(
        f"/api/v1/projects/{world.project.pk}/", {"stage": "completed"}, format="json", **EN
    )
    assert_refused(response, "stage", before)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"to_stage": "signed"}, "reason"),
        ({"to_stage": "stopped"}, "reason"),
        ({"to_stage": "completed", "changed_on": "2026-12-01"}, "changed_on"),
        ({"to_stage": "completed", "changed_on": "2026-01-01"}, "changed_on"),
        ({"to_stage": "under_construction"}, "to_stage"),
        ({"to_stage": "done"}, "to_stage"),
    ],
)
def test_bad_stage_change_is_refused(world, payload, field):
    before = snapshot()
    response = world.client("official").post(
        f"/api/v1/projects/{world.project.pk}/stage/", payload, format="json", **EN
    )
    assert_refused(response, field, before)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (make_credit_code(42)[:-1] + ("0" if make_credit_code(42)[-1] != "0" else "1"), "check character"),
        ("91320381MA1ABC", "18 characters"),
        ("91320381MA1ABCDEFI", "not allowed"),
    ],
)
def test_invalid_credit_code_is_refused(world, code, message):
    before = snapshot()
    response = world.client("supervisor").post(
        "/api/v1/enterprises/", {"name": "米尔化工有限公司", "credit_code": code}, format="json", **EN
    )
    body = assert_refused(response, "credit_code", before)
    assert message in body["credit_code"][0]
    before = snapshot()
    response = world.client("supervisor").patch(
        f"/api/v1/enterprises/{world.enterprise.pk}/", {"credit_code": code}, format="json", **EN
    )
    assert_refused(response, "credit_code", before)


def test_duplicate_enterprise_name_is_refused(world):
    before = snapshot()
    response = world.client("supervisor").post(
        "/api/v1/enterprises/",
        {"name": world.enterprise.name, "credit_code": make_credit_code(777)},
        format="json",
        **EN,
    )
    assert_refused(response, "name", before)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"planned_investment": "-1"}, "planned_investment"),
        ({"planned_investment": "100", "first_half_investment": "200"}, "first_half_investment"),
        (
            {"planned_investment": "100", "target_start": "2027-05-01", "target_completion": "2027-04-01"},
            "target_completion",
        ),
        ({}, "planned_investment"),
        ({"planned_investment": "100", "year": 1999}, "year"),
    ],
)
def test_bad_annual_target_is_refused(world, payload, field):
    before = snapshot()
    response = world.client("supervisor").post(
        "/api/v1/annual-targets/", {"project": world.project.pk, "year": 2027, **payload}, format="json", **EN
    )
    assert_refused(response, field, before)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "", "due_date": "2027-01-01"}, "title"),
        ({"title": "节点", "due_date": "someday"}, "due_date"),
        ({"title": "节点"}, "due_date"),
    ],
)
def test_bad_milestone_is_refused(world, payload, field):
    before = snapshot()
    response = world.client("official").post(
        "/api/v1/milestones/", {"project": world.project.pk, **payload}, format="json", **EN
    )
    assert_refused(response, field, before)


@pytest.mark.parametrize(
    ("payload", "field"),
    [({}, "evidence"), ({"evidence": "验收", "completed_on": "2026-12-01"}, "completed_on")],
)
def test_bad_completion_is_refused(world, payload, field):
    before = snapshot()
    response = world.client("official").post(
        f"/api/v1/milestones/{world.milestone.pk}/complete/", payload, format="json", **EN
    )
    assert_refused(response, field, before)


def test_completing_a_done_milestone_or_reopening_an_open_one_is_refused(world):
    before = snapshot()
    client = world.client("official")
    done = client.post(f"/api/v1/milestones/{world.done_milestone.pk}/complete/", {"evidence": "x"}, format="json")
    assert done.status_code == 400
    assert done.json()["code"] == "already_done"
    still_open = client.post(f"/api/v1/milestones/{world.milestone.pk}/reopen/", {"reason": "x"}, format="json")
    assert still_open.status_code == 400
    assert still_open.json()["code"] == "not_done"
    no_reason = client.post(f"/api/v1/milestones/{world.done_milestone.pk}/reopen/", {"reason": ""}, format="json")
    assert "reason" in no_reason.json()
    assert snapshot() == before


# --- Uploads -------------------------------------------------------------------------------------


def test_oversized_photo_is_refused_and_nothing_is_stored(world, settings, _media_root):
    settings.MAX_UPLOAD_BYTES = 512
    before = snapshot()
    big = png_upload("big.png", size=(400, 400))
    assert big.size > 512
    response = world.client("official").post(
        "/api/v1/progress-reports/",
        {**report_payload(world), "photos": [png_upload("ok.png"), big]},
        format="multipart",
        **EN,
    )
    body = assert_refused(response, "photos", before)
    assert body["photos"] == ["File too large: big.png"]
    assert media_files(_media_root) == []


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 definitely not a picture", content_type="image/jpeg"),
        SimpleUploadedFile("notes.txt", "工地照片".encode(), content_type="text/plain"),
    ],
    ids=["fake-jpeg", "text"],
)
def test_non_image_photo_is_refused_and_nothing_is_stored(world, upload, _media_root):
    before = snapshot()
    response = world.client("official").post(
        "/api/v1/progress-reports/", {**report_payload(world), "photos": [upload]}, format="multipart", **EN
    )
    body = assert_refused(response, "photos", before)
    assert "is not an image" in body["photos"][0]
    assert not ProgressReport.objects.filter(month=datetime.date(2026, 11, 1)).exists()
    assert media_files(_media_root) == []


def test_non_image_or_oversized_evidence_is_refused(world, settings, _media_root):
    before = snapshot()
    client = world.client("official")
    url = f"/api/v1/milestones/{world.milestone.pk}/complete/"
    fake = SimpleUploadedFile("evidence.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = client.post(url, {"evidence": "验收", "evidence_file": fake}, format="multipart", **EN)
    assert_refused(response, "evidence_file", before)

    settings.MAX_UPLOAD_BYTES = 512
    response = client.post(
        url, {"evidence": "验收", "evidence_file": png_upload(size=(400, 400))}, format="multipart", **EN
    )
    assert_refused(response, "evidence_file", before)
    assert Milestone.objects.get(pk=world.milestone.pk).completed_on is None
    assert media_files(_media_root) == []


def test_photo_on_a_correction_is_checked_too(world, _media_root):
    before = snapshot()
    fake = SimpleUploadedFile("photo.jpg", b"not an image", content_type="image/jpeg")
    response = world.client("official").patch(
        f"/api/v1/progress-reports/{world.report.pk}/",
        {"investment": "600.00", "photos": [fake]},
        format="multipart",
        **EN,
    )
    assert_refused(response, "photos", before)
    assert media_files(_media_root) == []


def test_bad_list_filters_are_400(world):
    client = world.client("supervisor")
    for url, field in [
        ("/api/v1/projects/?stage=finished", "stage"),
        ("/api/v1/projects/?park=abc", "park"),
        ("/api/v1/projects/?is_key=perhaps", "is_key"),
        ("/api/v1/progress-reports/?month_from=2026-13", "month_from"),
        ("/api/v1/milestones/?project=x", "project"),
    ]:
        response = client.get(url, **EN)
        assert response.status_code == 400, url
        assert field in response.json(), (url, response.json())
