"""An editor sets a focal point and puts library pictures into a story, in a real browser."""

import pytest
from django.urls import reverse

from articles.models import Article
from images.models import Image
from tests.factories import make_article, make_image, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _crops(image):
    return [r for r in image.renditions.all() if r.spec.startswith("16x9-")]


def test_a_click_on_the_picture_sets_the_focal_point_and_remakes_the_crops(page, log_in):
    editor = make_user(group="Editors")
    # Taller than 16:9, so the crop has room to move.
    image = make_image(size=(1000, 800), alt_text="Harbour cranes at dawn")
    assert all("-f500-500." in crop.file.name for crop in _crops(image))
    log_in(editor, reverse("admin:images_image_change", args=[image.pk]))

    picture = page.get_by_role("img", name="The image: click to set its focal point")
    marker = page.locator(".focal-point__marker")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.9, "y": box["height"] * 0.25})

    focal_x = float(page.get_by_label("Focal point across").input_value())
    focal_y = float(page.get_by_label("Focal point down").input_value())
    assert focal_x == pytest.approx(0.9, abs=0.01)
    assert focal_y == pytest.approx(0.25, abs=0.01)
    centre = marker.bounding_box()
    box = picture.bounding_box()  # the click may have scrolled the page
    assert centre["x"] + centre["width"] / 2 == pytest.approx(box["x"] + box["width"] * 0.9, abs=3)
    assert centre["y"] + centre["height"] / 2 == pytest.approx(
        box["y"] + box["height"] * 0.25, abs=3
    )

    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(lambda url: url.endswith(reverse("admin:images_image_changelist")))

    image = Image.objects.with_renditions().get(pk=image.pk)
    assert (image.focal_x, image.focal_y) == (focal_x, focal_y)
    tag = f"-f{round(focal_x * 1000)}-{round(focal_y * 1000)}."
    crops = _crops(image)
    # 320, 640 and 960 wide, WebP and JPEG, all cut around the new point.
    assert len(crops) == 6
    assert all(tag in crop.file.name and crop.file.storage.exists(crop.file.name) for crop in crops)
    assert page.foreign_requests == []


def test_an_editor_picks_a_library_picture_for_the_body(page, log_in):
    editor = make_user(group="Editors")
    make_image(size=(400, 300), alt_text="An older picture")
    image = make_image(
        size=(1000, 600), alt_text="Crowds at the border crossing", caption="Rafah, on Monday"
    )
    article = make_article(headline="Story with a body picture", body="<p>First paragraph.</p>")
    log_in(editor, reverse("admin:articles_article_change", args=[article.pk]))

    body = page.locator(".ProseMirror[contenteditable=true]")
    body.get_by_text("First paragraph.").click()
    page.keyboard.press("End")
    page.get_by_title("figure").click()
    dialog = page.get_by_role("dialog")
    with page.expect_popup() as opened:
        dialog.get_by_role("button", name="Browse...").click()
    picker = opened.value
    picker.wait_for_load_state()
    assert picker.get_by_role("heading", name="Choose a picture").is_visible()
    with picker.expect_event("close"):
        picker.get_by_role("button", name="Crowds at the border crossing").click()

    w960 = next(r for r in image.renditions_for() if r.width == 960)
    assert dialog.get_by_label("Image URL").input_value() == w960.url
    assert dialog.get_by_label("Alternative Text").input_value() == image.alt_text
    assert dialog.get_by_label("Caption").input_value() == "Rafah, on Monday"
    dialog.get_by_role("button", name="Insert").click()
    figure = body.locator("figure")
    assert figure.locator("img").get_attribute("src") == w960.url
    assert figure.locator("figcaption").inner_text() == "Rafah, on Monday"

    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_selector(".messagelist .success")
    article = Article.objects.get(pk=article.pk)
    assert f'<img src="{w960.url}" alt="Crowds at the border crossing">' in article.body

    page.goto(article.get_absolute_url())
    body_picture = page.locator("figure picture")
    assert body_picture.locator("source[type='image/webp']").count() == 1
    img = body_picture.locator("img")
    assert img.get_attribute("alt") == "Crowds at the border crossing"
    assert "-w960.jpg 960w" in img.get_attribute("srcset")
    img.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    assert page.locator("figure figcaption").inner_text() == "Rafah, on Monday"
    assert page.foreign_requests == []
