"""Files chosen on a browser form survive a validation error (issue 12 item 3, core.pending):
kept for the user who chose them, shown as kept, used on resubmission, expired by beat."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.models import PendingUpload, Role
from core.pending import pending_uploads_expire
from core.tasks import remove_orphaned_uploads
from issues.models import Issue, IssuePhoto
from projects.models import ProgressPhoto, ProgressReport
from tests.api.conftest import png_upload
from tests.factories import user_with_role

TOKEN = re.compile(r'name="(?P<name>[\w-]+-pending)" value="(?P<token>[0-9a-f-]{36})"')


def tokens(html: str) -> dict:
    found: dict = {}
    for match in TOKEN.finditer(html):
        found.setdefault(match["name"], []).append(match["token"])
    return found


def issue_data(world, **overrides) -> dict:
    data = {"enterprise": world.enterprise.pk, "category": "approval", "urgency": "normal", "description": "施工许可慢"}
    data.update(overrides)
    return data


def test_photos_survive_an_error_and_are_used_on_resubmission(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.users["supervisor"])
    response = client.post(
        "/issues/new/", issue_data(world, description="", photos=[png_upload("现场一.png"), png_upload("现场二.png")])
    )
    assert response.status_code == 400
    assert "已选文件：现场一.png（保留）" in response.text
    assert "已选文件：现场二.png（保留）" in response.text
    kept = tokens(response.text)
    assert len(kept["photos-pending"]) == 2
    assert not Issue.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/issues/new/", {**issue_data(world), "photos-pending": kept["photos-pending"]})
    assert response.status_code == 302, response.content
    photos = IssuePhoto.objects.order_by("id")
    assert [p.original_name for p in photos] == ["现场一.png", "现场二.png"]
    assert not PendingUpload.objects.exists()
    served = client.get(photos[0].url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")


def test_new_photos_are_added_to_the_kept_ones(client, world):
    client.force_login(world.users["supervisor"])
    first = client.post("/issues/new/", issue_data(world, description="", photos=[png_upload("a.png")]))
    kept = tokens(first.text)["photos-pending"]
    second = client.post(
        "/issues/new/", {**issue_data(world, description=""), "photos-pending": kept, "photos": [png_upload("b.png")]}
    )
    assert second.status_code == 400
    assert len(tokens(second.text)["photos-pending"]) == 2
    third = client.post("/issues/new/", {**issue_data(world), "photos-pending": tokens(second.text)["photos-pending"]})
    assert third.status_code == 302
    assert sorted(IssuePhoto.objects.values_list("original_name", flat=True)) == ["a.png", "b.png"]


def test_a_refused_file_is_not_kept(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.users["supervisor"])
    response = client.post(
        "/issues/new/",
        issue_data(world, description="", photos=[SimpleUploadedFile("x.png", b"<html>not an image</html>")]),
    )
    assert response.status_code == 400
    assert "photos-pending" not in response.text
    assert not PendingUpload.objects.exists()


def test_another_users_token_is_worthless(client, world):
    client.force_login(world.users["supervisor"])
    kept = tokens(client.post("/issues/new/", issue_data(world, description="", photos=[png_upload()])).text)
    other = user_with_role(Role.SUPERVISOR)
    client.force_login(other)
    response = client.post("/issues/new/", {**issue_data(world), "photos-pending": kept["photos-pending"]})
    assert response.status_code == 302
    assert not IssuePhoto.objects.exists()
    assert PendingUpload.objects.count() == 1  # still the first user's, until it expires


def test_garbage_tokens_are_ignored(client, world):
    client.force_login(world.users["supervisor"])
    response = client.post(
        "/issues/new/", {**issue_data(world), "photos-pending": ["abc", "-2.03e+85", "0" * 5000, "'; drop table"]}
    )
    assert response.status_code == 302


def test_report_photos_survive_an_error(client, world):
    client.force_login(world.users["official"])
    url = reverse("projects:submit_report", args=[world.project.pk])
    data = {"month": "2026-11", "investment": "-5", "percent_complete": "45", "physical_progress": "吊装"}
    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, tzinfo=datetime.UTC), tick=False):
        response = client.post(url, {**data, "photos": [png_upload("site.png")]})
        assert response.status_code == 400
        assert "已选文件：site.png（保留）" in response.text
        kept = tokens(response.text)["photos-pending"]
        response = client.post(url, {**data, "investment": "300", "photos-pending": kept})
    assert response.status_code == 302, response.content
    report = ProgressReport.objects.get(month=datetime.date(2026, 11, 1))
    assert list(ProgressPhoto.objects.filter(report=report).values_list("original_name", flat=True)) == ["site.png"]
    assert not PendingUpload.objects.exists()


def test_milestone_evidence_survives_an_error(client, world):
    client.force_login(world.users["official"])
    milestone = world.milestone
    url = reverse("projects:complete_milestone", args=[world.project.pk, milestone.pk])
    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, tzinfo=datetime.UTC), tick=False):
        response = client.post(url, {"completed_on": "2030-01-01", "evidence_file": png_upload("证明.png")})
        assert response.status_code == 400
        assert "已选文件：证明.png（保留）" in response.text
        kept = tokens(response.text)["evidence_file-pending"]
        response = client.post(url, {"completed_on": "2026-11-26", "evidence_file-pending": kept})
    assert response.status_code == 302, response.content
    milestone.refresh_from_db()
    assert milestone.completed_on == datetime.date(2026, 11, 26)
    assert milestone.evidence_file_name == "证明.png"
    assert not PendingUpload.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_kept_files_expire_with_their_rows(client, _media_root, settings):
    from pathlib import Path

    from tests.factories import EnterpriseFactory

    user = user_with_role(Role.SUPERVISOR)
    client.force_login(user)
    enterprise = EnterpriseFactory()
    response = client.post(
        "/issues/new/",
        {
            "enterprise": enterprise.pk,
            "category": "approval",
            "urgency": "normal",
            "description": "",
            "photos": [png_upload()],
        },
    )
    assert response.status_code == 400
    pending = PendingUpload.objects.get()
    path = Path(_media_root) / pending.file.name
    assert path.exists() and pending.file.name.startswith(f"pending/{user.pk}/")
    assert pending_uploads_expire() == 0
    PendingUpload.objects.update(
        created_at=timezone.now() - datetime.timedelta(hours=settings.PENDING_UPLOAD_HOURS + 1)
    )
    remove_orphaned_uploads()
    assert not PendingUpload.objects.exists()
    assert not path.exists()
