"""Validation of an approval item's documents: a PDF or an image (core.uploads), within the
upload size limit. The content is checked, not the file name."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.uploads import validate_image_upload

PDF = "application/pdf"
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp", "MPO": "image/jpeg"}


def _error(message: str, field: str) -> ApplicationError:
    return ApplicationError(message, fields={field: [message]})


def _is_pdf(upload) -> bool:
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    return head.lstrip()[:5] == b"%PDF-"


def validate_document_upload(upload, *, field: str = "file") -> str:
    """The content type of a valid document, or ApplicationError (field-level)."""
    if upload is None:
        raise _error(_("Choose a file."), field)
    if upload.size == 0:
        raise _error(_("%(name)s is empty.") % {"name": upload.name}, field)
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise _error(
            _("%(name)s is too large (%(size)s); the limit is %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.MAX_UPLOAD_BYTES),
            },
            field,
        )
    if _is_pdf(upload):
        return PDF
    try:
        validate_image_upload(upload, field=field)
    except ApplicationError as exc:
        raise _error(_("%(name)s is neither a PDF nor an image.") % {"name": upload.name}, field) from exc
    from PIL import Image

    upload.seek(0)
    with Image.open(upload) as image:
        kind = IMAGE_TYPES.get(image.format, "application/octet-stream")
    upload.seek(0)
    return kind
