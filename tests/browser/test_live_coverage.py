"""A reader with a live coverage open sees that there is a new entry, and shows it, without a
reload."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_article, make_author, make_live_entry

from .checks import assert_self_contained

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_entry_is_offered_then_shown_without_a_reload(reader, settings):
    settings.NEWSROOM_LIVE_POLL_SECONDS = 1
    author = make_author(name="Anya Korsun")
    coverage = make_article(headline="Romania votes: live", is_live=True, authors=[author])
    first = make_live_entry(article=coverage, title="Polls open", author=author)

    reader.goto(coverage.get_absolute_url())
    expect(reader.locator(f"#entry-{first.pk}")).to_be_visible()
    reader.evaluate("() => { window.notReloaded = true; }")

    # An editor posts an entry while the page is open.
    posted = make_live_entry(article=coverage, title="Polls close", author=author)
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
