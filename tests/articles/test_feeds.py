"""RSS and Atom feeds: what they list, what each item says, and what they cost."""

import calendar
import re
from datetime import timedelta

import feedparser
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_draft,
    make_image,
    make_scheduled,
    make_section,
    make_topic,
)
from tests.query_budgets import READERS

pytestmark = pytest.mark.django_db

FEED_NAMES = ["feed", "feed_atom"]
VERSIONS = {"feed": "rss20", "feed_atom": "atom10"}


def _fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return feedparser.parse(response.content)


def _feed(client, name, *args):
    return _fetch(client, reverse(f"articles:{name}", args=args))


def _timestamp(value):
    return calendar.timegm(value.utctimetuple())


@pytest.mark.parametrize("name", FEED_NAMES)
def test_site_feed_lists_published_articles_newest_first(client, name):
    older = make_article()
    newer = make_article()  # factories make each later article an older story
    make_draft()
    make_scheduled()
    feed = _feed(client, name)
    assert feed.version == VERSIONS[name]
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.title for entry in feed.entries] == [older.headline, newer.headline]
    assert feed.feed.title == "Newsroom: latest news"


@pytest.mark.parametrize("name", FEED_NAMES)
def test_site_feed_keeps_the_newest_thirty(client, name):
    articles = [make_article() for _ in range(32)]
    feed = _feed(client, name)
    assert [entry.title for entry in feed.entries] == [a.headline for a in articles[:30]]


@pytest.mark.parametrize("name", FEED_NAMES)
def test_entry_carries_the_article(client, settings, name):
    settings.NEWSROOM_BASE_URL = "https://news.example.com"
    authors = [make_author(name="Ada Lovelace"), make_author(name="Alan Turing")]
    topics = [make_topic(name="Climate"), make_topic(name="Energy")]
    article = make_article(authors=authors, topics=topics, image=True)
    article.refresh_from_db()
    (entry,) = _feed(client, name).entries

    assert entry.title == article.headline
    assert entry.link == f"http://testserver{article.get_absolute_url()}"
    assert entry.summary == article.standfirst
    assert sorted(tag.term for tag in entry.tags) == ["Climate", "Energy"]
    assert _timestamp(article.published_at) == calendar.timegm(entry.published_parsed)
    assert _timestamp(article.updated_at) == calendar.timegm(entry.updated_parsed)
    day = f"{article.published_at:%Y-%m-%d}"
    assert entry.id == f"tag:news.example.com,{day}:article-{article.pk}"

    (enclosure,) = entry.enclosures
    (widest,) = [r for r in article.lead_image.renditions_for(None) if r.width == 640]
    assert enclosure.href == f"http://testserver{widest.url}"
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == widest.file_size


def test_rss_entry_names_every_author(client):
    authors = [make_author(name="Ada Lovelace"), make_author(name="Alan Turing")]
    make_article(authors=authors)
    (entry,) = _feed(client, "feed").entries
    assert entry.author == "Ada Lovelace, Alan Turing"


def test_atom_entry_has_one_author_element_per_byline(client):
    authors = [make_author(name="Ada Lovelace"), make_author(name="Alan Turing")]
    make_article(authors=authors)
    (entry,) = _feed(client, "feed_atom").entries
    assert [author.name for author in entry.authors] == ["Ada Lovelace", "Alan Turing"]


@pytest.mark.parametrize("name", FEED_NAMES)
def test_entry_without_authors_or_image_has_neither(client, name):
    make_article()
    (entry,) = _feed(client, name).entries
    assert "author" not in entry
    assert entry.enclosures == []


@pytest.mark.parametrize("name", FEED_NAMES)
def test_the_enclosure_length_asks_nothing_of_the_storage(client, monkeypatch, name):
    # In object storage each question would be a request, for every story in the feed.
    article = make_article(image=True)
    widest = article.lead_image.renditions.get(spec="w640", format="jpeg")
    storage = type(default_storage._wrapped)
    for method in ("size", "exists", "open"):
        monkeypatch.setattr(storage, method, _storage_asked)
    (entry,) = _feed(client, name).entries
    (enclosure,) = entry.enclosures
    assert int(enclosure.length) == widest.file_size > 0


