"""The reference story as a feed reader, a news crawler and a search engine see it.

The demo content is dated May 2025 and the news sitemap keeps only two days, so the clock is set
to three hours after the story went out, and the demo content is loaded at that time, as if the
site had been running then. Every expectation comes from the story's own TOML file.
"""

import calendar
import json
import sys
import tomllib
from datetime import datetime, timedelta
from io import BytesIO, StringIO
from unittest.mock import patch
from urllib.parse import urlsplit

import feedparser
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import include, path
from django.utils import timezone
from django.views.static import serve
from lxml import etree
from lxml import html as lxml_html
from PIL import Image as PillowImage

from articles.feeds import ITEMS_PER_FEED
from articles.models import Article, Author, Section
from articles.sitemaps import NEWS_WINDOW

pytestmark = pytest.mark.django_db

SEEDS = settings.BASE_DIR / "seeds"
BASE = "http://testserver"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"sm": SITEMAP_NS, "news": NEWS_NS}


def _toml(name):
    with (SEEDS / name).open("rb") as f:
        return tomllib.load(f)


STORY = _toml("articles/01-trump-putin-agree-ukraine-ceasefire-talks.toml")
STORIES = [_toml(p.relative_to(SEEDS)) for p in sorted((SEEDS / "articles").glob("*.toml"))]
AUTHOR_NAMES = {entry["slug"]: entry["name"] for entry in _toml("authors.toml")["author"]}
SECTION_NAMES = {entry["slug"]: entry["name"] for entry in _toml("sections.toml")["section"]}
CLOCK = STORY["published_at"] + timedelta(hours=3)
REAL_NOW = timezone.now


def _serve_media(request, path):
    # What the web server does in production; the project routes media only when DEBUG is on.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    path(settings.MEDIA_URL.strip("/") + "/<path:path>", _serve_media),
    path("", include(settings.ROOT_URLCONF)),
]


@pytest.fixture(autouse=True)
def site(settings):
    """Load the demo content with the clock three hours after the story's publication."""
    with patch("django.utils.timezone.now", return_value=CLOCK):
        call_command("seed", stdout=StringIO())
        settings.ROOT_URLCONF = __name__
        yield


def _published_by_clock(since=None):
    """Return the slugs of the published TOML stories readers see at CLOCK, newest first."""
    entries = [
        entry
        for entry in STORIES
        if entry.get("status") == "published"
        and "published_at" in entry
        and entry["published_at"] <= CLOCK
        and (since is None or entry["published_at"] >= since)
    ]
    return [
        entry["slug"] for entry in sorted(entries, key=lambda e: e["published_at"], reverse=True)
    ]


def _story_url():
    return BASE + Article.objects.get(slug=STORY["slug"]).get_absolute_url()


def _url(slug):
    return BASE + Article.objects.get(slug=slug).get_absolute_url()


def _fetch(client, url):
    assert url.startswith(BASE + "/"), url
    response = client.get(url.removeprefix(BASE))
    assert response.status_code == 200, url
    return response


def _image_size(client, url):
    """Return the width and height of the picture an absolute URL on our host serves."""
    with PillowImage.open(BytesIO(_fetch(client, url).getvalue())) as picture:
        return picture.size


def _when(value):
    return datetime.fromisoformat(value)


# The site feed


