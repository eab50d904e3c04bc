"""The checks every upload to the image library passes before anything is stored."""

import io
import warnings
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow's format name: the extension we store it under.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

NOT_AN_IMAGE = "“%(name)s” is not an image we can read: upload a JPEG, PNG or WebP file."

# Pillow's decoders accept many more formats than browsers show; open only ours.
_FORMATS = list(EXTENSIONS)


def clean_upload(upload):
    """Return the upload as a new file: decoded, upright, re-encoded without metadata.

    Raise ValidationError, with a message an editor can act on, for anything else.
    """
    name = Path(upload.name or "image").name
    if not upload.size:
        raise ValidationError("“%(name)s” is empty.", code="empty", params={"name": name})
    if upload.size > settings.IMAGES_MAX_UPLOAD_BYTES:
        raise ValidationError(
            "“%(name)s” is %(size)s; the largest file we accept is %(limit)s. "
            "Export it at a smaller size or higher compression.",
            code="too_large",
            params={
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.IMAGES_MAX_UPLOAD_BYTES),
            },
        )
    upload.seek(0)
    with warnings.catch_warnings():
        # Pillow only warns below twice its own limit; a warning here is a refusal too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(upload, formats=_FORMATS) as original:
                # The header gives the size: refuse huge images before decoding a pixel.
                _check_pixels(name, *original.size)
                image_format = original.format
                icc_profile = original.info.get("icc_profile")
                original.load()
                upright = ImageOps.exif_transpose(original)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(name) from None
        except UnidentifiedImageError:
            raise ValidationError(
                NOT_AN_IMAGE, code="not_an_image", params={"name": name}
            ) from None
        except (OSError, SyntaxError, ValueError):
            # Pillow reports a file cut short, or a corrupt one, with these.
            raise ValidationError(
                "“%(name)s” is damaged or incomplete, perhaps cut short while uploading. "
                "Export it again and upload the new file.",
                code="damaged",
                params={"name": name},
            ) from None
    # Name the file for what it really is: a PNG sent as "photo.jpg" is stored as "photo.png".
    # Correcting it, rather than refusing, spares the editor a round trip for a harmless slip,
    # and browsers and the web server then agree on the type.
    return ContentFile(
        _encode(upright, image_format, icc_profile),
        name=f"{slugify(Path(name).stem) or 'image'}.{EXTENSIONS[image_format]}",
    )


def _check_pixels(name, width, height):
    if width * height > settings.IMAGES_MAX_PIXELS:
        raise _too_many_pixels(name, width, height)


def _too_many_pixels(name, width=None, height=None):
    size = f" is {width:,} × {height:,} pixels, which" if width else ""
    return ValidationError(
        "“%(name)s”%(size)s is more than the %(limit)s megapixels we accept. "
        "Export it at a smaller size (a few thousand pixels across is plenty).",
        code="too_many_pixels",
        params={"name": name, "size": size, "limit": f"{settings.IMAGES_MAX_PIXELS / 1_000_000:g}"},
    )


def _encode(image, image_format, icc_profile):
    """Return the image re-encoded in its own format, with no EXIF, XMP or other metadata.

    EXIF can carry where a photo was taken (GPS) and the camera's serial number; readers
    should get neither. The colour profile stays, or the colours would shift.
    """
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        options |= {"quality": 90, "optimize": True}
    elif image_format == "WEBP":
        options |= {"quality": 90}
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()
