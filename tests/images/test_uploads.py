"""Only real JPEG, PNG and WebP images get in, upright and without their metadata."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image as PillowImage
from PIL import ImageCms

from images.models import Image
from tests.admin_forms import form_errors as errors
from tests.factories import image_bytes, upload

pytestmark = pytest.mark.django_db


def _png_header_only(width, height):
    """Return a valid PNG header claiming a huge size, with almost no pixel data behind it."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


def _stored_files(settings):
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def _opened(image):
    with image.file.open("rb"):
        picture = PillowImage.open(io.BytesIO(image.file.read()))
        picture.load()
    return picture


def test_a_jpeg_upload_is_stored_with_its_size(upload_image, editor):
    response = upload_image(upload("Protest.JPG", size=(1200, 800)))
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.file.name.startswith("images/")
    assert image.file.name.endswith("/protest.jpg")
    assert (image.width, image.height) == (1200, 800)
    assert image.uploaded_by == editor
    assert image.renditions.exists()


@pytest.mark.parametrize(("fmt", "extension"), [("PNG", "png"), ("WEBP", "webp")])
def test_png_and_webp_are_accepted(upload_image, fmt, extension):
    response = upload_image(upload(f"chart.{extension}", size=(800, 600), fmt=fmt))
    assert response.status_code == 302
    assert Image.objects.get().file.name.endswith(f"/chart.{extension}")


def test_a_png_named_jpg_is_stored_as_png(upload_image):
    response = upload_image(upload("chart.jpg", size=(800, 600), fmt="PNG"))
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.file.name.endswith("/chart.png")
    assert _opened(image).format == "PNG"


def test_a_text_file_named_png_is_refused_and_nothing_is_stored(upload_image, settings):
    response = upload_image(upload("notes.png", b"Meeting notes, not a picture.\n" * 20))
    assert response.status_code == 200
    assert errors(response) == [
        "“notes.png” is not an image we can read: upload a JPEG, PNG or WebP file."
    ]
    assert not Image.objects.exists()
    assert _stored_files(settings) == []


def test_a_gif_is_refused(upload_image):
    response = upload_image(upload("animation.gif", size=(40, 40), fmt="GIF"))
    assert "upload a JPEG, PNG or WebP file" in errors(response)[0]
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    ("width", "height", "shown"),
    [
        (20_000, 20_000, "“huge.png” is more than the 50 megapixels we accept."),
        (8_000, 8_000, "“huge.png” is 8,000 × 8,000 pixels, which is more than the 50 megapixels"),
    ],
)
def test_an_image_with_too_many_pixels_is_refused_from_its_header(
    upload_image, settings, width, height, shown
):
    content = _png_header_only(width, height)
    assert len(content) < 100
    response = upload_image(upload("huge.png", content))
    assert response.status_code == 200
    assert errors(response)[0].startswith(shown)
    assert not Image.objects.exists()
    assert _stored_files(settings) == []


def test_pillows_own_bomb_warning_ends_as_a_refusal(upload_image, settings):
    # Above Pillow's warning threshold (about 89 megapixels) but within our setting.
    settings.IMAGES_MAX_PIXELS = 1_000_000_000
    response = upload_image(upload("huge.png", _png_header_only(10_000, 10_000)))
    assert response.status_code == 200
    assert "megapixels we accept" in errors(response)[0]


def test_an_oversize_file_is_refused(upload_image, settings):
    settings.IMAGES_MAX_UPLOAD_BYTES = 2_000
    response = upload_image(upload("big.jpg", b"\xff\xd8" + b"\x00" * 5_000))
    assert errors(response) == [
        "“big.jpg” is 4.9\xa0KB; the largest file we accept is 2.0\xa0KB. "
        "Export it at a smaller size or higher compression."
    ]
    assert not Image.objects.exists()


def test_an_empty_file_is_refused(upload_image):
    response = upload_image(upload("empty.jpg", b""))
    assert errors(response) == ["The submitted file is empty."]


def test_a_truncated_file_is_refused(upload_image, settings):
    noisy = io.BytesIO()
    PillowImage.effect_noise((800, 600), 60).convert("RGB").save(noisy, "JPEG")
    response = upload_image(upload("cut.jpg", noisy.getvalue()[: len(noisy.getvalue()) // 2]))
    assert "is damaged or incomplete" in errors(response)[0]
    assert _stored_files(settings) == []


def test_exif_orientation_is_applied_and_all_exif_and_gps_removed(upload_image):
    exif = PillowImage.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 30.0, 26.0)
    gps[3], gps[4] = "W", (0.0, 7.0, 39.0)
    content = image_bytes(size=(400, 200), exif=exif)
    assert PillowImage.open(io.BytesIO(content)).getexif().get_ifd(0x8825)

    assert upload_image(upload("phone.jpg", content)).status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (200, 400)
    stored = _opened(image)
    assert stored.size == (200, 400)
    assert "exif" not in stored.info
    assert dict(stored.getexif()) == {}
    assert b"GPS" not in image.file.open("rb").read()
    assert all(r.height > r.width for r in image.renditions.filter(spec__startswith="w"))


def test_the_colour_profile_is_kept(upload_image):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    content = image_bytes(size=(400, 300), icc_profile=profile)
    assert upload_image(upload("graded.jpg", content)).status_code == 302
    assert _opened(Image.objects.get()).info.get("icc_profile") == profile


def test_alt_text_is_required(upload_image):
    response = upload_image(upload("photo.jpg", size=(400, 300)), alt_text="")
    assert response.status_code == 200
    assert errors(response) == ["This field is required."]
    assert not Image.objects.exists()
