"""An editor takes a story from a blank form to a corrected, published article, in a real
browser, with the admin's own controls."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from images.models import Image
from tests.factories import image_bytes, make_section, make_user, turn_on_two_factor

from .checks import assert_self_contained

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADLINE = "Harbour strike ends after nine days"
ALT_TEXT = "Cranes over the harbour at dawn"


def _save_and_continue(page):
    page.get_by_role("button", name="Save and continue editing").click()
    # Saved, or refused: a refusal fails here with the form's own words, not a timeout.
    page.locator(".messagelist .success, .errornote").first.wait_for()
    assert not page.locator(".errornote").count(), page.locator(".errorlist").all_inner_texts()


def _article():
    return Article.objects.get(headline=HEADLINE)


def test_an_editor_writes_previews_schedules_publishes_and_corrects_a_story(page, reader, log_in):
    editor = make_user(group="Editors")
    turn_on_two_factor(editor)  # log_in types the app's code on the second page
    make_section(name="World", slug="world")

    # A picture for the image library.
    log_in(editor, reverse("admin:images_image_add"))
    page.locator("#id_file").set_input_files(
        files=[
            {
                "name": "harbour.jpg",
                "mimeType": "image/jpeg",
                "buffer": image_bytes(size=(800, 450), colour="teal"),
            }
        ]
    )
    page.get_by_label("Alt text").fill(ALT_TEXT)
    page.get_by_label("Credit").fill("Photo: Lena Marsh")
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".messagelist .success").wait_for()
    assert Image.objects.get().alt_text == ALT_TEXT

    # The story, written in the rich-text editor.
    page.goto(reverse("admin:articles_article_add"))
    page.get_by_label("Headline").fill(HEADLINE)
    page.get_by_label("Section").select_option(label="World")
    page.get_by_label("Standfirst").fill("Dock workers accepted a new pay offer on Sunday night.")
    body = page.locator(".ProseMirror[contenteditable=true]")
    body.click()
    page.keyboard.type("Dock workers went back to work on Monday morning.")
    page.keyboard.press("Enter")
    # The block-type menu shows the current type ("paragraph") and opens on a click.
    page.locator(".prose-menubar__selected").click()
    page.get_by_role("button", name="Heading 2").click()
    page.keyboard.type("What the deal says")
    page.keyboard.press("Enter")
    page.keyboard.type("Wages rise by four per cent this year.")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="blockquote").click()
    page.keyboard.type("We got what we came for, said the union's leader.")
    assert body.locator("h2").inner_text() == "What the deal says"
    assert body.locator("blockquote").inner_text() == (
        "We got what we came for, said the union's leader."
    )
    # The lead image, picked from the library by its alt text.
    page.locator(".field-lead_image .select2-selection").click()
    page.locator(".select2-search__field[aria-controls=select2-id_lead_image-results]").fill(
        "cranes"
    )
    page.get_by_role("option", name=ALT_TEXT).click()
    _save_and_continue(page)
    assert page.get_by_label("Slug").input_value() == "harbour-strike-ends-after-nine-days"
    assert page.locator(".field-visibility").inner_text().endswith("Draft: readers cannot see it.")
    article = _article()
    assert article.lead_image.alt_text == ALT_TEXT
    assert "<h2>What the deal says</h2>" in article.body
    assert "<blockquote><p>We got what we came for" in article.body

    # The preview shows the saved draft as readers will get it.
    page.get_by_role("link", name="Preview").click()
    page.wait_for_url("**/preview/")
    assert "readers cannot see this article yet" in page.get_by_role("status").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == HEADLINE
    story = page.locator(".story__body")
    assert story.get_by_role("heading", level=2).inner_text() == "What the deal says"
    assert "We got what we came for" in story.locator("blockquote").inner_text()
    lead = page.get_by_role("img", name=ALT_TEXT)
    assert lead.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "Photo: Lena Marsh" in page.locator(".story__lead figcaption").inner_text()
    page.go_back()

    # Scheduled for tomorrow morning: not there for readers yet.
    tomorrow = timezone.localtime() + timedelta(days=1)
    publish_time = page.get_by_role("group", name="Publish time:", exact=True)
    page.get_by_label("Status").select_option(label="Published")
    publish_time.get_by_label("Date:").fill(tomorrow.strftime("%Y-%m-%d"))
    publish_time.get_by_label("Time:").fill("09:00:00")
    _save_and_continue(page)
    assert "Scheduled for" in page.locator(".field-visibility").inner_text()
    assert timezone.localtime(_article().published_at) == tomorrow.replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    assert reader.goto(_article().get_absolute_url()).status == 404
    reader.goto("/")
    assert HEADLINE not in reader.content()

    # Published now, with the admin's "Today" and "Now" shortcuts.
    publish_time.get_by_role("button", name="Today").click()
    publish_time.get_by_role("button", name="Now").click()
    _save_and_continue(page)
    assert "Live since" in page.locator(".field-visibility").inner_text()
    address = _article().get_absolute_url()
    reader.goto("/")
    reader.get_by_role("link", name=HEADLINE).click()
    reader.wait_for_url(f"**{address}")
    assert reader.get_by_role("heading", level=1).inner_text() == HEADLINE

    # A correction, added on the article's page, shows on the story and on /corrections/.
    page.get_by_role("button", name="Add another Correction or update").click()
    note = "An earlier version of this story gave the wrong length for the strike."
    page.locator("#corrections-0").get_by_label("Text:").fill(note)
    _save_and_continue(page)
    reader.reload()
    notes = reader.get_by_role("complementary", name="Corrections and updates")
    assert notes.get_by_role("listitem").inner_text().startswith("Correction, ")
    assert note in notes.get_by_role("listitem").inner_text()
    reader.get_by_role("link", name="Corrections and updates").click()
    reader.wait_for_url("**/corrections/")
    entry = reader.get_by_role("listitem").filter(has_text=note)
    assert entry.get_by_role("link", name=HEADLINE).get_attribute("href") == address
    assert_self_contained(reader)
    assert page.foreign_requests == []
