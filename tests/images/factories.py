"""Small functions that make library images, with unique, overridable defaults."""

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage

from images.models import Image
from images.tasks import make_renditions
from images.uploads import clean_upload

_numbers = itertools.count(1)


def image_bytes(size=(1600, 900), colour="navy", fmt="JPEG", **save_options):
    buffer = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" else "RGB"
    PillowImage.new(mode, size, colour).save(buffer, fmt, **save_options)
    return buffer.getvalue()


def upload(name="photo.jpg", content=None, **image_options):
    """Return an uploaded file, as the browser would send it."""
    if content is None:
        content = image_bytes(**image_options)
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def make_image(*, size=(1600, 900), colour="navy", fmt="JPEG", renditions=True, **kwargs):
    """Make a library image as an upload would, with its renditions unless told otherwise."""
    n = next(_numbers)
    if "file" not in kwargs:
        extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt]
        kwargs["file"] = clean_upload(
            upload(f"picture-{n}.{extension}", size=size, colour=colour, fmt=fmt)
        )
    kwargs.setdefault("alt_text", f"Picture number {n}")
    image = Image.objects.create(**kwargs)
    if renditions:
        # The save queued the task for after commit, which a test transaction never reaches.
        make_renditions.call(image.pk)
    return image
