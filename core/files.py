"""Uploaded files, for every app: server-chosen names, written only once the row is committed,
served only after the object's own permission check, orphans removed.

Storage (`StagedStorage`, the default storage in settings.STORAGES):
- every file is stored as `<folder>/<uuid><ext>`: the uploader chooses neither the name nor, for
  images, the extension (taken from the content); the original name is kept in a field of the
  row for display and as the download name (`display_name`).
- the bytes are first written to `MEDIA_ROOT/.incoming/<uuid>.part`; the file is moved to its
  final name when the transaction commits (`transaction.on_commit`). A request whose transaction
  rolls back (a validation error, a database error) leaves nothing: the staged file is removed at
  the end of the request (`discard_rolled_back_uploads`, on `request_finished`). Until the move,
  the storage reads the staged copy, so the same transaction can read what it wrote.
- a full or read-only disk is a clear 503 error (`StorageUnavailable`), never a 500, and leaves
  no partial file.

Serving (`file_response`): each app's view first loads the object through the selector of the
object's page (404 out of scope), then answers with the file: Content-Disposition (inline for
images, attachment otherwise, RFC 5987 filename*), X-Content-Type-Options: nosniff, Cache-Control
private, a sandboxing CSP. With MEDIA_ACCEL_REDIRECT set (production behind nginx) the body is
left to the web server through X-Accel-Redirect to its internal location.

Orphans (`remove_orphans`, run by beat through core.tasks): files under MEDIA_ROOT that no row
references, older than a grace period, and staged files never committed.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import mimetypes
import os
import posixpath
import re
import threading
import time
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from core.errors import ApplicationError

logger = logging.getLogger(__name__)

STAGING_DIR = ".incoming"
# Extensions a stored file may keep (lower case). Anything else is stored without one.
SAFE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".xlsx", ".pdf"}
# Content types shown in the browser; everything else is a download.
INLINE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
# The leading bytes of the image formats uploads accept (core.uploads), for the stored extension.
MAGIC = [
    (b"\xff\xd8\xff", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"GIF87a", ".gif"),
    (b"GIF89a", ".gif"),
]


class StorageUnavailable(ApplicationError):
    """The media disk refused the write (full, read-only, no permission): nothing was saved."""

    status_code = 503

    def __init__(self):
        super().__init__(
            _(
                "The file could not be stored: the server's file storage is full or not writable. "
                "Nothing was saved; please try again later or tell the system administrator."
            ),
            code="storage_unavailable",
        )


def display_name(name: str, *, limit: int = 200) -> str:
    """The uploader's file name made safe to show and to offer as a download name: the last
    path component only (either slash), no control characters or NULs, at most `limit` chars."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().strip(".")
    if not name:
        return _("file")
    if len(name) > limit:
        stem, ext = os.path.splitext(name)
        ext = ext if len(ext) <= 10 else ""
        name = stem[: limit - len(ext)] + ext
    return name


def _sniff_extension(content) -> str | None:
    try:
        position = content.tell()
        content.seek(0)
        head = content.read(16)
        content.seek(position)
    except (AttributeError, OSError, ValueError):
        return None
    if isinstance(head, str):
        return None
    for magic, ext in MAGIC:
        if head.startswith(magic):
            return ext
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp"
    return None


def server_name(name: str, content=None) -> str:
    """`<folder of name>/<uuid><ext>`: ext from the content for images, else a safe extension of
    `name`, else none."""
    folder = posixpath.dirname(str(name).replace("\\", "/"))
    ext = _sniff_extension(content) if content is not None else None
    if ext is None:
        ext = os.path.splitext(str(name))[1].lower()
        ext = ".jpg" if ext == ".jpeg" else ext
        if ext not in SAFE_EXTENSIONS:
            ext = ""
    return posixpath.join(folder, uuid.uuid4().hex + ext) if folder else uuid.uuid4().hex + ext


# Files written in this thread whose transaction has not committed yet: final name -> staged path.
_local = threading.local()


def _staged() -> dict[str, Path]:
    if not hasattr(_local, "files"):
        _local.files = {}
    return _local.files


