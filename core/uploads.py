"""Validation of uploaded photos and evidence: images only, bounded size and pixel count, no
markup hidden inside, a file name without control characters.

The content is checked, not the file name or the declared type: Pillow must recognise the
format and verify the file; its declared dimensions are bounded before any pixel is decoded
(a "pixel flood" of 100000×100000 is refused, not decompressed); and a file that also carries
HTML, script or SVG (a polyglot such as GIF+JS) is refused even though it is a valid image.
Every refusal is an ApplicationError with one plain message per field, in the user's language.
"""

import re
import warnings

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from core.errors import ApplicationError
from core.files import display_name

ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP", "MPO"}
# Phone cameras reach about 50 megapixels; nothing the product shows needs more.
MAX_IMAGE_PIXELS = 60_000_000
# Markup that must never ride along inside an image (case-insensitive).
MARKUP = re.compile(rb"<\s*(script|html|body|svg|iframe|object|embed|meta|a\s|img\s|\?php|!doctype)|javascript:", re.I)
CHUNK = 1024 * 1024


def _refuse(message: str, field: str, code: str = "invalid") -> ApplicationError:
    return ApplicationError(message, fields={field: [message]}, code=code)


def _has_markup(upload) -> bool:
    upload.seek(0)
    tail = b""
    while chunk := upload.read(CHUNK):
        if MARKUP.search(tail + chunk):
            return True
        tail = chunk[-32:]
    return False


def validate_image_upload(upload, *, field: str = "photos") -> None:
    """Raise ApplicationError (field-level) unless `upload` is a plain image within the limits."""
    name = display_name(getattr(upload, "name", ""))
    raw_name = str(getattr(upload, "name", "") or "")
    if any(ord(c) < 32 or ord(c) == 127 for c in raw_name):
        raise _refuse(_("The file name %(name)s contains characters that are not allowed.") % {"name": name}, field)
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ApplicationError(
            _("%(name)s is too large (%(size)s); the limit is %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.MAX_UPLOAD_BYTES),
            },
            fields={field: [_("File too large: %(name)s") % {"name": name}]},
        )
    not_an_image = _("%(name)s is not an image (JPEG, PNG, GIF or WebP).") % {"name": name}
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _refuse(
                        _("%(name)s is %(width)d×%(height)d pixels; at most %(limit)d megapixels are accepted.")
                        % {"name": name, "width": width, "height": height, "limit": MAX_IMAGE_PIXELS // 1_000_000},
                        field,
                        "too_large",
                    )
                image.verify()
    except ApplicationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _refuse(
            _("%(name)s declares more pixels than any photo has; it was refused.") % {"name": name}, field, "too_large"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        raise _refuse(not_an_image, field) from exc
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise _refuse(not_an_image, field)
    try:
        if _has_markup(upload):
            raise _refuse(
                _("%(name)s contains web page code (HTML or script) besides the image; it was refused.")
                % {"name": name},
                field,
            )
    finally:
        upload.seek(0)
