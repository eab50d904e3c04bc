"""The library picker that the body editor's figure dialog opens in a popup."""

import re
from html import unescape

import pytest
from django.urls import reverse

from articles.models import Article
from images.admin import PICKER_PAGE_SIZE
from images.body import responsive_body
from images.tasks import make_renditions
from richtext.sanitize import sanitize_body
from tests.factories import make_image, make_user
from tests.query_budgets import staff

pytestmark = pytest.mark.django_db

PICKER = reverse("admin:images_image_pick")
CHOICE = re.compile(r'<button type="button" class="image-picker__choice"([^>]*)>')
ATTRIBUTE = re.compile(r'\sdata-([\w-]+)="([^"]*)"')


def _choices(response):
    """Return each choice's data attributes, unescaped, in page order."""
    assert response.status_code == 200
    return [
        {name: unescape(value) for name, value in ATTRIBUTE.findall(attributes)}
        for attributes in CHOICE.findall(response.content.decode())
    ]


def test_the_body_editor_opens_the_picker_from_its_figure_dialog():
    widget = Article._meta.get_field("body").formfield().widget
    config = widget.get_context("body", "", {})["widget"]["attrs"][
        "data-django-prose-editor-configurable"
    ]
    assert f'"Figure":{{"pickerUrl":"{PICKER}"}}' in config


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(PICKER)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_moderators_may_not_browse_the_library(moderator_client):
    assert moderator_client.get(PICKER).status_code == 403


def test_editors_and_writers_may_pick(editor_client, client):
    make_image(size=(400, 300), renditions=False)
    assert len(_choices(editor_client.get(PICKER))) == 1
    client.force_login(make_user(group="Writers"))
    assert len(_choices(client.get(PICKER))) == 1


def test_the_newest_pictures_come_first(editor_client):
    older, newer = make_image(renditions=False), make_image(renditions=False)
    ids = [int(choice["id"]) for choice in _choices(editor_client.get(PICKER))]
    assert ids == [newer.pk, older.pk]


def test_a_choice_carries_the_body_rendition_and_the_alt_text_escaped(editor_client):
    image = make_image(
        size=(1600, 900),
        alt_text='Riot police & "protesters" <outside> parliament',
        caption="Parliament, on Tuesday",
    )
    response = editor_client.get(PICKER, {"CKEditorFuncNum": "-3"})
    html = response.content.decode()
    assert "&quot;protesters&quot; &lt;outside&gt;" in html
    assert "<outside>" not in html
    [choice] = _choices(response)
    w1280 = next(r for r in image.renditions_for() if r.width == 1280)
    assert choice == {
        "url": w1280.url,
        "alt": 'Riot police & "protesters" <outside> parliament',
        "caption": "Parliament, on Tuesday",
        "id": str(image.pk),
    }
    assert 'data-func-num="-3"' in html
    assert '<input type="hidden" name="CKEditorFuncNum" value="-3">' in html


def test_a_small_picture_offers_its_widest_rendition(editor_client):
    image = make_image(size=(700, 400))
    [choice] = _choices(editor_client.get(PICKER))
    assert choice["url"] == image.renditions_for()[-1].url
    assert choice["url"].endswith("-w640.jpg")


def test_a_picture_without_renditions_offers_its_original(editor_client):
    image = make_image(size=(400, 300), renditions=False)
    [choice] = _choices(editor_client.get(PICKER))
    assert choice["url"] == image.file.url


@pytest.mark.parametrize("renditions", [True, False])
def test_the_picked_address_survives_the_sanitiser_and_becomes_a_picture(editor_client, renditions):
    image = make_image(size=(700, 400), renditions=renditions)
    [choice] = _choices(editor_client.get(PICKER))
    if not renditions:
        # Picked before the task was done: the body holds the original's address.
        make_renditions.call(image.pk)
    body = sanitize_body(
        f'<figure><img src="{choice["url"]}" alt="{choice["alt"]}" data-file="{choice["id"]}">'
        "<figcaption>A caption</figcaption></figure>"
    )
    assert f'src="{choice["url"]}"' in body
    assert "data-file" not in body
    html = responsive_body(body)
    assert '<picture><source type="image/webp"' in html
    assert f'alt="{image.alt_text}"' in html


@pytest.mark.parametrize("func_num", ['1"><script>', "--1", "²", ""])
def test_a_bad_callback_number_is_not_passed_on(editor_client, func_num):
    html = editor_client.get(PICKER, {"CKEditorFuncNum": func_num}).content.decode()
    assert 'data-func-num=""' in html
    assert "CKEditorFuncNum" not in html


def test_the_page_runs_no_inline_script(editor_client):
    make_image(size=(400, 300), renditions=False)
    html = editor_client.get(PICKER).content.decode()
    assert "images/picker.js" in html
    content = html.split('id="content-main"')[1]
    assert "<script" not in content
    assert " onclick" not in html


@pytest.mark.parametrize(
    ("term", "alt_text"),
    [("lighthouse", "A lighthouse in fog"), ("harbour", "Boats"), ("afp", "A market")],
)
def test_the_picker_searches_alt_text_caption_and_credit(editor_client, term, alt_text):
    make_image(size=(400, 300), renditions=False, alt_text="A lighthouse in fog")
    make_image(size=(400, 300), renditions=False, alt_text="Boats", caption="The harbour")
    make_image(size=(400, 300), renditions=False, alt_text="A market", credit="Ana Lima/AFP")
    response = editor_client.get(PICKER, {"q": term, "CKEditorFuncNum": "-1"})
    assert [choice["alt"] for choice in _choices(response)] == [alt_text]
    html = response.content.decode()
    assert f'name="q" value="{term}"' in html
    assert 'name="CKEditorFuncNum" value="-1"' in html


def test_a_search_without_results_says_so(editor_client):
    make_image(size=(400, 300), renditions=False)
    response = editor_client.get(PICKER, {"q": "<nothing>"})
    assert _choices(response) == []
    assert "No picture matches “&lt;nothing&gt;”." in response.content.decode()


def test_the_picker_shows_a_page_at_a_time(editor_client):
    images = [make_image(size=(64, 48), renditions=False) for _ in range(PICKER_PAGE_SIZE + 1)]
    first = editor_client.get(PICKER, {"CKEditorFuncNum": "-2"})
    assert len(_choices(first)) == PICKER_PAGE_SIZE
    html = first.content.decode()
    assert "Page 1 of 2" in html
    next_link = unescape(re.search(r'<a href="([^"]+)" rel="next">', html)[1])
    assert "CKEditorFuncNum=-2" in next_link and "page=2" in next_link

    second = editor_client.get(PICKER + next_link)
    assert [int(choice["id"]) for choice in _choices(second)] == [images[0].pk]
    assert 'rel="prev"' in second.content.decode()
    # Past the end: the last page, not an error.
    assert len(_choices(editor_client.get(PICKER, {"page": "99"}))) == 1


@pytest.mark.parametrize("count", [1, PICKER_PAGE_SIZE + 6])
def test_the_picker_takes_a_fixed_number_of_queries(
    editor_client, django_assert_num_queries, count
):
    make_image(size=(400, 300))  # with renditions, so the prefetch has rows to load
    for _ in range(count - 1):
        make_image(size=(64, 48), renditions=False)
    # The count, the page, their renditions.
    with django_assert_num_queries(staff("image picker")):
        response = editor_client.get(PICKER, {"q": "picture"})
    assert len(_choices(response)) == min(count, PICKER_PAGE_SIZE)
