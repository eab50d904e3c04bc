"""Renditions are made once, stored, never upscaled, and crops keep the focal point."""

import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PillowImage
from PIL import ImageDraw

from images import renditions as plans
from images.models import Image
from images.tasks import make_renditions
from tests.factories import make_image, upload

pytestmark = pytest.mark.django_db


def _specs(image, image_format):
    ordered = sorted(
        image.renditions.filter(format=image_format),
        key=lambda r: (r.spec == "og", "-" in r.spec, r.width),
    )
    return [r.spec for r in ordered]


def _opened(rendition):
    """Open a Rendition row, or an entry of an image's rendition index, with Pillow."""
    name = rendition.file.name if hasattr(rendition, "file") else rendition.name
    with default_storage.open(name, "rb") as stored:
        return PillowImage.open(io.BytesIO(stored.read()))


def test_an_admin_upload_makes_webp_and_jpeg_renditions_of_the_right_sizes(upload_image):
    assert upload_image(upload("wide.jpg", size=(1000, 500))).status_code == 302
    image = Image.objects.get()
    assert _specs(image, "jpeg") == ["w320", "w640", "w960", "16x9-w320", "16x9-w640", "og"]
    # Social crawlers get JPEG only.
    assert _specs(image, "webp") == ["w320", "w640", "w960", "16x9-w320", "16x9-w640"]
    for rendition in image.renditions.all():
        stored = _opened(rendition)
        assert stored.size == (rendition.width, rendition.height)
        assert stored.format == {"jpeg": "JPEG", "webp": "WEBP"}[rendition.format]
        assert rendition.file.name.startswith(f"images/renditions/{image.pk}/")
        assert rendition.width <= image.width
    w640 = image.renditions.get(spec="w640", format="jpeg")
    assert (w640.width, w640.height) == (640, 320)
    crop = image.renditions.get(spec="16x9-w640", format="webp")
    assert (crop.width, crop.height) == (640, 360)


def test_a_small_image_is_never_upscaled_but_still_gets_one_of_each():
    image = make_image(size=(200, 100))
    assert _specs(image, "jpeg") == ["w200", "16x9-w178", "og"]
    assert max(r.width for r in image.renditions.all()) == 200


def test_the_social_image_is_1200_by_630():
    image = make_image(size=(2000, 1500))
    social = Image.objects.with_renditions().get(pk=image.pk).social_rendition()
    assert (social.width, social.height) == (1200, 630)
    assert social.url.endswith(".jpg")
    assert _opened(social).size == (1200, 630)


def test_making_renditions_again_keeps_the_ones_that_exist():
    image = make_image(size=(700, 400))
    before = set(image.renditions.values_list("pk", "file"))
    assert make_renditions.call(image.pk) == 0
    assert set(image.renditions.values_list("pk", "file")) == before


def test_a_deleted_image_needs_no_renditions():
    assert make_renditions.call(987654) == 0


@pytest.mark.parametrize("focal_x", [0.0, 0.02, 0.3, 0.5, 0.97, 1.0])
@pytest.mark.parametrize("focal_y", [0.0, 0.5, 1.0])
@pytest.mark.parametrize("size", [(2400, 900), (900, 1600), (1600, 900)])
def test_the_crop_box_holds_the_focal_point(size, focal_x, focal_y):
    width, height = size
    left, top, right, bottom = plans.crop_box(width, height, (16, 9), focal_x, focal_y)
    assert 0 <= left <= focal_x * width <= right <= width
    assert 0 <= top <= focal_y * height <= bottom <= height
    assert abs((right - left) / (bottom - top) - 16 / 9) < 0.01


def test_the_crop_is_centred_on_the_focal_point_when_there_is_room():
    assert plans.crop_box(3200, 900, (16, 9), 0.5, 0.5) == (800, 0, 2400, 900)
    assert plans.crop_box(3200, 900, (16, 9), 0.4, 0.5) == (480, 0, 2080, 900)


def _red_dot_picture(name):
    # A wide grey picture with a red dot near its right edge.
    picture = PillowImage.new("RGB", (2400, 900), "grey")
    ImageDraw.Draw(picture).ellipse((2300, 400, 2380, 480), fill="red")
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return upload(name, buffer.getvalue())


def _has_red(rendition):
    picture = _opened(rendition).convert("RGB")
    return any(r > 200 and g < 60 and b < 60 for r, g, b in picture.get_flattened_data())


def test_a_focal_point_near_the_edge_stays_in_the_16_9_crop(upload_image):
    upload_image(_red_dot_picture("dot.png"), focal_x="0.9750", focal_y="0.4778")
    upload_image(_red_dot_picture("centred.png"))
    with_focus, centred = Image.objects.order_by("pk")
    crop = with_focus.renditions_for("16:9")[-1]
    assert (crop.width, crop.height) == (1600, 900)
    assert _has_red(crop)
    # The default, central crop loses the dot: the focal point made the difference.
    assert not _has_red(centred.renditions_for("16:9")[-1])


def _change(client, image, **overrides):
    data = {
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "focal_x": str(image.focal_x),
        "focal_y": str(image.focal_y),
        **overrides,
    }
    return client.post(reverse("admin:images_image_change", args=[image.pk]), data)


def test_moving_the_focal_point_remakes_the_crops_only(
    editor_client, django_capture_on_commit_callbacks
):
    image = make_image(size=(2400, 900))
    kept = set(image.renditions.filter(spec__startswith="w").values_list("pk", flat=True))
    old_crops = list(image.renditions.exclude(spec__startswith="w").values_list("file", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        assert _change(editor_client, image, focal_x="0.9").status_code == 302
    assert set(image.renditions.filter(spec__startswith="w").values_list("pk", flat=True)) == kept
    assert all(not default_storage.exists(name) for name in old_crops)
    crops = image.renditions.exclude(spec__startswith="w")
    assert crops.count() == len(old_crops)
    assert all(default_storage.exists(r.file.name) for r in crops)


def test_a_new_file_replaces_every_rendition_and_the_old_file(
    editor_client, django_capture_on_commit_callbacks
):
    image = make_image(size=(1600, 900))
    old_files = [image.file.name, *image.renditions.values_list("file", flat=True)]
    with django_capture_on_commit_callbacks(execute=True):
        response = _change(editor_client, image, file=upload("new.png", size=(700, 700), fmt="PNG"))
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.file.name.endswith("/new.png")
    assert all(not default_storage.exists(name) for name in old_files)
    assert max(r.width for r in image.renditions.all()) == 700


def test_deleting_an_image_deletes_its_files_after_commit(django_capture_on_commit_callbacks):
    image = make_image(size=(700, 400))
    names = [image.file.name, *image.renditions.values_list("file", flat=True)]
    assert all(default_storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not any(default_storage.exists(name) for name in names)
    assert not list(Path(default_storage.location).rglob("*.jpg"))


def test_make_renditions_command_fills_in_what_is_missing():
    image = make_image(size=(700, 400), renditions=False)
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    made = image.renditions.count()
    assert made > 0
    assert out.getvalue().strip() == f"Made {made} renditions for 1 image."
    call_command("make_renditions", str(image.pk), stdout=out)
    assert image.renditions.count() == made
