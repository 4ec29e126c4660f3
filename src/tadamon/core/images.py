"""Uploaded pictures are checked, re-encoded and shrunk before they are stored.

Re-encoding with Pillow drops EXIF (GPS included) and anything hidden in the file; a picture that
Pillow cannot decode (an SVG, a script, a truncated file) or that would decode into too many pixels
(a decompression bomb) is refused with a clear message.
"""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def clean_image(uploaded, *, max_bytes=MAX_UPLOAD_BYTES, max_side=MAX_SIDE):
    """Return a ContentFile with a safe JPEG (or PNG for pictures with transparency), with
    ``width`` and ``height`` attributes; raise ValidationError with a translated message."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("This picture is too large (%(size)s MB). The limit is %(limit)s MB: take a smaller photo or "
              "reduce it.") % {"size": round(size / 1048576, 1), "limit": round(max_bytes / 1048576)},
            code="too_large")
    data = uploaded.read()
    if len(data) > max_bytes:
        raise ValidationError(_("This picture is too large."), code="too_large")
    not_a_picture = ValidationError(
        _("This file is not a picture we can read. Send a JPEG or PNG photo."), code="invalid")
    # WeasyPrint turns on Pillow's process-wide "load truncated images" when it is imported; a
    # truncated upload must still be refused, and nothing Tadamon renders needs that setting
    # (every stored picture went through this function).
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ALLOWED_FORMATS:
                raise not_a_picture
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("This picture has too many pixels."), code="too_many_pixels")
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("This picture has too many pixels."), code="too_many_pixels")
    except Exception:  # noqa: BLE001 - any decoding failure means "not a picture"
        raise not_a_picture
    image = ImageOps.exif_transpose(image)
    image.thumbnail((max_side, max_side))
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    out = io.BytesIO()
    if has_alpha:
        image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
        ext = "png"
    else:
        image = image.convert("RGB")
        image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
        ext = "jpg"
    result = ContentFile(out.getvalue(), name=f"picture.{ext}")
    result.width, result.height = image.size
    return result


def clean_document(uploaded, *, max_bytes=MAX_UPLOAD_BYTES):
    """Supporting documents: a PDF or a picture, within the size limit."""
    size = getattr(uploaded, "size", 0)
    if size > max_bytes:
        raise ValidationError(_("This file is too large. The limit is %(limit)s MB.")
                              % {"limit": round(max_bytes / 1048576)}, code="too_large")
    head = uploaded.read(5)
    uploaded.seek(0)
    if head == b"%PDF-":
        return uploaded
    try:
        cleaned = clean_image(uploaded, max_bytes=max_bytes, max_side=2400)
    except ValidationError:
        raise ValidationError(_("Send the document as a PDF file or a photo (JPEG or PNG)."), code="invalid")
    return cleaned
