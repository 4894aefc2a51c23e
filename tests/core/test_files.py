"""Uploads are written under a temporary name and moved into place only when the transaction
commits; a failed request leaves no file; a full disk is a clear error; orphans are removed
(issue 10 item 7, core.files)."""

import errno
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.signals import request_finished
from django.db import DatabaseError, transaction
from rest_framework.test import APIClient

from core.files import STAGING_DIR, display_name, remove_orphans, server_name
from core.models import Role
from core.tasks import remove_orphaned_uploads
from issues.models import Issue, IssuePhoto
from tests.api.conftest import png_bytes, png_upload
from tests.factories import DepartmentFactory, EnterpriseFactory, IssueFactory, user_with_role


def files_under(root) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in Path(root).rglob("*") if p.is_file())


def test_the_server_chooses_the_name_and_the_extension_comes_from_the_content():
    png = ContentFile(png_bytes())
    name = server_name("issues/7/../../etc/passwd.php", png)
    assert name.startswith("issues/7/") or name.startswith("issues/")
    assert name.endswith(".png")
    assert ".." not in name.split("/")[-1]
    assert server_name("private/imports/清单 (1).XLSX").endswith(".xlsx")
    assert "." not in server_name("x/evil.html").rsplit("/", 1)[-1]


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("C:\\Users\\王\\现场.png", "现场.png"),
        ("../../etc/passwd", "passwd"),
        ("a\x00b.png", "ab.png"),
        ("line\r\nbreak.png", "linebreak.png"),
        ("", "file"),
        ("x" * 300 + ".png", "x" * 196 + ".png"),
    ],
)
def test_display_names_are_safe(given, shown):
    assert display_name(given) in {shown, "文件"}