@pytest.mark.parametrize("name", FEED_NAMES)
def test_before_its_renditions_the_original_is_enclosed(client, name):
    image = make_image(size=(640, 360), renditions=False)
    make_article(lead_image=image)
    (entry,) = _feed(client, name).entries
    (enclosure,) = entry.enclosures
    assert enclosure.href == f"http://testserver{image.file.url}"
    assert int(enclosure.length) == image.file.size == image.file_size


def _storage_asked(*args, **kwargs):
    raise AssertionError("the feed asked the storage about a file")


@pytest.mark.parametrize("name", FEED_NAMES)
def test_guid_survives_a_new_slug_and_section(client, name):
    article = make_article()
    (before,) = _feed(client, name).entries
    article.slug = "a-new-slug"
    article.section = make_section()
    article.headline = "A new headline"
    article.save()
    (after,) = _feed(client, name).entries
    assert after.id == before.id
    assert after.link != before.link


@pytest.mark.parametrize("name", ["section_feed", "section_feed_atom"])
def test_section_feed_lists_only_that_sections_published_articles(client, name):
    section = make_section(name="World News")
    mine = [make_article(section=section), make_article(section=section)]
    make_article()
    make_draft(section=section)
    make_scheduled(section=section)
    feed = _feed(client, name, section.slug)
    assert feed.version == VERSIONS[name.removeprefix("section_")]
    assert feed.feed.title == "Newsroom: World News"
    assert [entry.title for entry in feed.entries] == [a.headline for a in mine]


@pytest.mark.parametrize("name", ["topic_feed", "topic_feed_atom"])
def test_topic_feed_lists_only_that_topics_published_articles(client, name):
    topic = make_topic(name="Climate")
    mine = [make_article(topics=[topic]), make_article(topics=[topic, make_topic()])]
    make_article(topics=[make_topic()])
    make_draft(topics=[topic])
    make_scheduled(topics=[topic])
    feed = _feed(client, name, topic.slug)
    assert feed.version == VERSIONS[name.removeprefix("topic_")]
    assert feed.feed.title == "Newsroom: Climate News"
    assert [entry.title for entry in feed.entries] == [a.headline for a in mine]


@pytest.mark.parametrize("name", ["author_feed", "author_feed_atom"])
def test_author_feed_lists_only_that_authors_published_articles(client, name):
    author = make_author(name="Lena Marsh")
    mine = [make_article(authors=[author]), make_article(authors=[make_author(), author])]
    make_article(authors=[make_author()])
    make_draft(authors=[author])
    make_scheduled(authors=[author])
    make_article(authors=[author], embargo_until=timezone.now() + timedelta(hours=1))
    make_article(authors=[author], expires_at=timezone.now() - timedelta(minutes=1))
    feed = _feed(client, name, author.slug)
    assert feed.version == VERSIONS[name.removeprefix("author_")]
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Newsroom: Lena Marsh"
    assert [entry.title for entry in feed.entries] == [a.headline for a in mine]


@pytest.mark.parametrize("name", ["author_feed", "author_feed_atom"])
def test_author_feed_describes_the_author(client, name):
    author = make_author(name="Lena Marsh", bio="Covers diplomacy from Istanbul.")
    make_article(authors=[author])
    feed = _feed(client, name, author.slug)
    assert feed.feed.link == f"http://testserver{author.get_absolute_url()}"
    assert feed.feed.subtitle == "Covers diplomacy from Istanbul."


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-section/feed/",
        "/no-such-section/feed/atom/",
        "/tag/nothing/feed/",
        "/author/nobody/feed/",
        "/author/nobody/feed/atom/",
    ],
)
def test_unknown_section_topic_or_author_is_404(client, url):
    make_article()
    assert client.get(url).status_code == 404