def test_feed_validates_and_lists_what_readers_see_at_that_time(client):
    feed = feedparser.parse(_fetch(client, f"{BASE}/feed/").content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    expected = _published_by_clock()[:ITEMS_PER_FEED]
    assert [entry.link for entry in feed.entries] == [_url(slug) for slug in expected]


def test_feed_entry_describes_the_story(client):
    feed = feedparser.parse(_fetch(client, f"{BASE}/feed/").content)
    (entry,) = [entry for entry in feed.entries if entry.link == _story_url()]
    assert entry.title == STORY["headline"]
    assert entry.summary == STORY["standfirst"]
    names = [AUTHOR_NAMES[slug] for slug in STORY["authors"]]
    assert entry.author == ", ".join(names)
    assert sorted(tag.term for tag in entry.tags) == sorted(STORY["topics"])
    assert calendar.timegm(entry.published_parsed) == STORY["published_at"].timestamp()

    # A tag URI on the configured host and the article's key: the same from any address.
    article = Article.objects.get(slug=STORY["slug"])
    host = urlsplit(settings.NEWSROOM_BASE_URL).hostname
    assert entry.id == f"tag:{host},{STORY['published_at']:%Y-%m-%d}:article-{article.pk}"
    assert entry.guidislink is False

    (enclosure,) = entry.enclosures
    assert enclosure.type.startswith("image/")
    assert int(enclosure.length) > 0
    assert enclosure.href.startswith(BASE + "/")
    assert len(_fetch(client, enclosure.href).getvalue()) == int(enclosure.length)


def test_feed_guid_does_not_follow_the_request_host(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example.org"]
    ids = [
        next(e.id for e in feedparser.parse(response.content).entries if STORY["slug"] in e.link)
        for response in (
            client.get("/feed/"),
            client.get("/feed/", HTTP_HOST="mirror.example.org", secure=True),
        )
    ]
    assert ids[0] == ids[1]


# The news sitemap


def test_news_sitemap_lists_the_last_two_days_and_the_story(client):
    response = _fetch(client, f"{BASE}/sitemap-news.xml")
    assert response["Content-Type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    assert root.nsmap.get("news") == NEWS_NS

    recent = _published_by_clock(since=CLOCK - NEWS_WINDOW)
    assert STORY["slug"] in recent
    assert root.xpath("sm:url/sm:loc/text()", namespaces=NS) == [_url(s) for s in recent]
    # The newest story that is older than two days at this clock is left out.
    (older, *_) = (s for s in _published_by_clock() if s not in recent)
    assert _url(older) not in root.xpath("//sm:loc/text()", namespaces=NS)

    (url,) = root.xpath("sm:url[sm:loc = $loc]", loc=_story_url(), namespaces=NS)
    (news,) = url.xpath("news:news", namespaces=NS)
    publication = news.xpath("news:publication", namespaces=NS)[0]
    assert publication.xpath("news:name/text()", namespaces=NS) == [settings.NEWSROOM_SITE_NAME]
    assert publication.xpath("news:language/text()", namespaces=NS) == [
        settings.LANGUAGE_CODE.split("-")[0]
    ]
    (date,) = news.xpath("news:publication_date/text()", namespaces=NS)
    assert _when(date) == STORY["published_at"]
    assert news.xpath("news:title/text()", namespaces=NS) == [STORY["headline"]]


# The article page's JSON-LD


def _page(client):
    tree = lxml_html.fromstring(_fetch(client, _story_url()).content)
    data = {}
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        item = json.loads(script.text)
        data[item["@type"]] = item
    return tree, data


def _meta(tree, name):
    return tree.xpath(f'//meta[@property="{name}"]/@content')


def test_news_article_json_ld_describes_the_story(client):
    tree, data = _page(client)
    article = data["NewsArticle"]
    (canonical,) = tree.xpath('//link[@rel="canonical"]/@href')
    assert canonical == _story_url()
    assert article["@context"] == "https://schema.org"

    assert article["headline"] == STORY["headline"]
    assert tree.xpath("normalize-space(//h1)") == STORY["headline"]
    assert article["description"] == STORY["standfirst"]
    assert tree.xpath('normalize-space(//*[@class="story__standfirst"])') == STORY["standfirst"]

    published = _when(article["datePublished"])
    assert published == STORY["published_at"]
    assert _when(tree.xpath("//article//time/@datetime")[0]) == published
    assert _when(_meta(tree, "article:published_time")[0]) == published
    modified = _when(article["dateModified"])
    assert published <= modified <= CLOCK
    assert _when(_meta(tree, "article:modified_time")[0]) == modified
    # Only the notes dated by the clock are public (the story's own come the next morning).
    public = [n for n in STORY["notes"] if n["published_at"] <= CLOCK]
    assert [c["text"] for c in article.get("correction", [])] == [
        n["text"] for n in public if n["kind"] == "correction"
    ]

    authors = [Author.objects.get(slug=slug) for slug in STORY["authors"]]
    assert article["author"] == [
        {
            "@type": "Person",
            "name": AUTHOR_NAMES[author.slug],
            "url": BASE + author.get_absolute_url(),
        }
        for author in authors
    ]
    assert [BASE + href for href in tree.xpath('//a[@rel="author"]/@href')] == [
        person["url"] for person in article["author"]
    ]
    for person in article["author"]:
        _fetch(client, person["url"])

    publisher = article["publisher"]
    assert publisher["@type"] == "Organization"
    assert publisher["name"] == settings.NEWSROOM_SITE_NAME
    assert publisher["logo"]["@type"] == "ImageObject"
    logo = publisher["logo"]["url"]
    assert logo.startswith(BASE + settings.STATIC_URL)
    assert finders.find(logo.removeprefix(BASE + settings.STATIC_URL))

    section = SECTION_NAMES[STORY["section"]]
    assert article["articleSection"] == section
    assert tree.xpath('normalize-space(//*[@class="story__section"])') == section
    assert article["keywords"][0] == STORY["primary_topic"]
    assert sorted(article["keywords"]) == sorted(STORY["topics"])
    assert sorted(_meta(tree, "article:tag")) == sorted(STORY["topics"])
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": canonical}
    assert article["inLanguage"] == settings.LANGUAGE_CODE


def test_news_article_images_are_ours_and_served(client):
    tree, data = _page(client)
    images = data["NewsArticle"]["image"]
    assert images
    for url in images:
        _image_size(client, url)
    (og_image,) = _meta(tree, "og:image")
    assert og_image in images
    size = _image_size(client, og_image)
    # Whatever size the page claims for its social image (1200×630 once renditions exist).
    claimed = (_meta(tree, "og:image:width"), _meta(tree, "og:image:height"))
    if claimed != ([], []):
        assert size == (int(claimed[0][0]), int(claimed[1][0]))


def test_breadcrumbs_go_home_section_story(client):
    _, data = _page(client)
    crumbs = data["BreadcrumbList"]
    section = Section.objects.get(slug=STORY["section"])
    assert crumbs["@context"] == "https://schema.org"
    assert crumbs["itemListElement"] == [
        {
            "@type": "ListItem",
            "position": 1,
            "name": settings.NEWSROOM_SITE_NAME,
            "item": f"{BASE}/",
        },
        {
            "@type": "ListItem",
            "position": 2,
            "name": SECTION_NAMES[STORY["section"]],
            "item": BASE + section.get_absolute_url(),
        },
        {"@type": "ListItem", "position": 3, "name": STORY["headline"], "item": _story_url()},
    ]
    for crumb in crumbs["itemListElement"]:
        _fetch(client, crumb["item"])


def test_the_clock_reaches_every_module_that_reads_it():
    # The patch replaces the attribute of django.utils.timezone, so it reaches code that calls
    # timezone.now() (or localtime()), but not a module that imported now by name.
    ours = {"articles", "caching", "comments", "demo", "images", "newsroom", "richtext"}
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in ours:
            assert getattr(module, "now", None) is not REAL_NOW, name
    story = Article.objects.get(slug=STORY["slug"])
    assert story.lead_image.created_at == CLOCK
    # The demo dates a story it loads to its publication, as if written then.
    assert story.created_at == story.updated_at == STORY["published_at"]