def test_a_file_is_staged_until_its_transaction_commits(db, _media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        name = default_storage.save("issues/1/photo.png", ContentFile(png_bytes()))
        assert files_under(_media_root)[0].startswith(f"{STAGING_DIR}/")
        assert not os.path.exists(os.path.join(_media_root, name))
        # The same transaction reads what it wrote.
        with default_storage.open(name) as handle:
            assert handle.read(4) == b"\x89PNG"
    assert len(callbacks) == 1
    callbacks[0]()
    assert files_under(_media_root) == [name]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_upload_leaves_no_file(_media_root):
    with pytest.raises(RuntimeError), transaction.atomic():
        default_storage.save("issues/1/photo.png", ContentFile(png_bytes()))
        raise RuntimeError("database error after the file was written")
    assert len(files_under(_media_root)) == 1  # staged, never moved
    request_finished.send(sender=None)
    assert files_under(_media_root) == []


@pytest.mark.django_db(transaction=True)
def test_a_request_that_fails_after_writing_leaves_no_file(_media_root, monkeypatch):
    """A database error after the photos were written: a 500, and no file on disk."""
    handler = user_with_role(Role.SUPERVISOR)
    enterprise = EnterpriseFactory()
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(handler)

    def broken(**kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr("issues.services._record_event", broken)
    response = client.post(
        "/api/v1/issues/",
        {
            "enterprise": enterprise.pk,
            "category": "approval",
            "description": "施工许可办理慢",
            "photos": [png_upload("a.png"), png_upload("b.png")],
        },
        format="multipart",
    )
    assert response.status_code == 500
    assert not Issue.objects.exists()
    assert files_under(_media_root) == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_request_moves_its_files_into_place(_media_root):
    handler = user_with_role(Role.SUPERVISOR)
    enterprise = EnterpriseFactory()
    client = APIClient()
    client.force_authenticate(handler)
    response = client.post(
        "/api/v1/issues/",
        {"enterprise": enterprise.pk, "category": "approval", "description": "施工许可", "photos": [png_upload()]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    photo = IssuePhoto.objects.get()
    assert files_under(_media_root) == [photo.image.name]


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_a_full_or_read_only_disk_is_a_clear_error_and_saves_nothing(db, _media_root, monkeypatch, code):
    def refuse(self, name, content):
        Path(FileSystemStorage.path(self, name)).parent.mkdir(parents=True, exist_ok=True)
        Path(FileSystemStorage.path(self, name)).write_bytes(b"partial")  # partly written
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(FileSystemStorage, "_save", refuse)
    user = user_with_role(Role.SUPERVISOR)
    client = APIClient()
    client.force_authenticate(user)
    response = client.post(
        "/api/v1/issues/",
        {
            "enterprise": EnterpriseFactory().pk,
            "category": "approval",
            "description": "施工许可",
            "photos": [png_upload()],
        },
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "storage_unavailable"
    assert "未保存" in body["detail"]
    assert not Issue.objects.exists()
    assert files_under(_media_root) == []


def test_a_full_disk_on_a_browser_form_shows_the_message(client, db, _media_root, monkeypatch):
    def refuse(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", refuse)
    handler = user_with_role(Role.HANDLER, department=DepartmentFactory())
    issue = IssueFactory(raised_by=handler)
    client.force_login(user_with_role(Role.SUPERVISOR))
    response = client.post(
        "/issues/new/",
        {
            "enterprise": issue.enterprise_id,
            "category": "approval",
            "urgency": "normal",
            "description": "施工许可",
            "photos": [png_upload()],
        },
    )
    assert response.status_code == 400  # the form again, with the storage's message
    assert "未保存" in response.text
    assert files_under(_media_root) == []


def _age(path: Path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_orphans_older_than_the_grace_period_are_removed(db, _media_root, django_capture_on_commit_callbacks):
    root = Path(_media_root)
    with django_capture_on_commit_callbacks(execute=True):
        photo = IssuePhoto.objects.create(issue=IssueFactory(), image=png_upload(), original_name="a.png")
    kept = root / photo.image.name
    _age(kept, 10 * 86400)
    old_orphan = root / "issues" / "9" / "0123456789abcdef0123456789abcdef.png"
    old_orphan.parent.mkdir(parents=True)
    old_orphan.write_bytes(b"x")
    _age(old_orphan, 2 * 86400)
    new_orphan = root / "issues" / "9" / "fedcba9876543210fedcba9876543210.png"
    new_orphan.write_bytes(b"x")
    staged = root / STAGING_DIR / "abc.part"
    staged.parent.mkdir(exist_ok=True)
    staged.write_bytes(b"x")
    _age(staged, 2 * 86400)
    probe = root / ".readyz-probe"
    probe.write_bytes(b"x")
    _age(probe, 2 * 86400)
    restore = root / ".restore-123" / "x.png"
    restore.parent.mkdir()
    restore.write_bytes(b"x")
    _age(restore, 2 * 86400)

    result = remove_orphans(grace_seconds=86400)

    assert sorted(result.removed) == sorted(
        [f"{STAGING_DIR}/abc.part", "issues/9/0123456789abcdef0123456789abcdef.png"]
    )
    assert result.kept_recent == 1
    assert kept.exists() and new_orphan.exists() and probe.exists() and restore.exists()


def test_the_beat_task_uses_the_configured_grace_and_is_scheduled(db, _media_root, settings):
    root = Path(_media_root)
    orphan = root / "reports" / "1" / "2026-10" / "0123456789abcdef0123456789abcdef.png"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"x")
    _age(orphan, 3600)
    settings.MEDIA_ORPHAN_GRACE_SECONDS = 7200
    assert remove_orphaned_uploads() == 0
    settings.MEDIA_ORPHAN_GRACE_SECONDS = 1800
    assert remove_orphaned_uploads() == 1
    assert not orphan.exists()
    assert not (root / "reports").exists()  # emptied folders go too
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.remove_orphaned_uploads" in tasks


def test_import_workbooks_are_referenced_and_kept(db, _media_root, django_capture_on_commit_callbacks):
    from dashboards.models import ProjectImport

    with django_capture_on_commit_callbacks(execute=True):
        batch = ProjectImport(original_name="清单.xlsx")
        batch.file.save("清单.xlsx", ContentFile(b"PK\x03\x04"), save=False)
        batch.save()
    path = Path(_media_root) / batch.file.name
    assert batch.file.name.startswith("private/imports/") and batch.file.name.endswith(".xlsx")
    _age(path, 10 * 86400)
    assert remove_orphans(grace_seconds=60).removed == []
    assert path.exists()
    assert settings.STORAGES["default"]["BACKEND"] == "core.files.StagedStorage"


def test_files_uploaded_before_get_server_names_and_keep_the_old_name(db, _media_root):
    """The data migrations (issues 0003, projects 0004) rename old files by core.files."""
    from core.files import rename_to_server_names

    issue = IssueFactory()
    old = Path(_media_root) / "issues" / str(issue.pk) / "现场 照片.png"
    old.parent.mkdir(parents=True)
    old.write_bytes(png_bytes())
    photo = IssuePhoto.objects.create(issue=issue, image=f"issues/{issue.pk}/现场 照片.png")
    missing = IssuePhoto.objects.create(issue=issue, image=f"issues/{issue.pk}/gone.png")

    assert rename_to_server_names(IssuePhoto, "image", "original_name") == 1

    photo.refresh_from_db()
    missing.refresh_from_db()
    assert photo.original_name == "现场 照片.png"
    assert photo.image.name.startswith(f"issues/{issue.pk}/") and photo.image.name.endswith(".png")
    assert (Path(_media_root) / photo.image.name).read_bytes().startswith(b"\x89PNG")
    assert not old.exists()
    assert (missing.image.name, missing.original_name) == (f"issues/{issue.pk}/gone.png", "gone.png")
    assert rename_to_server_names(IssuePhoto, "image", "original_name") == 0  # idempotent
