"""The seeded reference story, opened in a real browser."""

import pytest

from articles import demo_content
from articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFERENCE = "trump-putin-agree-ukraine-ceasefire-talks"


def test_reference_story_shows_headline_and_related_articles(page):
    demo_content.load()
    story = Article.objects.get(slug=REFERENCE)

    page.goto(story.get_absolute_url())

    assert page.title() == f"{story.headline} | Russia-Ukraine war News"
    assert page.get_by_role("heading", level=1).inner_text() == story.headline
    related = page.get_by_role("region", name="Related Articles")
    assert related.get_by_role("listitem").count() == 4
    assert related.get_by_role("link").first.is_visible()
    lead = page.locator(".story__lead img")
    assert lead.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.foreign_requests == []
