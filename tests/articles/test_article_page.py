"""The article page shows the anatomy of a major news site's story page."""

import re
from datetime import datetime, timedelta
from html import unescape

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    make_article,
    make_author,
    make_section,
    make_topic,
    relate,
)

pytestmark = pytest.mark.django_db

BODY = (
    "<p>The lead paragraph says what happened.</p>"
    "<p>Lena Marsh, reporting from Moscow, said:</p>"
    "<blockquote><p>The mood here is cautious but hopeful.</p></blockquote>"
    "<h2>Diplomatic momentum</h2><p>More follows.</p>"
)


@pytest.fixture
def story():
    world = make_section(name="World News", slug="world")
    war = make_topic(name="Russia-Ukraine war")
    health, migration = make_topic(name="Health"), make_topic(name="Migration")
    authors = [make_author(name="Lena Marsh"), make_author(name="Sam Okafor")]
    article = make_article(
        headline="Leaders agree to start ceasefire talks",
        section=world,
        topics=[war, make_topic(name="Diplomacy")],
        primary_topic=war,
        authors=authors,
        body=BODY,
        image=True,
    )
    picks = [
        make_article(
            headline="Former president diagnosed with cancer",
            section=world,
            primary_topic=health,
            topics=[health],
        ),
        make_article(
            headline="Court allows end to protected status",
            section=world,
            primary_topic=migration,
            topics=[migration],
        ),
    ]
    relate(article, *picks)
    return article


