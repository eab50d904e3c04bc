"""Withdrawing a published article takes it off every public surface at once, with a 410."""

import feedparser
import pytest
from django.urls import reverse

from articles.models import Article
from tests.admin_forms import change_form_data
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_section,
    make_topic,
    make_user,
    relate,
)

pytestmark = pytest.mark.django_db

HEADLINE = "Minister named in leaked court papers"


@pytest.fixture
def story():
    world = make_section(name="World News", slug="world")
    topic = make_topic(name="Courts")
    author = make_author(name="Lena Marsh", slug="lena-marsh")
    article = make_article(
        headline=HEADLINE,
        body="<p>The papers mention a zanzibarite deal.</p>",
        section=world,
        topics=[topic],
        primary_topic=topic,
        authors=[author],
    )
    make_comment(article=article, body="A reader's view on the papers.")
    return article


def _withdraw(client, article, **extra):
    changes = {
        "status": "withdrawn",
        "withdrawn_reason": "Court order of 3 June: the papers are under a reporting restriction.",
        **extra,
    }
    data = change_form_data(client, article, **changes)
    return client.post(reverse("admin:articles_article_change", args=[article.pk]), data)


def test_withdrawing_asks_for_confirmation_first(editor_client, story):
    response = _withdraw(editor_client, story)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This save changes what readers see" in html
    assert "410 Gone" in html
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED


def test_withdrawing_needs_a_reason(editor_client, story):
    response = _withdraw(editor_client, story, withdrawn_reason="  ", confirm="on")
    assert response.status_code == 200
    assert "Say why the article is withdrawn" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED


def test_withdrawn_article_answers_410_and_records_who_and_why(
    editor_client, reader, editor, story
):
    url = story.get_absolute_url()
    response = _withdraw(editor_client, story, confirm="on")
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Article.Status.WITHDRAWN
    assert story.withdrawn_by == editor
    assert story.withdrawn_at is not None
    assert "reporting restriction" in story.withdrawn_reason
    assert story.revisions.first().note == "Withdrawn"

    gone = reader.get(url)
    assert gone.status_code == 410
    html = gone.content.decode()
    assert "This article has been withdrawn" in html
    assert HEADLINE not in html
    assert "reporting restriction" not in html  # the reason stays on record, not on the page
    # Editors get the notice too: a withdrawn story is not a draft to look at on the site.
    assert editor_client.get(url).status_code == 410


def test_withdrawn_article_is_gone_from_every_surface(editor_client, reader, story):
    other = make_article(section=story.section, topics=list(story.topics.all()))
    relate(other, story)
    _withdraw(editor_client, story, confirm="on")

    pages = [
        "/",
        story.section.get_absolute_url(),
        story.primary_topic.get_absolute_url(),
        story.bylines.first().author.get_absolute_url(),
        other.get_absolute_url(),  # its related block
        reverse("articles:search") + "?q=zanzibarite",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
    ]
    for url in pages:
        response = reader.get(url)
        assert response.status_code == 200, url
        assert HEADLINE not in response.content.decode(), url
    feeds = [
        reverse("articles:feed"),
        reverse("articles:section_feed", args=[story.section.slug]),
        reverse("articles:topic_feed", args=[story.primary_topic.slug]),
    ]
    for url in feeds:
        parsed = feedparser.parse(reader.get(url).content)
        assert HEADLINE not in [entry.title for entry in parsed.entries], url


def test_withdrawn_articles_comments_are_hidden_and_closed(editor_client, reader, story):
    comment = story.comments.get()
    _withdraw(editor_client, story, confirm="on")
    assert comment.body not in reader.get(story.get_absolute_url()).content.decode()
    posted = reader.post(
        reverse("comments:post", args=[story.pk]),
        {"name": "Reader", "email": "r@example.org", "body": "Still here?"},
    )
    assert posted.status_code == 404
    assert story.comments.count() == 1


def test_writer_cannot_withdraw(client, story):
    writer = make_user(group="Writers")
    client.force_login(writer)
    response = _withdraw(client, story, confirm="on")
    # A live story is read-only for writers: the forged change is refused outright.
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
