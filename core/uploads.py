"""Validation of uploaded photos and evidence: images only, bounded size."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from core.errors import ApplicationError

ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP", "MPO"}


def validate_image_upload(upload, *, field: str = "photos") -> None:
    """Raise ApplicationError (field-level) unless `upload` is an image within the size limit.

    The content is checked, not the file name: Pillow must recognise and verify it.
    """
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ApplicationError(
            _("%(name)s is too large (%(size)s); the limit is %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.MAX_UPLOAD_BYTES),
            },
            fields={field: [_("File too large: %(name)s") % {"name": upload.name}]},
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        message = _("%(name)s is not an image (JPEG, PNG, GIF or WebP).") % {"name": upload.name}
        raise ApplicationError(message, fields={field: [message]}) from exc
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_FORMATS:
        message = _("%(name)s is not an image (JPEG, PNG, GIF or WebP).") % {"name": upload.name}
        raise ApplicationError(message, fields={field: [message]})