def test_site_feed_is_not_taken_for_a_section(client):
    make_article()
    assert reverse("articles:feed") == "/feed/"
    assert client.get("/feed/")["Content-Type"].startswith("application/rss+xml")
    assert client.get("/feed/atom/")["Content-Type"].startswith("application/atom+xml")


@pytest.mark.parametrize("name", FEED_NAMES)
def test_reader_emails_never_appear(client, name):
    article = make_article()
    make_comment(article=article, email="reader-secret@example.org")
    content = client.get(reverse(f"articles:{name}")).content.decode()
    assert "@example.org" not in content


@pytest.mark.parametrize("name", ["author_feed", "author_feed_atom"])
def test_reader_emails_never_appear_in_author_feeds(client, name):
    author = make_author()
    article = make_article(authors=[author])
    make_comment(article=article, email="reader-secret@example.org")
    content = client.get(reverse(f"articles:{name}", args=[author.slug])).content.decode()
    assert "reader-secret" not in content


ALTERNATE = re.compile(r'<link rel="alternate" type="([^"]+)" title="[^"]+" href="([^"]+)"')


def _alternates(html):
    return set(ALTERNATE.findall(html))


def test_front_page_links_the_site_feeds(client):
    make_article()
    assert _alternates(client.get("/").content.decode()) == {
        ("application/rss+xml", "/feed/"),
        ("application/atom+xml", "/feed/atom/"),
    }


def test_section_page_links_its_feeds(client):
    section = make_section(slug="world")
    make_article(section=section)
    assert _alternates(client.get("/world/").content.decode()) == {
        ("application/rss+xml", "/world/feed/"),
        ("application/atom+xml", "/world/feed/atom/"),
    }


def test_topic_page_links_its_feeds(client):
    topic = make_topic(name="Climate", slug="climate")
    make_article(topics=[topic])
    assert _alternates(client.get("/tag/climate/").content.decode()) == {
        ("application/rss+xml", "/tag/climate/feed/"),
        ("application/atom+xml", "/tag/climate/feed/atom/"),
    }


def test_author_page_links_its_feeds(client):
    author = make_author(slug="lena-marsh")
    make_article(authors=[author])
    assert _alternates(client.get("/author/lena-marsh/").content.decode()) == {
        ("application/rss+xml", "/author/lena-marsh/feed/"),
        ("application/atom+xml", "/author/lena-marsh/feed/atom/"),
    }


def test_article_page_links_the_site_feeds(client):
    article = make_article()
    assert _alternates(client.get(article.get_absolute_url()).content.decode()) == {
        ("application/rss+xml", "/feed/"),
        ("application/atom+xml", "/feed/atom/"),
    }


# The site feed: articles, bylines, topics. Section, topic and author feeds look up their
# subject first.
FEEDS = {
    "feed": "feed",
    "section_feed": "section feed",
    "topic_feed": "topic feed",
    "author_feed": "author feed",
}


def _build(scale):
    section = make_section()
    topic = make_topic()
    topics = [topic, make_topic(), make_topic()]
    authors = [make_author() for _ in range(3)]
    for _ in range(scale):
        make_article(section=section, topics=topics, authors=authors, image=True)
    return {
        "feed": (),
        "section_feed": (section.slug,),
        "topic_feed": (topic.slug,),
        "author_feed": (authors[0].slug,),
    }


@pytest.mark.parametrize("scale", [5, 30])
@pytest.mark.parametrize("atom", [False, True])
@pytest.mark.parametrize("name", list(FEEDS))
def test_each_feed_runs_its_number_of_queries_however_many_items(
    client, django_assert_num_queries, name, atom, scale
):
    args = _build(scale=scale)[name]
    url = reverse(f"articles:{name}{'_atom' if atom else ''}", args=args)
    with django_assert_num_queries(READERS[FEEDS[name]]):
        assert client.get(url).status_code == 200
