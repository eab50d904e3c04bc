"""A reader with a live coverage open sees that there is a new entry, and shows it, without a
reload."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import LiveEntry
from tests.factories import make_article, make_author, make_live_entry, make_user

from .checks import assert_self_contained

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_entry_posted_in_the_admin_is_offered_then_shown_without_a_reload(
    page, reader, log_in, settings
):
    settings.NEWSROOM_LIVE_POLL_SECONDS = 1
    editor = make_user(group="Editors")
    author = make_author(name="Anya Korsun", user=editor)
    coverage = make_article(headline="Romania votes: live", is_live=True, authors=[author])
    first = make_live_entry(article=coverage, title="Polls open", author=author)

    reader.goto(coverage.get_absolute_url())
    expect(reader.locator(f"#entry-{first.pk}")).to_be_visible()
    reader.evaluate("() => { window.notReloaded = true; }")

    # An editor posts an entry from the coverage's page in the admin while the reader reads.
    coverage_admin = reverse("admin:articles_article_live", args=[coverage.pk])
    log_in(editor, coverage_admin)
    page.get_by_label("Title").fill("Polls close")
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("Polling stations closed at nine in the evening.")
    page.get_by_role("button", name="Post entry").click()
    expect(page.locator(".messagelist")).to_contain_text("Posted: readers see it now")
    posted = LiveEntry.objects.get(title="Polls close")
    assert posted.author == author and posted.created_by == editor
    notice = reader.get_by_role("button", name="1 new update")
    expect(notice).to_be_visible()
    # Offered, not pushed: what the reader is reading has not moved.
    expect(reader.locator(f"#entry-{posted.pk}")).to_have_count(0)

    notice.click()
    entry = reader.locator(f"#entry-{posted.pk}")
    expect(entry).to_be_visible()
    expect(entry).to_be_focused()
    expect(entry.get_by_role("heading", name="Polls close")).to_be_visible()
    expect(reader.locator(".live-entry")).to_have_count(2)
    expect(notice).to_have_count(0)
    assert reader.evaluate("() => window.notReloaded") is True
    assert_self_contained(reader)
