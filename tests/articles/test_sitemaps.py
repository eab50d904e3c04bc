from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import etree

from tests.factories import (
    make_article,
    make_author,
    make_draft,
    make_scheduled,
    make_section,
    make_topic,
)
from tests.query_budgets import READERS

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"sm": SITEMAP_NS, "news": NEWS_NS}
BASE = "http://testserver"


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def locations(root):
    return root.xpath("//sm:loc/text()", namespaces=NS)


def absolute(obj):
    return BASE + obj.get_absolute_url()


@pytest.mark.django_db
def test_index_lists_every_sitemap(client):
    make_article()
    root = parse(client.get("/sitemap.xml"))
    assert root.tag == f"{{{SITEMAP_NS}}}sitemapindex"
    assert locations(root) == [
        f"{BASE}/sitemap-articles.xml",
        f"{BASE}/sitemap-sections.xml",
        f"{BASE}/sitemap-topics.xml",
        f"{BASE}/sitemap-authors.xml",
        f"{BASE}/sitemap-news.xml",
    ]


@pytest.mark.django_db
def test_index_links_resolve(client):
    article = make_article(authors=[make_author()], topics=[make_topic()])
    listed = {
        url: locations(parse(client.get(url.removeprefix(BASE))))
        for url in locations(parse(client.get("/sitemap.xml")))
    }
    # Each sitemap the index names is one, and lists what it is for.
    assert listed == {
        f"{BASE}/sitemap-articles.xml": [absolute(article)],
        f"{BASE}/sitemap-sections.xml": [absolute(article.section)],
        f"{BASE}/sitemap-topics.xml": [absolute(article.topics.get())],
        f"{BASE}/sitemap-authors.xml": [absolute(article.authors.get())],
        f"{BASE}/sitemap-news.xml": [absolute(article)],
    }


@pytest.mark.django_db
def test_article_sitemap_lists_only_published_articles_newest_first(client):
    older = make_article(published_at=timezone.now() - timedelta(days=30))
    newer = make_article(published_at=timezone.now() - timedelta(minutes=5))
    make_draft()
    make_scheduled()
    root = parse(client.get("/sitemap-articles.xml"))
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    assert locations(root) == [absolute(newer), absolute(older)]


@pytest.mark.django_db
def test_article_sitemap_gives_lastmod_from_updated_at(client):
    article = make_article()
    root = parse(client.get("/sitemap-articles.xml"))
    (lastmod,) = root.xpath("//sm:url/sm:lastmod/text()", namespaces=NS)
    assert lastmod == timezone.localtime(article.updated_at).date().isoformat()


@pytest.mark.django_db
def test_section_sitemap_lists_sections(client):
    news, sport = make_section(), make_section()
    root = parse(client.get("/sitemap-sections.xml"))
    assert set(locations(root)) == {absolute(news), absolute(sport)}


@pytest.mark.django_db
def test_topic_sitemap_lists_only_topics_with_a_published_article(client):
    make_topic()  # no articles at all
    live, draft_only, scheduled_only = (make_topic() for _ in range(3))
    article = make_article(topics=[live])
    make_draft(topics=[draft_only])
    make_scheduled(topics=[scheduled_only])
    root = parse(client.get("/sitemap-topics.xml"))
    assert locations(root) == [absolute(live)]
    (lastmod,) = root.xpath("//sm:url/sm:lastmod/text()", namespaces=NS)
    assert lastmod == timezone.localtime(article.published_at).date().isoformat()


@pytest.mark.django_db
def test_author_sitemap_lists_only_authors_with_a_published_article(client):
    make_author()  # no articles at all
    writer, drafting, scheduled = (make_author() for _ in range(3))
    make_article(authors=[writer])
    make_draft(authors=[drafting])
    make_scheduled(authors=[scheduled])
    root = parse(client.get("/sitemap-authors.xml"))
    assert locations(root) == [absolute(writer)]


@pytest.mark.django_db
def test_news_sitemap_lists_only_the_last_two_days(client):
    recent = make_article(published_at=timezone.now() - timedelta(hours=1))
    make_article(published_at=timezone.now() - timedelta(days=3))
    make_draft()
    make_scheduled()
    root = parse(client.get("/sitemap-news.xml"))
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    assert locations(root) == [absolute(recent)]


@pytest.mark.django_db
def test_news_sitemap_gives_google_news_fields(client, settings):
    settings.NEWSROOM_SITE_NAME = "The Daily Test"
    published_at = timezone.now() - timedelta(hours=1)
    make_article(headline="Floods & storms: <update> on “Lisa’s” coast", published_at=published_at)
    root = parse(client.get("/sitemap-news.xml"))
    (news,) = root.xpath("//sm:url/news:news", namespaces=NS)
    assert news.xpath("news:publication/news:name/text()", namespaces=NS) == ["The Daily Test"]
    assert news.xpath("news:publication/news:language/text()", namespaces=NS) == ["en"]
    assert news.xpath("news:title/text()", namespaces=NS) == [
        "Floods & storms: <update> on “Lisa’s” coast"
    ]
    (date,) = news.xpath("news:publication_date/text()", namespaces=NS)
    assert date == timezone.localtime(published_at).isoformat(timespec="seconds")


@pytest.mark.django_db
def test_news_sitemap_escapes_the_title_in_the_raw_xml(client):
    make_article(headline="Cats & dogs <script>")
    assert b"Cats &amp; dogs &lt;script&gt;" in client.get("/sitemap-news.xml").content


@pytest.mark.django_db
def test_news_sitemap_caps_at_one_thousand(client, monkeypatch):
    monkeypatch.setattr("articles.sitemaps.NEWS_LIMIT", 2)
    monkeypatch.setattr("articles.sitemaps.NewsSitemap.limit", 2)
    section = make_section()
    for _ in range(3):
        make_article(section=section)
    assert len(locations(parse(client.get("/sitemap-news.xml")))) == 2


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for rule in ("Disallow: /admin/", "Disallow: /search/", "Disallow: /comments/"):
        assert rule in lines
    assert [line for line in lines if line.startswith("Sitemap:")] == [
        f"Sitemap: {BASE}/sitemap.xml",
        f"Sitemap: {BASE}/sitemap-news.xml",
    ]


def test_robots_txt_follows_the_request_scheme_and_host(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.org"]
    text = client.get("/robots.txt", secure=True, HTTP_HOST="news.example.org").content.decode()
    assert "Sitemap: https://news.example.org/sitemap.xml" in text.splitlines()


def _make_site(n):
    sections = [make_section() for _ in range(3)]
    topics = [make_topic() for _ in range(3)]
    authors = [make_author() for _ in range(3)]
    for i in range(n):
        make_article(
            section=sections[i % 3],
            topics=[topics[i % 3]],
            authors=[authors[i % 3]],
            published_at=timezone.now() - timedelta(hours=i + 1),
        )


# The index asks each of its five sitemaps for a lastmod and a page count; each sitemap page
# counts its rows and loads one page of them.
@pytest.mark.django_db
@pytest.mark.parametrize("n", [5, 40])
@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/sitemap.xml", "sitemap index"),
        ("/sitemap-articles.xml", "sitemap"),
        ("/sitemap-sections.xml", "sitemap"),
        ("/sitemap-topics.xml", "sitemap"),
        ("/sitemap-authors.xml", "sitemap"),
        ("/sitemap-news.xml", "sitemap"),
    ],
)
def test_sitemap_query_count_is_constant(client, django_assert_num_queries, url, budget, n):
    _make_site(n)
    with django_assert_num_queries(READERS[budget]):
        assert client.get(url).status_code == 200
