"""Files chosen on a browser form survive a validation error.

A browser cannot refill a file input, so when a form with files comes back with errors, the
files that are acceptable themselves (core.uploads) are kept as PendingUpload rows bound to the
user, listed on the form as "已选文件：… (保留)" with a hidden token each, and used when the form
is sent again (with any newly chosen files). Only the user who chose a file can use its token.
Successful submission removes them; beat removes the ones left after PENDING_UPLOAD_HOURS.
"""

import datetime
import uuid

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError
from core.files import display_name
from core.models import PendingUpload
from core.uploads import validate_image_upload

# At most this many kept files per user and field; the oldest go first.
MAX_KEPT = 20


def _cutoff() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=settings.PENDING_UPLOAD_HOURS)


def _tokens(values) -> list[uuid.UUID]:
    tokens = []
    for value in values[:MAX_KEPT]:
        try:
            tokens.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return tokens


class PendingFiles:
    """The kept files of one file field (`field`; the form's input name) for this request."""

    def __init__(self, request, field: str, *, input_name: str | None = None):
        self.user = request.user
        self.field = field
        self.input_name = f"{input_name or field}-pending"
        self.kept: list[PendingUpload] = []
        if request.method == "POST" and self.user.is_authenticated:
            tokens = _tokens(request.POST.getlist(self.input_name))
            if tokens:
                self.kept = list(
                    PendingUpload.objects.filter(
                        user=self.user, field=field, token__in=tokens, created_at__gte=_cutoff()
                    ).order_by("created_at", "id")
                )

    def files(self) -> list[File]:
        """The kept files, opened, under their original names: for the service with the new ones."""
        opened = []
        for pending in self.kept:
            try:
                handle = pending.file.storage.open(pending.file.name, "rb")
            except OSError:
                continue
            opened.append(File(handle, name=pending.original_name))
        return opened

    def keep(self, uploads) -> None:
        """Keep the acceptable ones of the newly chosen `uploads` (after a failed submission)."""
        for upload in uploads or []:
            if not upload:
                continue
            try:
                validate_image_upload(upload, field=self.field)
            except ApplicationError:
                continue  # the form shows why; a refused file is not kept
            pending = PendingUpload(
                token=uuid.uuid4(), user=self.user, field=self.field, original_name=display_name(upload.name)
            )
            try:
                with transaction.atomic():
                    pending.file.save(upload.name, upload, save=False)
                    pending.save()
            except ApplicationError:
                continue  # the disk refused it: the user chooses it again
            self.kept.append(pending)
        if len(self.kept) > MAX_KEPT:
            for extra in self.kept[:-MAX_KEPT]:
                _remove(extra)
            self.kept = self.kept[-MAX_KEPT:]

    def done(self) -> None:
        """The submission succeeded: the kept files were copied into place; remove them."""
        for pending in self.kept:
            _remove(pending)
        self.kept = []

    def context(self) -> dict:
        return {"files": self.kept, "input_name": self.input_name}


def _remove(pending: PendingUpload) -> None:
    name, storage = pending.file.name, pending.file.storage
    pending.delete()
    transaction.on_commit(lambda: storage.delete(name))


def pending_uploads_expire() -> int:
    """Remove kept files older than PENDING_UPLOAD_HOURS (beat, core.tasks)."""
    expired = list(PendingUpload.objects.filter(created_at__lt=_cutoff()))
    for pending in expired:
        _remove(pending)
    return len(expired)
