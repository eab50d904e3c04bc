"""A reader finds their way around the demo site in a real browser."""

from urllib.parse import unquote_plus

import feedparser
import pytest

from articles.models import Article
from demo import seed
from images import renditions

from .checks import assert_self_contained

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFERENCE = "trump-putin-agree-ukraine-ceasefire-talks"


@pytest.fixture
def demo_site(monkeypatch):
    """Load the demo content, with fewer and cheaper renditions of its pictures: the full set
    takes half a minute to encode, and the pages need only some of them."""
    monkeypatch.setattr(renditions, "WIDTHS", (320, 640))
    monkeypatch.setitem(renditions.ENCODER_OPTIONS, "WEBP", {"quality": 60, "method": 0})
    monkeypatch.setitem(renditions.ENCODER_OPTIONS, "JPEG", {"quality": 60})
    seed.load()


def test_a_reader_goes_from_the_front_page_to_a_story_its_topic_search_and_feed(page, demo_site):
    story = Article.objects.get(slug=REFERENCE)
    address = story.get_absolute_url()

    page.goto("/")
    assert page.title() == "Newsroom: news from around the world"
    page.get_by_role("navigation", name="Sections", exact=True).get_by_role(
        "link", name="World News"
    ).click()
    page.wait_for_url("**/world/")
    assert page.get_by_role("heading", level=1).inner_text() == "World News"
    page.get_by_role("link", name=story.headline, exact=True).click()
    page.wait_for_url(f"**{address}")

    # The story: section label, headline, primary topic, share links, body, related stories.
    assert page.title() == f"{story.headline} | Russia-Ukraine war News"
    header = page.locator(".story__header")
    assert header.get_by_role("link", name="World News").get_attribute("href") == "/world/"
    assert page.get_by_role("heading", level=1).inner_text() == story.headline
    share = page.get_by_role("navigation", name="Share this article", exact=True)
    shared = [link.get_attribute("href") for link in share.get_by_role("link").all()]
    assert [href.split("?")[0] for href in shared] == [
        "https://www.facebook.com/sharer/sharer.php",
        "https://x.com/intent/post",
        "https://bsky.app/intent/compose",
        "https://www.linkedin.com/sharing/share-offsite/",
        "https://wa.me/",
        "mailto:",
    ]
    # Each one carries the story's own address.
    assert all(page.url in unquote_plus(href) for href in shared)
    body = page.locator(".story__body")
    assert body.get_by_role("heading", level=2, name="Diplomatic momentum").is_visible()
    assert "The White House wanted to show movement" in body.locator("blockquote").inner_text()
    lead = page.locator(".story__lead img")
    assert lead.evaluate("img => img.complete && img.naturalWidth > 0")
    related = page.get_by_role("region", name="Related Articles")
    assert related.get_by_role("listitem").count() == 4
    assert related.get_by_role("link").first.is_visible()

    # Its primary topic, from the topics at the end of the story.
    topics = page.get_by_role("navigation", name="Topics")
    topics.get_by_role("link", name="Russia-Ukraine war").click()
    page.wait_for_url("**/tag/russia-ukraine-war/")
    assert page.get_by_role("heading", level=1).inner_text() == "Russia-Ukraine war"
    assert page.get_by_role("link", name=story.headline, exact=True).is_visible()

    # The masthead's search form.
    search = page.get_by_role("search", name="Site search")
    search.get_by_role("searchbox", name="Search").fill("ceasefire Kremlin")
    search.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=ceasefire+Kremlin")
    assert page.locator(".search-count").inner_text().endswith("found.")
    results = page.get_by_role("list").filter(has=page.locator(".search-result"))
    assert results.get_by_role("link", name=story.headline, exact=True).is_visible()
    assert_self_contained(page)

    # The front page names its feeds; each is a document a feed reader understands.
    page.goto("/")
    for kind, version in [("application/rss+xml", "rss20"), ("application/atom+xml", "atom10")]:
        href = page.locator(f'link[rel="alternate"][type="{kind}"]').get_attribute("href")
        response = page.request.get(href)
        assert response.ok
        assert response.headers["content-type"].startswith(kind)
        feed = feedparser.parse(response.body())
        assert feed.version == version
        assert story.headline in [entry.title for entry in feed.entries]
    assert_self_contained(page)
