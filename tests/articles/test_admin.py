"""Editors write and publish in the admin; moderators cannot touch editorial content."""

import re
from html import unescape

import pytest
from django.urls import reverse

from articles.models import Article, Section
from tests.admin_forms import form_data, form_errors
from tests.factories import (
    make_article,
    make_author,
    make_draft,
    make_image,
    make_section,
    make_topic,
)
from tests.query_budgets import staff

pytestmark = pytest.mark.django_db


def _inline_management(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _article_form(section, **overrides):
    data = {
        "headline": "Parliament passes the budget",
        "slug": "parliament-passes-the-budget",
        "section": str(section.pk),
        "standfirst": "MPs approved the spending plan after a long night.",
        "body": "<p>The vote came shortly after midnight.</p>",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "comments_open": "on",
        "comment_moderation": "site",
        "lead_image": "",
        "lead_image_caption": "",
        **_inline_management("bylines"),
        **_inline_management("related_links"),
        **_inline_management("corrections"),
    }
    data.update(overrides)
    return data


def _messages(response):
    return [
        unescape(m)
        for m in re.findall(
            r'<li class="(?:success|info|warning|error)">(.*?)</li>', response.content.decode()
        )
    ]


def _run_action(client, action, *articles, **extra):
    return client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [a.pk for a in articles], "index": 0, **extra},
        follow=True,
    )


def test_editor_writes_a_draft_then_publishes_it_to_the_front_page(editor_client, client):
    section = make_section(name="Politics", slug="politics")
    author = make_author(name="Ada Byline")
    topic = make_topic(name="Budget")
    add_url = reverse("admin:articles_article_add")
    page = editor_client.get(add_url)
    assert page.status_code == 200
    assert "django_prose_editor/editor.js" in page.content.decode()

    data = _article_form(
        section,
        topics=[str(topic.pk)],
        primary_topic=str(topic.pk),
        **_inline_management("bylines", total=1),
        **{"bylines-0-author": str(author.pk), "bylines-0-position": "1"},
    )
    response = editor_client.post(add_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="parliament-passes-the-budget")
    assert article.status == Article.Status.DRAFT
    assert article.byline == [author]
    assert list(article.topics.all()) == [topic]
    assert "Parliament passes the budget" not in client.get("/").content.decode()

    response = _run_action(editor_client, "publish_selected", article)
    assert "Published 1 article: “Parliament passes the budget”." in _messages(response)
    article.refresh_from_db()
    assert article.is_published()
    client.logout()
    assert "Parliament passes the budget" in client.get("/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_bulk_actions_report_what_they_changed_and_what_they_left(editor_client):
    draft = make_draft(headline="Still a draft")
    live = make_article(headline="Already live")
    response = _run_action(editor_client, "publish_selected", draft, live)
    assert _messages(response) == [
        "Published 1 article: “Still a draft”.",
        "Left 1 article as it was, already published or withdrawn: “Already live”.",
    ]
    response = _run_action(editor_client, "unpublish_selected", draft, live, confirm="yes")
    assert _messages(response) == [
        "Unpublished 2 articles: “Still a draft”, “Already live”.",
    ]
    assert not Article.objects.published().exists()


def test_primary_topic_is_added_to_the_topics(editor_client):
    section, topic = make_section(), make_topic(name="Energy")
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        _article_form(section, primary_topic=str(topic.pk)),
    )
    assert response.status_code == 302
    assert list(Article.objects.get().topics.all()) == [topic]


def test_editor_picks_a_lead_image_from_the_library(editor_client, client):
    image = make_image(size=(900, 600), alt_text="Harbour cranes at dusk", credit="Jo Lens")
    found = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "cranes",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "lead_image",
        },
    ).json()
    assert [result["text"] for result in found["results"]] == ["Harbour cranes at dusk"]

    data = _article_form(make_section(), status="published", lead_image=str(image.pk))
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.lead_image == image
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'alt="Harbour cranes at dusk"' in html
    assert "Jo Lens" in html


def test_changelist_lists_filters_and_searches(editor_client, django_assert_num_queries):
    section = make_section(name="Science")
    topic = make_topic(name="Space")
    authors = [make_author(name="Byline One"), make_author(name="Byline Two")]
    for n in range(12):
        make_article(headline=f"Probe story {n}", section=section, topics=[topic], authors=authors)
    make_draft(headline="Secret probe draft")
    url = reverse("admin:articles_article_changelist")
    with django_assert_num_queries(staff("article list")):
        html = editor_client.get(url).content.decode()
    assert "Byline One, Byline Two" in html
    for query, expected in [
        ("?q=Secret", ["Secret probe draft"]),
        ("?state=draft", ["Secret probe draft"]),
        (f"?section__id__exact={section.pk}&q=%22Probe+story+11%22", ["Probe story 11"]),
        (f"?topics__id__exact={topic.pk}&q=%22Probe+story+3%22", ["Probe story 3"]),
    ]:
        html = editor_client.get(url + query).content.decode()
        found = re.findall(r'<th class="field-headline"><a href="[^"]+">([^<]+)</a>', html)
        assert found == expected, query


