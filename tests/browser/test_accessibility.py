"""Every public page, at a phone's width and a desktop's, checked with axe-core in a real
browser: no serious or critical problem, nothing from another host, nothing the page's security
policy blocks. A full-page screenshot of each is kept for CI's artefacts."""

import pytest
from django.utils import timezone

from articles.models import FrontPage, TopStory
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_correction,
    make_live_entry,
    make_section,
    make_topic,
)

from .checks import WIDTHS, assert_accessible, assert_self_contained, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY_BODY = """
<p>Talks between the two governments resumed on Monday in Geneva, a week after the ceasefire
was first proposed.</p>
<h2>What each side wants</h2>
<p>The negotiators met for six hours and agreed to meet again on Thursday.</p>
<blockquote><p>“Nobody left the room, and that is already news,” said one diplomat.</p></blockquote>
<h3>The next round</h3>
<ul><li>Prisoner exchanges</li><li>A line of contact</li></ul>
<p>Neither side gave a date for the truce itself.</p>
"""


@pytest.fixture
def newsroom():
    """Make a small site with one of everything a reader can meet; return its addresses."""
    world = make_section(name="World", slug="world", description="News from every continent.")
    sport = make_section(name="Sport", slug="sport")
    author = make_author(
        name="Lena Marsh", slug="lena-marsh", bio="Lena Marsh reports on diplomacy."
    )
    talks = make_topic(name="Ceasefire talks")
    geneva = make_topic(name="Geneva")
    story = make_article(
        headline="Ceasefire talks resume in Geneva",
        section=world,
        topics=[talks, geneva],
        primary_topic=talks,
        authors=[author],
        image=True,
        body=STORY_BODY,
    )
    follow_ups = [
        make_article(
            headline=f"Ceasefire follow-up number {n}",
            section=section,
            topics=[talks],
            primary_topic=talks,
            authors=[author],
            image=n == 0,
        )
        for n, section in enumerate([world, world, sport, sport])
    ]
    # The editors' front page: a top story, and the breaking-news banner on every page.
    front = FrontPage.objects.create(
        pk=1, banner_text="Live: the talks in Geneva, as they happen", banner_article=story
    )
    TopStory.objects.create(front_page=front, article=follow_ups[2], position=1)
    make_correction(article=story, text="An earlier version gave the wrong day for the talks.")
    coverage = make_article(
        headline="Live: the Geneva talks", section=world, authors=[author], is_live=True
    )
    make_live_entry(article=coverage, title="Talks open", is_key_event=True, author=author)
    make_live_entry(article=coverage, title="Summary", is_pinned=True, author=author)
    make_live_entry(article=coverage, author=author)
    first = make_comment(
        article=story,
        name="Tomas Berg",
        body="Good to see them talking.",
        featured_at=timezone.now(),  # shown first, under "Featured", too
    )
    make_comment(article=story, parent=first, name="Ines Duarte", body="Let us hope it lasts.")
    return {
        "front": ("/", "Newsroom: the latest news"),
        "section": (world.get_absolute_url(), "World"),
        "topic": (talks.get_absolute_url(), "Ceasefire talks"),
        "author": (author.get_absolute_url(), "Lena Marsh"),
        "article": (story.get_absolute_url(), story.headline),
        "live": (coverage.get_absolute_url(), coverage.headline),
        "search": ("/search/?q=ceasefire", "Search"),
        "corrections": ("/corrections/", "Corrections and updates"),
        "not-found": ("/no-such-page/", "We can’t find that page"),
    }


@pytest.mark.parametrize(
    "name",
    [
        "front",
        "section",
        "topic",
        "author",
        "article",
        "live",
        "search",
        "corrections",
        "not-found",
    ],
)
def test_public_page_passes_axe_at_phone_and_desktop_widths(page, axe_script, newsroom, name):
    url, heading = newsroom[name]
    page.set_viewport_size(WIDTHS["phone"])
    response = page.goto(url)
    assert response.status == (404 if name == "not-found" else 200)
    assert page.get_by_role("heading", level=1).inner_text() == heading
    for size in WIDTHS.values():
        page.set_viewport_size(size)
        assert_accessible(page, axe_script)
        screenshot(page, name)
    assert_self_contained(page)


def test_comment_form_passes_axe_before_and_after_an_error(page, axe_script, newsroom):
    url, _ = newsroom["article"]
    form = page.locator("#respond")
    page.goto(url)
    for size in WIDTHS.values():
        page.set_viewport_size(size)
        screenshot(page, "comment-form", element=form)

    page.get_by_role("textbox", name="Comment").fill("My point, which I would hate to lose.")
    page.get_by_role("button", name="Post Comment").click()
    assert "Name: Please give a name" in page.get_by_role("alert").inner_text()
    for size in WIDTHS.values():
        page.set_viewport_size(size)
        assert_accessible(page, axe_script)
        screenshot(page, "comment-form-error", element=form)
    assert_self_contained(page)