class StagedStorage(FileSystemStorage):
    """FileSystemStorage under server-chosen names, writing to a staging name until commit."""

    def get_available_name(self, name, max_length=None):
        return name  # a fresh uuid never collides; _save picks it

    def _save(self, name, content):
        final = server_name(name, content)
        staged_name = posixpath.join(STAGING_DIR, uuid.uuid4().hex + ".part")
        try:
            super()._save(staged_name, content)
        except OSError as exc:
            self._remove_quietly(staged_name)
            logger.error("Upload could not be written: %s", exc, extra={"errno": exc.errno})
            raise StorageUnavailable() from exc
        staged_path = Path(FileSystemStorage.path(self, staged_name))
        if transaction.get_connection().in_atomic_block:
            _staged()[final] = staged_path
            transaction.on_commit(lambda: self._move_into_place(staged_path, final))
        else:
            self._move_into_place(staged_path, final, raise_errors=True)
        return final

    def _remove_quietly(self, name):
        with contextlib.suppress(OSError):
            os.remove(FileSystemStorage.path(self, name))

    def _move_into_place(self, staged_path: Path, final: str, *, raise_errors: bool = False) -> None:
        target = Path(FileSystemStorage.path(self, final))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged_path, target)
        except OSError as exc:
            logger.error("Committed upload %s could not be moved into place: %s", final, exc)
            if raise_errors:
                staged_path.unlink(missing_ok=True)
                raise StorageUnavailable() from exc
        finally:
            _staged().pop(final, None)

    def _resolve(self, name) -> str:
        staged = _staged().get(name)
        if staged is not None and staged.exists():
            return str(staged)
        return super().path(name)

    def path(self, name):
        return self._resolve(name)

    def _open(self, name, mode="rb"):
        staged = _staged().get(name)
        if staged is not None and staged.exists():
            from django.core.files import File

            return File(open(staged, mode))
        return super()._open(name, mode)

    def delete(self, name):
        staged = _staged().pop(name, None)
        if staged is not None:
            staged.unlink(missing_ok=True)
        super().delete(name)


def discard_rolled_back_uploads(**kwargs) -> None:
    """At the end of a request: staged files whose transaction is over but never committed
    (rolled back, so their on_commit move was dropped) are removed. Inside a still-open outer
    transaction (a test's), they wait for it."""
    files = _staged()
    if not files or transaction.get_connection().in_atomic_block:
        return
    for final, staged in list(files.items()):
        staged.unlink(missing_ok=True)
        files.pop(final, None)


# --- serving ---------------------------------------------------------------------------------------


def authenticate_file_request(request):
    """The user of a file request: the session's, or an API token's (mobile clients show the
    `url` of the API). Returns None when nobody is signed in."""
    if request.user.is_authenticated:
        return request.user
    if request.META.get("HTTP_AUTHORIZATION"):
        from rest_framework.exceptions import APIException
        from rest_framework.settings import api_settings

        for auth_class in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
            try:
                result = auth_class().authenticate(request)
            except APIException:
                return None
            if result:
                request.user = result[0]
                return result[0]
    return None


def file_view(view):
    """Decorate a file view: sign-in by session or token; anonymous browsers go to the login
    page, anonymous API clients get 401."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if authenticate_file_request(request) is None:
            wants_json = request.META.get("HTTP_AUTHORIZATION") or "json" in request.META.get("HTTP_ACCEPT", "")
            if wants_json:
                response = JsonResponse(
                    {"detail": _("Authentication credentials were not provided."), "code": "not_authenticated"},
                    status=401,
                )
                response["WWW-Authenticate"] = "Token"
                return response
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def _content_type(name: str) -> str:
    content_type, _encoding = mimetypes.guess_type(name)
    return content_type or "application/octet-stream"


def file_response(request, field_file, *, download_name: str = "") -> HttpResponse:
    """The stored file of `field_file` (already permission-checked by the caller), or 404."""
    if not field_file or not field_file.name:
        raise Http404
    name = field_file.name
    storage = field_file.storage
    content_type = _content_type(name)
    inline = content_type in INLINE_TYPES
    filename = display_name(download_name or posixpath.basename(name))
    # The download name carries the stored file's real type.
    stored_ext = os.path.splitext(name)[1].lower()
    if stored_ext and os.path.splitext(filename)[1].lower() not in {
        stored_ext,
        ".jpeg" if stored_ext == ".jpg" else stored_ext,
    }:
        filename = os.path.splitext(filename)[0] + stored_ext
    accel = getattr(settings, "MEDIA_ACCEL_REDIRECT", "")
    if accel and name not in _staged():
        if not storage.exists(name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(name.lstrip("/"))
    else:
        try:
            handle = storage.open(name, "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise Http404 from exc
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.EISDIR, errno.ENOTDIR, errno.ENAMETOOLONG):
                raise Http404 from exc
            raise
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


# --- orphans ---------------------------------------------------------------------------------------


@dataclass
class OrphanSweep:
    removed: list[str]
    kept_recent: int


def referenced_names() -> set[str]:
    """Every file name a row of any model refers to (all FileFields and ImageFields)."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and field.concrete and field.model is model:
                values = model._base_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)
                names.update(v for v in values.iterator(chunk_size=5000) if v)
    return names


