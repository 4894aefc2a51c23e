"""A corpus of hostile files, sent where users upload (issue 9 item 7): polyglots, pixel floods,
markup disguised as images, zip bombs as .xlsx, damaged files, hostile names. Every one is
refused with a clear 400 (one plain message, no Python repr) and nothing is saved — no row, no
file — or, for hostile names, stored only under a server-chosen name inside MEDIA_ROOT."""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from rest_framework.test import APIClient

from dashboards.models import ProjectImport
from issues.models import Issue, IssuePhoto
from projects.models import ProgressPhoto, ProgressReport
from tests.api.conftest import png_bytes


def image_bytes(fmt: str, **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def png_with_size(width: int, height: int) -> bytes:
    """A PNG whose header declares width×height, with one tiny IDAT: a pixel flood."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    )


def gif_with_size(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00" + b";"


def png_with_comment(text: str) -> bytes:
    info = PngInfo()
    info.add_text("Comment", text)
    return image_bytes("PNG", pnginfo=info)


SCRIPT = b"<script>alert(document.cookie)</script>"

CORPUS = {
    "gif-js-polyglot": ("x.gif", image_bytes("GIF") + b"\n/*" + SCRIPT + b"*/"),
    "png-html-appended": ("x.png", png_bytes() + b"<html><body>" + SCRIPT + b"</body></html>"),
    "png-html-in-text-chunk": ("x.png", png_with_comment("<html><body><script>alert(1)</script>")),
    "jpeg-svg-appended": (
        "x.jpg",
        image_bytes("JPEG") + b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    ),
    "pixel-flood-png": ("flood.png", png_with_size(100_000, 100_000)),
    "pixel-flood-png-moderate": ("flood.png", png_with_size(9_000, 9_000)),
    "pixel-flood-gif": ("flood.gif", gif_with_size(65_535, 65_535)),
    "svg-as-png": ("x.png", b'<svg xmlns="http://www.w3.org/2000/svg">' + SCRIPT + b"</svg>"),
    "html-as-jpg": ("x.jpg", b"<!DOCTYPE html><html>" + SCRIPT + b"</html>"),
    "php-as-gif": ("x.gif", b"GIF89a<?php system($_GET['c']); ?>"),
    "truncated-png": ("x.png", png_bytes()[:40]),
    "empty": ("x.png", b""),
    "text-as-png": ("x.png", "这不是图片".encode()),
    "bmp-not-allowed": ("x.bmp", image_bytes("BMP")),
    "tiff-not-allowed": ("x.tif", image_bytes("TIFF")),
}


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def stored_files(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


def assert_plain_400(response, field: str) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    text = response.content.decode()
    assert "ErrorDetail" not in text and "Traceback" not in text and "PIL." not in text
    assert isinstance(body[field], list) and all(isinstance(m, str) for m in body[field]), body
    return body


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world.users["supervisor"])
    return client


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_hostile_issue_photos_are_refused_and_nothing_saved(api, world, case, _media_root):
    name, data = CORPUS[case]
    response = api.post(
        "/api/v1/issues/",
        {
            "enterprise": world.enterprise.pk,
            "category": "approval",
            "description": "施工许可",
            "photos": [upload(name, data)],
        },
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    body = assert_plain_400(response, "photos")
    assert any(word in body["detail"] for word in (name, "图片", "像素", "空文件", "网页代码"))
    assert not Issue.objects.exists() and not IssuePhoto.objects.exists()
    assert stored_files(_media_root) == []


@pytest.mark.parametrize("case", ["gif-js-polyglot", "png-html-appended", "pixel-flood-png", "svg-as-png"])
def test_hostile_report_photos_and_evidence_are_refused(api, world, case, _media_root):
    name, data = CORPUS[case]
    before = ProgressReport.objects.count()
    response = api.post(
        "/api/v1/progress-reports/",
        {
            "project": world.project.pk,
            "month": "2026-11",
            "investment": "10",
            "physical_progress": "进场",
            "photos": [upload(name, data)],
        },
        format="multipart",
    )
    assert_plain_400(response, "photos")
    assert ProgressReport.objects.count() == before and not ProgressPhoto.objects.exists()
    response = api.post(
        f"/api/v1/milestones/{world.milestone.pk}/complete/",
        {"evidence": "", "completed_on": "2026-11-26", "evidence_file": upload(name, data)},
        format="multipart",
    )
    assert_plain_400(response, "evidence_file")
    world.milestone.refresh_from_db()
    assert world.milestone.completed_on is None and not world.milestone.evidence_file
    assert stored_files(_media_root) == []


def test_hostile_photos_on_the_browser_form_are_refused_with_the_message(client, world, _media_root):
    client.force_login(world.users["supervisor"])
    name, data = CORPUS["png-html-appended"]
    response = client.post(
        "/issues/new/",
        {
            "enterprise": world.enterprise.pk,
            "category": "approval",
            "urgency": "normal",
            "description": "施工许可",
            "photos": [upload(name, data)],
        },
    )
    assert response.status_code == 400
    assert "HTML" in response.text
    assert not Issue.objects.exists()
    assert stored_files(_media_root) == []


@pytest.mark.parametrize(
    "name",
    ["../../../../etc/cron.d/evil.png", "..\\..\\windows\\evil.png", "a\x00.php.png", "%2e%2e%2fevil.png", ".htaccess"],
)
def test_hostile_names_never_choose_where_a_file_is_stored(
    api, world, name, _media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/issues/",
            {
                "enterprise": world.enterprise.pk,
                "category": "approval",
                "description": "施工许可",
                "photos": [upload(name, png_bytes())],
            },
            format="multipart",
        )
    if response.status_code == 400:
        assert_plain_400(response, "photos")
        assert stored_files(_media_root) == []
        return
    assert response.status_code == 201, response.content
    photo = IssuePhoto.objects.get()
    files = stored_files(_media_root)
    assert len(files) == 1
    assert files[0].resolve().is_relative_to(Path(_media_root).resolve())
    assert files[0].name.endswith(".png") and len(files[0].stem) == 32
    assert "/" not in photo.original_name and "\\" not in photo.original_name and "\x00" not in photo.original_name
    assert ".." not in photo.original_name.split("/")


def zip_bomb_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * (200 * 1024 * 1024) + b"</worksheet>")
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(zip_bomb_xlsx, id="zip-bomb"),
        pytest.param(lambda: b"PK\x03\x04" + b"\x00" * 100, id="corrupt-zip"),
        pytest.param(lambda: png_bytes(), id="png-as-xlsx"),
        pytest.param(lambda: b"<html>" + SCRIPT, id="html-as-xlsx"),
    ],
)
def test_hostile_workbooks_are_refused_by_the_import(client, world, data, _media_root):
    client.force_login(world.users["supervisor"])
    response = client.post(
        reverse("dashboards:import"), {"file": SimpleUploadedFile("清单.xlsx", data())}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    assert "Traceback" not in response.text
    assert not ProjectImport.objects.exists()
    assert stored_files(_media_root) == []
