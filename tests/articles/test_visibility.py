"""A draft or a scheduled article is invisible to readers on every surface."""

import pytest
from django.urls import reverse

from tests.factories import (
    make_article,
    make_author,
    make_draft,
    make_scheduled,
    make_section,
    make_topic,
    relate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_section(name="World News", slug="world")


@pytest.fixture
def hidden(world):
    """A published story, a draft and a scheduled story sharing section, topic and author."""
    topic = make_topic(name="Diplomacy")
    author = make_author(name="Lena Marsh", slug="lena-marsh")
    shared = {"section": world, "topics": [topic], "authors": [author], "primary_topic": topic}
    return {
        "public": make_article(headline="Talks resume in Istanbul", **shared),
        "draft": make_draft(headline="Unfinished draft about talks", **shared),
        "scheduled": make_scheduled(headline="Embargoed story for Friday", **shared),
        "topic": topic,
        "author": author,
    }


def _listing_urls(hidden, world):
    return [
        reverse("articles:front"),
        world.get_absolute_url(),
        hidden["topic"].get_absolute_url(),
        hidden["author"].get_absolute_url(),
    ]


def test_listings_show_only_published_articles(client, hidden, world):
    for url in _listing_urls(hidden, world):
        html = client.get(url).content.decode()
        assert "Talks resume in Istanbul" in html, url
        assert "Unfinished draft" not in html, url
        assert "Embargoed story" not in html, url


@pytest.mark.parametrize("kind", ["draft", "scheduled"])
def test_unpublished_article_is_404_for_readers(client, hidden, kind):
    response = client.get(hidden[kind].get_absolute_url())
    assert response.status_code == 404
    assert hidden[kind].headline not in response.content.decode()


@pytest.mark.parametrize("kind", ["draft", "scheduled"])
def test_unpublished_article_is_404_at_any_other_address(client, hidden, world, kind):
    other = make_section(slug="elsewhere")
    url = reverse(
        "articles:detail",
        kwargs={
            "section": other.slug,
            "year": 2020,
            "month": 1,
            "day": 2,
            "slug": hidden[kind].slug,
        },
    )
    assert client.get(url).status_code == 404


def test_related_block_never_shows_unpublished_articles(client, hidden, world):
    story = make_article(section=world, topics=[hidden["topic"]])
    relate(story, hidden["draft"], hidden["scheduled"])
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Talks resume in Istanbul" in html  # filled in: shares the topic
    assert "Unfinished draft" not in html
    assert "Embargoed story" not in html


def test_scheduled_article_appears_once_its_time_has_come(client, hidden, world):
    scheduled = hidden["scheduled"]
    scheduled.published_at = scheduled.published_at.replace(year=2020)
    scheduled.save()
    assert "Embargoed story for Friday" in client.get("/").content.decode()
    assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_editor_sees_a_draft_marked_and_kept_out_of_caches_and_indexes(editor_client, hidden):
    response = editor_client.get(hidden["draft"].get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "readers cannot see this article yet" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["Cache-Control"] == "private, no-store"


def test_moderator_gets_404_for_a_draft(moderator_client, hidden):
    assert moderator_client.get(hidden["draft"].get_absolute_url()).status_code == 404