def test_page_title_is_headline_and_primary_topic(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<title>Leaders agree to start ceasefire talks | Russia-Ukraine war News</title>" in html


def test_section_label_links_to_the_section_above_the_headline(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    label = html.index('<a class="story__section" href="/world/">World News</a>')
    assert label < html.index('<h1 class="story__headline">Leaders agree to start ceasefire talks')


def test_byline_links_authors_in_order_with_a_machine_readable_time(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    byline = re.search(r'<p class="story__byline">(.*?)</p>', html, re.S).group(1)
    assert re.findall(r'rel="author" href="([^"]+)">([^<]+)<', byline) == [
        (author.get_absolute_url(), author.name) for author in story.byline
    ]
    assert " and " in byline
    assert f'<time datetime="{story.published_at.isoformat(timespec="seconds")}">' in html


def test_share_links_at_the_top_and_the_end(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    navs = re.findall(r'<nav class="share" aria-label="([^"]+)">(.*?)</nav>', html, re.S)
    assert [label for label, _ in navs] == [
        "Share this article",
        "Share this article, end of story",
    ]
    absolute = "http%3A%2F%2Ftestserver" + story.get_absolute_url().replace("/", "%2F")
    for _, links in navs:
        hrefs = [unescape(href) for href in re.findall(r'href="([^"]+)"', links)]
        hosts = {re.match(r"https://([^/]+)/", h).group(1) for h in hrefs if h.startswith("http")}
        assert {"www.facebook.com", "x.com", "www.linkedin.com", "wa.me"} <= hosts
        assert any(h.startswith("mailto:?subject=") for h in hrefs)
        assert all(absolute in h for h in hrefs if "facebook" in h or "linkedin" in h)
    # No script runs: the only <script> elements are JSON-LD data blocks (test_metadata.py).
    assert re.findall(r"<script[^>]*>", html) == ['<script type="application/ld+json">'] * 2


def test_lead_image_has_size_alt_caption_and_credit(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="story__lead">(.*?)</figure>', html, re.S).group(1)
    assert f'alt="{story.lead_image.alt_text}"' in figure
    assert 'width="640" height="360"' in figure  # the widest 16:9 rendition: nothing shifts
    assert '<source type="image/webp" srcset="' in figure
    assert 'loading="eager"' in figure
    assert story.lead_image_caption in figure
    assert "Photo: Staff" in figure


def test_body_keeps_its_quotes_and_sub_headings(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<blockquote><p>The mood here is cautious but hopeful.</p></blockquote>" in html
    assert "<h2>Diplomatic momentum</h2>" in html


def test_related_block_puts_editor_picks_first_then_fills_to_four(client, story):
    world = story.section
    war = story.primary_topic
    # Same section and newest, but sharing no topic: loses to the stories on the war.
    now = timezone.now()
    make_article(headline="Unrelated newer story", section=world, published_at=now)
    make_article(
        headline="Older story on the war",
        section=world,
        topics=[war],
        primary_topic=war,
        published_at=now - timedelta(days=3),
    )
    make_article(
        headline="Newer story on the war",
        section=world,
        topics=[war],
        published_at=now - timedelta(days=1),
    )
    html = client.get(story.get_absolute_url()).content.decode()
    block = re.search(r'<section class="related".*?</section>', html, re.S).group(0)
    assert "<h2" in block and "Related Articles" in block
    headlines = re.findall(r'<h3 class="related__headline"><a href="[^"]+">([^<]+)</a>', block)
    assert [unescape(h) for h in headlines] == [
        "Former president diagnosed with cancer | Health News",
        "Court allows end to protected status | Migration News",
        "Newer story on the war",
        "Older story on the war | Russia-Ukraine war News",
    ]
    assert block.count('<p class="related__section">World News</p>') == 4
    excerpts = re.findall(r'<p class="related__excerpt">([^<]+)</p>', block)
    assert len(excerpts) == 4
    # The factories' standfirsts fit on the card's line: shown whole, with no ellipsis.
    assert all(excerpt.startswith("The standfirst of story") for excerpt in excerpts)
    assert not any(excerpt.endswith("…") for excerpt in excerpts)


def test_an_excerpt_cuts_a_long_standfirst_at_a_word_and_says_so():
    standfirst = (
        "Negotiators from both sides met for a third day in Istanbul, where officials said a "
        "prisoner exchange had been agreed."
    )
    excerpt = Article(standfirst=standfirst).excerpt
    assert excerpt.endswith("…")
    assert len(excerpt) <= 101
    kept = excerpt.removesuffix("…")
    assert standfirst.startswith(kept) and standfirst[len(kept)] == " "


def test_an_excerpt_of_a_short_standfirst_is_the_whole_standfirst():
    assert Article(standfirst="Talks resume.").excerpt == "Talks resume."
    # Without a standfirst, the body's text stands in, cut the same way.
    assert Article(standfirst="", body="<p>A short <em>body</em>.</p>").excerpt == "A short body."


def test_outside_related_link_shows_its_own_title_and_host(client, story):
    other = make_article(section=story.section)
    relate(other, urls=[("https://www.who.int/news", "WHO news releases")])
    html = client.get(other.get_absolute_url()).content.decode()
    assert 'href="https://www.who.int/news" rel="noopener">WHO news releases</a>' in html
    assert '<p class="related__section">www.who.int</p>' in html


def test_old_address_redirects_to_the_current_one(client, story):
    wrong = story.get_absolute_url().replace("/world/", f"/{make_section().slug}/")
    response = client.get(wrong)
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_article_address_follows_the_contract(story):
    when = story.published_at
    assert story.get_absolute_url() == (f"/world/{when.year}/{when.month}/{when.day}/{story.slug}/")


def test_related_block_falls_back_to_the_section_when_no_topic_is_shared(client):
    section = make_section()
    lonely = make_article(section=section)
    neighbour = make_article(headline="Neighbour in the same section", section=section)
    make_article(headline="Story in another section")
    html = client.get(lonely.get_absolute_url()).content.decode()
    assert neighbour.headline in html
    assert "Story in another section" not in html


def test_unknown_address_gets_the_friendly_404_page(client):
    response = client.get("/no-such-section/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We can’t find that page" in html
    assert 'aria-label="Sections"' in html


def test_server_error_page_is_friendly_and_needs_no_database(rf, django_assert_num_queries):
    from django.views.defaults import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.parametrize("page", ["0", "99", "abc", "-1", "1e3", "１", "", "1" * 400])
def test_bad_page_numbers_are_404_not_errors(client, page):
    section = make_section()
    make_article(section=section)
    assert client.get(section.get_absolute_url(), {"page": page}).status_code == 404


def test_listings_paginate(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    section = make_section()
    for _ in range(5):
        make_article(section=section)
    html = client.get(section.get_absolute_url(), {"page": "2"}).content.decode()
    assert "Page 2 of 3" in html
    assert 'rel="prev" href="?page=1"' in html
    assert 'rel="next" href="?page=3"' in html
    assert html.count('<article class="card">') == 2


def test_topic_with_an_accented_name_has_a_working_page(client):
    topic = make_topic(name="Côte d’Ivoire")
    make_article(headline="Abidjan story", topics=[topic])
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    assert "Abidjan story" in response.content.decode()


def test_a_rare_shared_topic_counts_more_than_a_common_one(client):
    common, rare = make_topic(name="Politics"), make_topic(name="Moldova")
    for _ in range(6):
        make_article(topics=[common])
    story = make_article(topics=[common, rare])
    older_rare = make_article(
        headline="Older story on Moldova",
        topics=[rare],
        published_at=timezone.now() - timedelta(days=30),
    )
    html = client.get(story.get_absolute_url()).content.decode()
    first = re.search(r'<h3 class="related__headline"><a href="[^"]+">([^<|]+)', html).group(1)
    assert first.strip() == older_rare.headline


def test_a_topic_counts_its_stories_as_editors_tag_and_untag_them():
    energy = make_topic(name="Energy")
    first, second = make_article(topics=[energy]), make_article(topics=[energy])
    energy.refresh_from_db()
    assert energy.article_count == 2

    first.topics.remove(energy)
    second.delete()
    energy.refresh_from_db()
    assert energy.article_count == 0


def test_alike_headlines_break_a_tie_between_equal_topics(client):
    topic = make_topic(name="Energy")
    story = make_article(headline="Grid operator explains the nationwide blackout", topics=[topic])
    now = timezone.now()
    unlike = make_article(headline="Fuel prices rise again", topics=[topic], published_at=now)
    alike = make_article(
        headline="What caused the nationwide blackout, explained",
        topics=[topic],
        published_at=now - timedelta(days=10),
    )
    html = client.get(story.get_absolute_url()).content.decode()
    assert html.index(alike.headline) < html.index(unlike.headline)


def _dates(response):
    html = response.content.decode()
    return unescape(re.sub(r"<[^>]+>", "", re.search(r'<p class="story__date">.*?</p>', html)[0]))


def test_a_story_changed_after_publication_says_when_it_was_updated(client, story):
    assert "Updated" not in _dates(client.get(story.get_absolute_url()))
    later = story.published_at + timedelta(hours=2)
    Article.objects.filter(pk=story.pk).update(created_at=story.published_at, updated_at=later)
    dates = _dates(client.get(story.get_absolute_url()))
    local = timezone.localtime(later)
    assert dates.startswith("Published ")
    assert f"Updated {local:%-d %b %Y, %H:%M}" in dates
    html = client.get(story.get_absolute_url()).content.decode()
    machine = re.search(r'class="story__updated">Updated <time datetime="([^"]+)"', html)[1]
    assert datetime.fromisoformat(machine) == later.replace(microsecond=0)


def test_a_fix_within_a_minute_of_publishing_is_not_an_update(client, story):
    soon = story.published_at + timedelta(seconds=50)
    Article.objects.filter(pk=story.pk).update(created_at=story.published_at, updated_at=soon)
    assert "Updated" not in _dates(client.get(story.get_absolute_url()))


def test_a_story_entered_after_its_publication_time_is_not_shown_as_updated(client, story):
    # The factory backdates publication by an hour: entering an archive story is not an update.
    assert story.created_at - story.published_at > timedelta(minutes=30)
    assert "Updated" not in _dates(client.get(story.get_absolute_url()))
