"""Editors manage the library in the admin: list, search, focal point, stored sizes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_image
from tests.query_budgets import staff

pytestmark = pytest.mark.django_db


def test_editors_may_add_change_and_delete_images(editor):
    for action in ["view", "add", "change", "delete"]:
        assert editor.has_perm(f"images.{action}_image")


@pytest.mark.parametrize("count", [1, 5])
def test_the_changelist_shows_thumbnails_in_a_fixed_number_of_queries(
    editor_client, django_assert_num_queries, count
):
    for _ in range(count):
        make_image(size=(700, 400), credit="Jane Doe/Reuters")
    with django_assert_num_queries(staff("image list")):
        response = editor_client.get(reverse("admin:images_image_changelist"))
    html = response.content.decode()
    assert html.count('class="image-thumbnail"') == count
    assert "-w320.jpg" in html


def test_the_changelist_searches_alt_text_caption_and_credit(editor_client):
    make_image(size=(400, 300), alt_text="A lighthouse in fog")
    make_image(size=(400, 300), caption="The harbour at dawn")
    make_image(size=(400, 300), credit="Ana Lima/AFP")
    url = reverse("admin:images_image_changelist")
    for term in ["lighthouse", "harbour", "afp"]:
        response = editor_client.get(url, {"q": term})
        assert response.context["cl"].result_count == 1


def test_the_changelist_filters_by_upload_date(editor_client):
    make_image(size=(400, 300))
    response = editor_client.get(
        reverse("admin:images_image_changelist"), {"created_at__year": timezone.now().year}
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_the_add_page_offers_the_focal_point_picker_and_accepts_only_our_formats(editor_client):
    html = editor_client.get(reverse("admin:images_image_add")).content.decode()
    assert 'accept="image/jpeg,image/png,image/webp"' in html
    assert "data-focal-point" in html
    assert "images/focal_point.js" in html
    assert 'name="focal_x"' in html and 'step="0.01"' in html
    assert "<script>" not in html.split("data-focal-point")[1].split("</fieldset>")[0]


def test_the_change_page_shows_the_image_the_point_and_the_stored_sizes(editor_client):
    image = make_image(size=(1000, 500))
    html = editor_client.get(reverse("admin:images_image_change", args=[image.pk])).content.decode()
    assert f'src="{image.file.url}"' in html
    assert "1000 × 500 px" in html
    for listed in [
        "w320 JPEG</a> 320 × 160",
        "16x9-w640 WebP</a> 640 × 360",
        "og JPEG</a> 952 × 500",
    ]:
        assert listed in html


def test_focal_point_values_outside_the_picture_are_refused(editor_client):
    image = make_image(size=(400, 300))
    response = editor_client.post(
        reverse("admin:images_image_change", args=[image.pk]),
        {
            "alt_text": image.alt_text,
            "caption": "",
            "credit": "",
            "focal_x": "1.5",
            "focal_y": "-1",
        },
    )
    assert response.status_code == 200
    assert "less than or equal to 1.0" in response.content.decode()


def test_moderators_cannot_reach_the_library(moderator_client):
    response = moderator_client.get(reverse("admin:images_image_changelist"))
    assert response.status_code == 403