def remove_orphans(*, grace_seconds: float | None = None, now: float | None = None) -> OrphanSweep:
    """Remove files under MEDIA_ROOT that no row references and that are older than the grace
    period (a file being uploaded right now has no row yet), and staged files of transactions
    that never committed. Other dot-folders at the top (readiness probes, restores) are left."""
    grace = settings.MEDIA_ORPHAN_GRACE_SECONDS if grace_seconds is None else grace_seconds
    now = time.time() if now is None else now
    root = Path(settings.MEDIA_ROOT)
    removed: list[str] = []
    kept = 0
    if not root.is_dir():
        return OrphanSweep(removed, kept)
    referenced = referenced_names()
    for directory, dirnames, filenames in os.walk(root):
        here = Path(directory)
        if here == root:
            dirnames[:] = [d for d in dirnames if not d.startswith(".") or d == STAGING_DIR]
            filenames = [f for f in filenames if not f.startswith(".")]
        for filename in filenames:
            path = here / filename
            relative = path.relative_to(root).as_posix()
            if relative in referenced:
                continue
            try:
                age = now - path.lstat().st_mtime
            except FileNotFoundError:
                continue
            if age < grace:
                kept += 1
                continue
            try:
                path.unlink()
            except OSError as exc:
                logger.warning("Orphaned upload %s could not be removed: %s", relative, exc)
                continue
            removed.append(relative)
    for directory, _dirs, _files in os.walk(root, topdown=False):
        here = Path(directory)
        if here == root or here.relative_to(root).parts[0].startswith("."):
            continue
        if not any(here.iterdir()):
            with contextlib.suppress(OSError):
                here.rmdir()
    if removed:
        logger.info("Removed %d orphaned uploads", len(removed), extra={"files": removed[:50]})
    return OrphanSweep(removed, kept)


# --- migrations ------------------------------------------------------------------------------------

_SERVER_NAME = re.compile(r"^[0-9a-f]{32}(\.[a-z]+)?$")


def rename_to_server_names(model, file_field: str, name_field: str) -> int:
    """For a data migration: give the files of `model.file_field` that still carry the uploader's
    name a server-chosen one (moving the file on disk) and keep the old name in `name_field`.
    Rows whose file is missing keep their name (the file view answers 404)."""
    root = Path(settings.MEDIA_ROOT)
    renamed = 0
    for row in model._base_manager.exclude(**{file_field: ""}).only("pk", file_field, name_field).iterator():
        old = getattr(row, file_field).name
        if _SERVER_NAME.match(posixpath.basename(old)):
            continue
        source = root / old
        updates = {}
        if not getattr(row, name_field):
            updates[name_field] = display_name(posixpath.basename(old))
        if source.is_file():
            with open(source, "rb") as handle:
                new = server_name(old, handle)
            target = root / new
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
            updates[file_field] = new
            renamed += 1
        if updates:
            model._base_manager.filter(pk=row.pk).update(**updates)
    return renamed


def file_link(url: str, name: str):
    """An admin/page link to a file's permission-checked view (never its storage path)."""
    from django.utils.html import format_html

    return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, name) if url else "—"
