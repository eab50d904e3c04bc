"""Canonical links, Open Graph and Twitter tags, and JSON-LD on the public pages."""

import io
import json
import re
from datetime import datetime

import lxml.html
import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from PIL import Image

from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_draft,
    make_image,
    make_section,
    make_topic,
    make_user,
)
from tests.query_budgets import READERS

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


def _tree(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def _meta(tree):
    """Return {property or name: [content, ...]} for the page's meta tags."""
    found = {}
    for element in tree.xpath("//head/meta[@property or @name]"):
        key = element.get("property") or element.get("name")
        found.setdefault(key, []).append(element.get("content"))
    return found


def _canonical(tree):
    links = tree.xpath('//head/link[@rel="canonical"]/@href')
    assert len(links) == 1
    return links[0]


def _json_ld(tree):
    return {
        data["@type"]: data
        for data in (
            json.loads(script.text)
            for script in tree.xpath('//script[@type="application/ld+json"]')
        )
    }


@pytest.fixture
def story():
    section = make_section(name="World")
    first, second = make_author(name="Ana Ruiz"), make_author(name="Ben Okafor")
    war, trade = make_topic(name="War"), make_topic(name="Trade")
    return make_article(
        section=section,
        authors=[second, first],  # byline order, not alphabetical
        topics=[war, trade],
        primary_topic=war,
        # Wider than 1200 px and not 16:9, so every shape below is a real crop.
        lead_image=make_image(size=(1500, 1000), alt_text="Delegates at the table"),
        headline="Talks resume in Geneva",
        standfirst="Both sides agree to meet again.",
    )


def test_article_json_ld_describes_the_article(client, settings, story):
    tree = _tree(client.get(story.get_absolute_url()))
    data = _json_ld(tree)["NewsArticle"]
    canonical = BASE + story.get_absolute_url()
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Talks resume in Geneva"
    assert data["description"] == "Both sides agree to meet again."
    image = story.lead_image
    assert data["image"] == [
        BASE + image.social_rendition().url,
        BASE + image.renditions_for("16:9")[-1].url,
        BASE + image.renditions_for(None)[-1].url,
    ]
    assert datetime.fromisoformat(data["datePublished"]) == story.published_at
    assert datetime.fromisoformat(data["dateModified"]) == story.updated_at
    assert data["author"] == [
        {"@type": "Person", "name": author.name, "url": BASE + author.get_absolute_url()}
        for author in story.byline
    ]
    assert [author["name"] for author in data["author"]] == ["Ben Okafor", "Ana Ruiz"]
    assert data["publisher"] == {
        "@type": "Organization",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": BASE + "/",
        "logo": {"@type": "ImageObject", "url": BASE + "/static/img/logo.png"},
    }
    assert data["articleSection"] == "World"
    assert data["keywords"] == ["War", "Trade"]  # the primary topic first
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": canonical}
    assert _canonical(tree) == canonical
    assert data["inLanguage"] == settings.LANGUAGE_CODE


def test_article_breadcrumbs_go_home_section_article(client, settings, story):
    data = _json_ld(_tree(client.get(story.get_absolute_url())))["BreadcrumbList"]
    assert data["itemListElement"] == [
        {
            "@type": "ListItem",
            "position": 1,
            "name": settings.NEWSROOM_SITE_NAME,
            "item": BASE + "/",
        },
        {
            "@type": "ListItem",
            "position": 2,
            "name": "World",
            "item": BASE + story.section.get_absolute_url(),
        },
        {
            "@type": "ListItem",
            "position": 3,
            "name": story.headline,
            "item": BASE + story.get_absolute_url(),
        },
    ]


def test_article_open_graph_and_twitter_tags(client, settings, story):
    meta = _meta(_tree(client.get(story.get_absolute_url())))
    assert meta["og:site_name"] == [settings.NEWSROOM_SITE_NAME]
    assert meta["og:type"] == ["article"]
    assert meta["og:title"] == [story.headline]
    assert meta["og:description"] == [story.standfirst]
    assert meta["og:url"] == [BASE + story.get_absolute_url()]
    assert meta["og:image"] == [BASE + story.lead_image.social_rendition().url]
    assert meta["og:image:width"] == ["1200"]
    assert meta["og:image:height"] == ["630"]
    assert meta["og:image:alt"] == ["Delegates at the table"]
    assert datetime.fromisoformat(meta["article:published_time"][0]) == story.published_at
    assert datetime.fromisoformat(meta["article:modified_time"][0]) == story.updated_at
    assert meta["article:section"] == ["World"]
    assert sorted(meta["article:tag"]) == ["Trade", "War"]
    assert meta["twitter:card"] == ["summary_large_image"]
    assert meta["description"] == [story.standfirst]


def test_article_without_a_lead_image_shares_the_sites_default_picture(client, settings):
    article = make_article()
    tree = _tree(client.get(article.get_absolute_url()))
    meta = _meta(tree)
    default = BASE + "/static/img/social-default.png"
    assert meta["og:image"] == [default]
    assert meta["og:image:width"] == ["1200"]
    assert meta["og:image:height"] == ["630"]
    assert meta["og:image:alt"] == [settings.NEWSROOM_SITE_NAME]
    assert meta["twitter:card"] == ["summary_large_image"]
    assert _json_ld(tree)["NewsArticle"]["image"] == [default]
    # The file is there, and as wide as social networks ask.
    assert client.get("/static/img/social-default.png").status_code == 200
    with Image.open(settings.BASE_DIR / "static" / "img" / "social-default.png") as picture:
        assert picture.size == (1200, 630)


def test_the_default_social_picture_may_live_elsewhere(client, settings):
    settings.NEWSROOM_DEFAULT_SOCIAL_IMAGE = {
        "url": "https://cdn.example.org/share.png",
        "width": 1600,
        "height": 840,
    }
    tree = _tree(client.get(make_article().get_absolute_url()))
    assert _meta(tree)["og:image"] == ["https://cdn.example.org/share.png"]
    assert _meta(tree)["og:image:width"] == ["1600"]
    assert _json_ld(tree)["NewsArticle"]["image"] == ["https://cdn.example.org/share.png"]


def test_a_story_without_a_byline_is_the_publishers_in_json_ld(client, settings):
    article = make_article()
    assert not article.bylines.exists()
    data = _json_ld(_tree(client.get(article.get_absolute_url())))["NewsArticle"]
    assert data["author"] == [data["publisher"]]
    assert data["author"][0]["@type"] == "Organization"
    assert data["author"][0]["name"] == settings.NEWSROOM_SITE_NAME


def test_draw_social_image_draws_the_sites_name_at_the_size_networks_want(tmp_path):
    output = tmp_path / "share.png"
    call_command("draw_social_image", str(output), "--name", "Gazeta Nouă", stdout=io.StringIO())
    with Image.open(output) as picture:
        assert picture.size == (1200, 630)
        # Not a blank rectangle: the name is drawn in white on the brand colour.
        colours = {colour for _, colour in picture.getcolors(maxcolors=100_000)}
        assert (255, 255, 255) in colours and (11, 61, 92) in colours


def test_article_canonical_drops_the_query_string(client, story):
    tree = _tree(client.get(story.get_absolute_url() + "?utm_source=x&cpage=1"))
    assert _canonical(tree) == BASE + story.get_absolute_url()


def test_headline_cannot_break_out_of_the_json_ld_script(client):
    headline = "Oops </script><script>alert(1)</script> & <!-- more"
    article = make_article(headline=headline)
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert "<script>alert" not in html
    assert _json_ld(_tree(response))["NewsArticle"]["headline"] == headline


def test_editor_preview_of_a_draft_keeps_noindex(client):
    editor = make_user(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(editor)
    draft = make_draft()
    tree = _tree(client.get(draft.get_absolute_url()))
    assert _meta(tree)["robots"] == ["noindex, nofollow"]
    assert "datePublished" not in _json_ld(tree)["NewsArticle"]


def test_metadata_adds_no_queries_to_the_article_page(client, django_assert_num_queries):
    topics = [make_topic() for _ in range(5)]
    story = make_article(
        topics=topics,
        authors=[make_author() for _ in range(3)],
        primary_topic=topics[2],
        image=True,
    )
    make_comment(article=story)
    with django_assert_num_queries(READERS["article"]):
        assert client.get(story.get_absolute_url()).status_code == 200


def test_front_page_has_website_with_search_action(client, settings):
    make_article()
    tree = _tree(client.get("/?utm_source=x"))
    assert _canonical(tree) == BASE + "/"
    data = _json_ld(tree)["WebSite"]
    assert data["name"] == settings.NEWSROOM_SITE_NAME
    assert data["url"] == BASE + "/"
    assert data["potentialAction"] == {
        "@type": "SearchAction",
        "target": {
            "@type": "EntryPoint",
            "urlTemplate": BASE + "/search/?q={search_term_string}",
        },
        "query-input": "required name=search_term_string",
    }
    meta = _meta(tree)
    assert meta["og:type"] == ["website"]
    assert meta["og:title"] == [settings.NEWSROOM_SITE_NAME]
    assert meta["og:url"] == [BASE + "/"]
    assert meta["twitter:card"] == ["summary"]


def test_section_canonical_keeps_only_later_page_numbers(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    section = make_section(name="Sport", description="Games and results.")
    for _ in range(3):
        make_article(section=section)
    url = BASE + section.get_absolute_url()
    first = _tree(client.get(section.get_absolute_url() + "?page=1&utm_source=x"))
    assert _canonical(first) == url
    second = _tree(client.get(section.get_absolute_url() + "?page=2&utm_source=x"))
    assert _canonical(second) == url + "?page=2"
    meta = _meta(second)
    assert meta["og:url"] == [url + "?page=2"]
    assert meta["og:title"] == ["Sport"]
    assert meta["og:description"] == ["Games and results."]
    assert meta["og:type"] == ["website"]


def test_topic_page_canonical_and_open_graph(client):
    topic = make_topic(name="Climate")
    make_article(topics=[topic])
    tree = _tree(client.get(topic.get_absolute_url() + "?ref=home"))
    assert _canonical(tree) == BASE + topic.get_absolute_url()
    assert _meta(tree)["og:title"] == ["Climate News"]


def test_author_page_canonical_and_open_graph(client):
    author = make_author(name="Ana Ruiz", bio="Covers Spain.")
    make_article(authors=[author])
    tree = _tree(client.get(author.get_absolute_url()))
    assert _canonical(tree) == BASE + author.get_absolute_url()
    meta = _meta(tree)
    assert meta["og:title"] == ["Ana Ruiz"]
    assert meta["og:description"] == ["Covers Spain."]
    assert meta["twitter:card"] == ["summary"]


def test_logo_is_the_brand_banner():
    from django.conf import settings
    from PIL import Image

    with Image.open(settings.BASE_DIR / "static" / "img" / "logo.png") as logo:
        assert logo.size == (600, 60)
        assert logo.convert("RGB").getpixel((2, 2)) == (0x0B, 0x3D, 0x5C)


def test_json_ld_escapes_markup_characters():
    from django.template import engines

    html = engines["jinja2"].from_string("{{ json_ld(data) }}").render({"data": {"x": "<b>&</b>"}})
    assert re.fullmatch(r'<script type="application/ld\+json">[^<>&]*</script>', html)
    assert json.loads(html.split(">", 1)[1].rsplit("<", 1)[0]) == {"x": "<b>&</b>"}
