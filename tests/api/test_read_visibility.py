"""Nothing readers cannot see on the site reaches the API: each kind of hidden story, on every
endpoint that could show it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.api.conftest import get_json, ids
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_live_entry,
    make_section,
    make_topic,
)

pytestmark = pytest.mark.django_db

KINDS = ["draft", "in review", "scheduled", "embargoed", "expired", "withdrawn", "unpublished"]


@pytest.fixture
def world(hidden_stories):
    section = make_section(slug="world")
    topic = make_topic(slug="diplomacy")
    author = make_author(slug="lena-marsh")
    fields = {"section": section, "topics": [topic], "authors": [author]}
    public = make_article(**fields)
    return {"public": public, "hidden": hidden_stories(**fields)}


@pytest.mark.parametrize(
    "query", ["", "?section=world", "?topic=diplomacy", "?author=lena-marsh", "?limit=100"]
)
def test_article_list_shows_only_the_published_story(client, world, query):
    answer = get_json(client, reverse("api:articles") + query)
    assert ids(answer) == [world["public"].pk]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", ["api:article", "api:entries", "api:comments"])
def test_hidden_story_answers_404_on_each_article_endpoint(client, world, kind, name):
    story = world["hidden"][kind]
    answer = get_json(client, reverse(name, args=[story.pk]), status=404)
    assert story.headline not in str(answer)


@pytest.mark.parametrize("kind", KINDS)
def test_hidden_story_leaves_no_trace_in_any_list(client, world, kind):
    story = world["hidden"][kind]
    for name in ["api:articles", "api:sections", "api:topics", "api:authors"]:
        content = client.get(reverse(name)).content.decode()
        assert story.headline not in content, name
        assert story.slug not in content, name


def test_published_story_is_on_each_article_endpoint(client, world):
    story = world["public"]
    story.is_live = True
    story.save()
    make_comment(article=story)
    for name in ["api:article", "api:entries", "api:comments"]:
        get_json(client, reverse(name, args=[story.pk]))


def test_a_story_comes_due_with_its_publish_time(client, world):
    scheduled = world["hidden"]["scheduled"]
    assert scheduled.pk not in ids(get_json(client, reverse("api:articles")))
    scheduled.published_at = world["public"].published_at
    scheduled.save()
    assert scheduled.pk in ids(get_json(client, reverse("api:articles")))
    get_json(client, reverse("api:article", args=[scheduled.pk]))


def test_only_approved_comments_are_listed(client):
    article = make_article()
    shown = make_comment(article=article)
    for status in ["pending", "rejected", "spam"]:
        make_comment(article=article, status=status)
    answer = get_json(client, reverse("api:comments", args=[article.pk]))
    assert ids(answer) == [shown.pk]


def test_an_entry_with_a_time_still_to_come_is_not_listed(client):
    story = make_article(is_live=True)
    shown = make_live_entry(article=story)
    make_live_entry(article=story, published_at=timezone.now() + timedelta(minutes=10))
    assert ids(get_json(client, reverse("api:entries", args=[story.pk]))) == [shown.pk]
    detail = get_json(client, reverse("api:article", args=[story.pk]))
    assert [entry["id"] for entry in detail["newest_entries"]] == [shown.pk]