def test_topic_autocomplete_answers_editors(editor_client):
    make_topic(name="Climate crisis")
    make_topic(name="Football")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "topics", "term": "clim"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Climate crisis"]


def test_reserved_section_slug_is_refused_with_a_clear_message(editor_client):
    response = editor_client.post(
        reverse("admin:articles_section_add"),
        {"name": "Search", "slug": "search", "description": "", "position": "1"},
    )
    assert response.status_code == 200
    assert "“search” is taken by the site's own /search/ pages" in unescape(
        response.content.decode()
    )
    assert not Section.objects.filter(slug="search").exists()


@pytest.mark.parametrize("slug", ["feed", "tag", "author", "admin", "static", "media", "Search"])
def test_every_reserved_path_is_refused(slug):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="taken by the site's own"):
        Section(name=slug, slug=slug).full_clean()


def _editorial_admin_urls():
    section = make_section()
    author = make_author()
    topic = make_topic()
    article = make_article(section=section)
    urls = []
    for name, obj in [
        ("article", article),
        ("section", section),
        ("author", author),
        ("topic", topic),
    ]:
        urls += [
            reverse(f"admin:articles_{name}_changelist"),
            reverse(f"admin:articles_{name}_add"),
            reverse(f"admin:articles_{name}_change", args=[obj.pk]),
            reverse(f"admin:articles_{name}_delete", args=[obj.pk]),
            reverse(f"admin:articles_{name}_history", args=[obj.pk]),
        ]
    return urls, article


def test_moderator_is_refused_on_every_editorial_admin_page(moderator_client):
    urls, article = _editorial_admin_urls()
    for url in urls:
        assert moderator_client.get(url).status_code == 403, url
    response = moderator_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        _article_form(article.section, headline="Hijacked"),
    )
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).headline != "Hijacked"
    response = moderator_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish_selected", "_selected_action": [article.pk], "index": 0},
    )
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).is_published()
    index = moderator_client.get(reverse("admin:index")).content.decode()
    assert "/admin/articles/" not in index


def test_editor_reaches_every_editorial_admin_page(editor_client):
    urls, _ = _editorial_admin_urls()
    for url in urls:
        assert editor_client.get(url).status_code == 200, url


def test_view_on_site_goes_to_the_article(editor_client):
    article = make_article()
    html = editor_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    link = re.search(r'href="([^"]+)" class="viewsitelink"', html).group(1)
    response = editor_client.get(link)
    assert response.status_code == 302
    assert response["Location"].endswith(article.get_absolute_url())


def test_a_writer_without_the_publish_permission_cannot_publish(client):
    from django.contrib.auth.models import Permission

    from tests.factories import make_user

    writer = make_user(is_staff=True)
    writer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_article", "change_article"])
    )
    client.force_login(writer)
    draft = make_draft()
    page = client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    html = page.content.decode()
    assert '<option value="published"' not in html  # draft and review only
    assert (
        "publish_selected"
        not in client.get(reverse("admin:articles_article_changelist")).content.decode()
    )
    _run_action(client, "publish_selected", draft)
    assert not Article.objects.published().exists()


def test_a_new_story_starts_with_the_signed_in_writers_own_byline(editor, editor_client):
    mine = make_author(name="Ioana Radu", user=editor)
    make_author(name="Someone Else")
    page = editor_client.get(reverse("admin:articles_article_add"))
    data = form_data(page, "article_form")
    assert data["bylines-0-author"] == [str(mine.pk)]
    # Saved as the page was sent, untouched: the byline is the writer's.
    section = make_section()
    data.update(
        {
            key: [value]
            for key, value in _article_form(section).items()
            if not key.startswith(("bylines-", "related_links-", "corrections-"))
        }
    )
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get(slug="parliament-passes-the-budget")
    assert [author.name for author in article.byline] == ["Ioana Radu"]


def test_a_cleared_suggested_byline_is_no_byline(editor, editor_client):
    make_author(name="Ioana Radu", user=editor)
    section = make_section()
    data = form_data(editor_client.get(reverse("admin:articles_article_add")), "article_form")
    data.update(
        {
            key: [value]
            for key, value in _article_form(section).items()
            if not key.startswith(("bylines-", "related_links-", "corrections-"))
        }
    )
    data["bylines-0-author"] = [""]
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, form_errors(response)
    assert not Article.objects.get(slug="parliament-passes-the-budget").bylines.exists()


def test_staff_without_an_author_profile_start_with_an_empty_byline(editor_client):
    data = form_data(editor_client.get(reverse("admin:articles_article_add")), "article_form")
    assert data.get("bylines-0-author", [""]) == [""]
