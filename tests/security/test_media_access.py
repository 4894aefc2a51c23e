"""Uploaded files are served only to users who may see their object (issue 9 item 1).

Role × scope matrix for each kind of file (issue photo, report photo, milestone evidence), the
response headers, server-chosen names, X-Accel-Redirect in production and the end of /media/.
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.services import token_issue
from core.models import Role
from issues.models import IssuePhoto
from projects.models import ProgressPhoto
from tests.api.conftest import png_bytes
from tests.factories import DepartmentFactory, IssueFactory, user_with_role

UUID_NAME = re.compile(r"^[0-9a-f]{32}\.png$")


@pytest.fixture
def files(world, django_capture_on_commit_callbacks):
    """One file of each kind on the world's project, moved into place as after a commit."""
    users = world.users
    handler_dept = users["handler"].official.department
    issue = IssueFactory(
        enterprise=world.enterprise,
        project=world.project,
        status="assigned",
        lead_department=handler_dept,
    )
    with django_capture_on_commit_callbacks(execute=True):
        issue_photo = IssuePhoto.objects.create(
            issue=issue,
            image=SimpleUploadedFile("../../etc/现场 照片.png", png_bytes(), content_type="image/png"),
            original_name="现场 照片.png",
        )
        report_photo = ProgressPhoto.objects.create(
            report=world.report,
            image=SimpleUploadedFile("site.png", png_bytes(), content_type="image/png"),
            original_name="site.png",
        )
        milestone = world.done_milestone
        milestone.evidence_file = SimpleUploadedFile("证明.png", png_bytes(), content_type="image/png")
        milestone.evidence_file_name = "证明.png"
        milestone.save()
    return {
        "issue": issue_photo.url,
        "report": report_photo.url,
        "evidence": milestone.evidence_url,
        "objects": (issue_photo, report_photo, milestone),
    }


# Who sees what: the handler's department leads the issue; staff serve the project's team; the
# official is of the project's unit. Outsiders: another department's handler, another unit's
# official, a handler of no department.
SEES = {
    "leader": {"issue", "report", "evidence"},
    "supervisor": {"issue", "report", "evidence"},
    "official": {"issue", "report", "evidence"},
    "staff": {"issue", "report", "evidence"},
    "handler": {"issue"},
    "other_official": set(),
}


@pytest.mark.parametrize("role", sorted(SEES))
@pytest.mark.parametrize("kind", ["issue", "report", "evidence"])
def test_each_file_is_served_only_to_users_who_see_its_object(client, world, files, role, kind):
    client.force_login(world.users[role])
    response = client.get(files[kind])
    if kind in SEES[role]:
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("kind", ["issue", "report", "evidence"])
def test_a_handler_of_another_department_gets_404_as_for_the_issue_itself(client, world, files, kind):
    other = user_with_role(Role.HANDLER, department=DepartmentFactory(name="住建局"))
    client.force_login(other)
    issue = files["objects"][0].issue
    assert client.get(reverse("issues:detail", args=[issue.pk])).status_code == 404
    assert client.get(files[kind]).status_code == 404


@pytest.mark.parametrize("kind", ["issue", "report", "evidence"])
def test_anonymous_browsers_go_to_login_and_api_clients_get_401(client, files, kind):
    response = client.get(files[kind])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.get(files[kind], HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    response = client.get(files[kind], HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401


def test_an_api_token_opens_the_files_its_user_may_see(client, world, files, rf):
    _token, raw = token_issue(user=world.users["official"], request=rf.get("/"))
    assert client.get(files["report"], HTTP_AUTHORIZATION=f"Token {raw}").status_code == 200
    _token, raw = token_issue(user=world.users["other_official"], request=rf.get("/"))
    assert client.get(files["report"], HTTP_AUTHORIZATION=f"Token {raw}").status_code == 404


def test_stored_names_are_chosen_by_the_server_and_the_original_is_the_download_name(client, world, files):
    issue_photo, report_photo, milestone = files["objects"]
    for stored in (issue_photo.image.name, report_photo.image.name, milestone.evidence_file.name):
        assert UUID_NAME.match(stored.rsplit("/", 1)[-1]), stored
        assert ".." not in stored
    client.force_login(world.users["supervisor"])
    response = client.get(files["issue"])
    assert response["Content-Type"] == "image/png"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert "filename*=utf-8''%E7%8E%B0%E5%9C%BA%20%E7%85%A7%E7%89%87.png" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert "sandbox" in response["Content-Security-Policy"]


def test_production_answers_with_x_accel_redirect_after_the_check(client, world, files, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    issue_photo = files["objects"][0]
    client.force_login(world.users["handler"])
    response = client.get(files["issue"])
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{issue_photo.image.name}"
    assert response.content == b""
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "filename*=" in response["Content-Disposition"]
    client.force_login(world.users["other_official"])
    response = client.get(files["issue"])
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_there_is_no_open_media_url(client, world, files, _media_root):
    client.force_login(world.users["supervisor"])
    name = files["objects"][0].image.name
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get("/media/private/imports/list.xlsx").status_code == 404


def test_a_row_whose_file_is_missing_is_404_not_500(client, world, files, _media_root):
    import os

    issue_photo = files["objects"][0]
    os.remove(os.path.join(_media_root, issue_photo.image.name))
    client.force_login(world.users["supervisor"])
    assert client.get(files["issue"]).status_code == 404


def test_unknown_and_huge_ids_are_404(client, world, files):
    client.force_login(world.users["supervisor"])
    assert client.get("/issues/photos/999999/").status_code == 404
    assert client.get("/issues/photos/99999999999999999999/").status_code == 404
    milestone_without_file = world.milestone
    assert client.get(reverse("projects:milestone_evidence", args=[milestone_without_file.pk])).status_code == 404


def test_pages_and_api_link_the_checked_urls(client, world, files):
    issue_photo, _report_photo, milestone = files["objects"]
    client.force_login(world.users["supervisor"])
    page = client.get(reverse("issues:detail", args=[issue_photo.issue_id])).text
    assert issue_photo.url in page
    assert "/media/" not in page
    page = client.get(reverse("projects:detail", args=[world.project.pk])).text
    assert milestone.evidence_url in page
    assert "/media/" not in page
    body = client.get(f"/api/v1/issues/{issue_photo.issue_id}/").json()
    assert body["photos"][0]["image"] == f"http://testserver{issue_photo.url}"
    assert body["photos"][0]["original_name"] == "现场 照片.png"
    body = client.get(f"/api/v1/milestones/{milestone.pk}/").json()
    assert body["evidence_file"] == f"http://testserver{milestone.evidence_url}"
    assert datetime.date.fromisoformat(body["completed_on"])


def test_the_admin_links_the_checked_urls_never_the_stored_path(client, world, files):
    issue_photo, report_photo, milestone = files["objects"]
    admin = world.users["supervisor"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    pages = [
        reverse("admin:issues_issue_change", args=[issue_photo.issue_id]),
        reverse("admin:projects_progressreport_change", args=[report_photo.report_id]),
        reverse("admin:projects_milestone_change", args=[milestone.pk]),
    ]
    for url, link in zip(pages, (issue_photo.url, report_photo.url, milestone.evidence_url), strict=True):
        response = client.get(url)
        if response.status_code == 302:  # a second factor is required for the admin
            pytest.skip("admin needs a second factor in this configuration")
        assert response.status_code == 200
        assert link in response.text
        assert "/media/" not in response.text
