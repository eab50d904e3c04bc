"""The read API's HTTP, as the pages': stored and shared, dropped by the same precise purges,
and answered 304 while unchanged."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.services import comment_decide
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_correction,
    make_live_entry,
    make_scheduled,
    make_section,
    make_topic,
)

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit, as a real request's transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def story(committed):
    with committed():
        topic = make_topic(name="Diplomacy", slug="diplomacy")
        author = make_author(name="Lena Marsh", slug="lena-marsh")
        return make_article(
            headline="Talks resume in Istanbul",
            section=make_section(slug="world"),
            topics=[topic],
            primary_topic=topic,
            authors=[author],
            is_live=True,
        )


def _get(url, **headers):
    return Client().get(url, **headers)


def _urls(story):
    return [
        reverse("api:ninjs-article", args=[story.pk]),
        reverse("api:articles"),
        reverse("api:articles") + "?section=world",
        reverse("api:articles") + "?topic=diplomacy",
        reverse("api:articles") + "?author=lena-marsh",
        reverse("api:article", args=[story.pk]),
    ]


def test_answers_are_shared_with_s_maxage_and_surrogate_keys(story):
    response = _get(reverse("api:article", args=[story.pk]))
    assert response.status_code == 200
    cache_control = set(response["Cache-Control"].split(", "))
    assert {"public", "max-age=60", "s-maxage=600"} <= cache_control
    keys = set(response["Surrogate-Key"].split())
    topic, author = story.topics.get(), story.bylines.get().author
    assert {
        f"article-{story.pk}",
        f"section-{story.section_id}",
        f"topic-{topic.pk}",
        f"author-{author.pk}",
        f"live-{story.pk}",
        "site",
    } <= keys
    assert response["ETag"]
    assert response["Last-Modified"]
    assert _get(reverse("api:article", args=[story.pk]))["X-Cache"] == "hit"


@pytest.mark.parametrize(
    "name", ["api:articles", "api:sections", "api:topics", "api:authors", "api:schema", "api:docs"]
)
def test_each_list_is_shared_and_tagged(story, name):
    first = _get(reverse(name))
    assert first.status_code == 200
    assert "s-maxage=" in first["Cache-Control"]
    assert "site" in first["Surrogate-Key"].split()
    assert _get(reverse(name))["X-Cache"] == "hit"


def _edit_headline(story):
    story.headline = "Talks in Istanbul end early"
    story.save()


CHANGES = {
    "api:article": _edit_headline,
    "api:ninjs-article": _edit_headline,
    "api:entries": lambda story: make_live_entry(article=story),
    "api:comments": lambda story: make_comment(article=story),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_repeated_conditional_request_gets_304_until_what_it_shows_changes(
    story, committed, name
):
    url = reverse(name, args=[story.pk])
    first = _get(url)
    etag = first["ETag"]
    not_modified = _get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    with committed():
        CHANGES[name](story)
    changed = _get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["X-Cache"] == "miss"
    assert changed["ETag"] != etag


def test_article_answers_304_to_if_modified_since(story):
    url = reverse("api:article", args=[story.pk])
    modified = _get(url)["Last-Modified"]
    assert _get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304


def test_editing_a_story_shows_on_the_next_request_everywhere(story, committed):
    for url in _urls(story):
        _get(url)
        assert _get(url)["X-Cache"] == "hit", url
    with committed():
        story.headline = "Talks in Istanbul end early"
        story.save()
    for url in _urls(story):
        response = _get(url)
        assert response["X-Cache"] == "miss", url
        assert "Talks in Istanbul end early" in response.content.decode(), url


def test_unpublishing_takes_the_story_off_every_endpoint_at_once(story, committed):
    with committed():
        make_live_entry(article=story)
        make_comment(article=story)
    urls = [
        *_urls(story),
        reverse("api:entries", args=[story.pk]),
        reverse("api:comments", args=[story.pk]),
    ]
    for url in urls:
        assert _get(url).status_code == 200, url
    with committed():
        story.status = Article.Status.WITHDRAWN
        story.save()
    for url in urls:
        response = _get(url)
        assert "Talks resume in Istanbul" not in response.content.decode(), url
    for url in urls[-3:]:
        assert _get(url).status_code == 404, url


def test_a_correction_shows_on_the_next_request(story, committed):
    url = reverse("api:article", args=[story.pk])
    _get(url)
    _get(reverse("api:articles"))
    with committed():
        make_correction(article=story, text="The talks began on Monday, not Tuesday.")
    assert "The talks began on Monday" in _get(url).content.decode()
    assert "The talks began on Monday" in _get(reverse("api:articles")).content.decode()


def test_a_new_live_entry_shows_on_the_next_request(story, committed):
    urls = [reverse("api:article", args=[story.pk]), reverse("api:entries", args=[story.pk])]
    for url in urls:
        _get(url)
    with committed():
        make_live_entry(article=story, body="<p>The delegations have arrived.</p>")
    for url in urls:
        assert "The delegations have arrived." in _get(url).content.decode(), url
    # No list shows an entry: it stays stored.
    _get(reverse("api:articles"))
    with committed():
        make_live_entry(article=story)
    assert _get(reverse("api:articles"))["X-Cache"] == "hit"


def test_approving_a_comment_shows_it_but_a_held_one_changes_nothing(story, committed, moderator):
    url = reverse("api:comments", args=[story.pk])
    _get(url)
    with committed():
        comment = make_comment(article=story, status="pending", body="Held for a moderator.")
    assert _get(url)["X-Cache"] == "hit"
    with committed():
        comment_decide(comment=comment, status="approved", moderator=moderator)
    response = _get(url)
    assert response["X-Cache"] == "miss"
    assert "Held for a moderator." in response.content.decode()


def test_renaming_a_topic_or_author_refreshes_the_story(story, committed):
    url = reverse("api:article", args=[story.pk])
    _get(url)
    with committed():
        topic = story.topics.get()
        topic.name = "Peace talks"
        topic.save()
    assert "Peace talks" in _get(url).content.decode()
    with committed():
        author = story.bylines.get().author
        author.name = "Lena Marsh-Okafor"
        author.save()
    assert "Lena Marsh-Okafor" in _get(url).content.decode()


def test_a_change_elsewhere_leaves_the_story_stored(story, committed):
    with committed():
        elsewhere = make_section()  # a new section changes every page's navigation
    url = reverse("api:article", args=[story.pk])
    _get(url)
    with committed():
        make_article(section=elsewhere)  # another section, topic and author
    assert _get(url)["X-Cache"] == "hit"


def test_a_story_not_yet_published_appears_at_its_time(story):
    due = make_scheduled(headline="Budget story", published_at=timezone.now() + timedelta(hours=1))
    url = reverse("api:article", args=[due.pk])
    assert _get(url).status_code == 404
    assert "Budget story" not in _get(reverse("api:articles")).content.decode()
    later = due.published_at + timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert _get(url).status_code == 200
        assert "Budget story" in _get(reverse("api:articles")).content.decode()


def test_a_missing_story_answer_is_dropped_when_it_is_published(story, committed):
    with committed():
        draft = make_article(status=Article.Status.DRAFT, headline="Talks move to Geneva")
    url = reverse("api:article", args=[draft.pk])
    missing = _get(url)
    assert missing.status_code == 404
    assert "missing" in missing["Surrogate-Key"].split()
    with committed():
        draft.status = Article.Status.PUBLISHED
        draft.published_at = timezone.now() - timedelta(minutes=1)
        draft.save()
    assert _get(url).status_code == 200


def test_staff_get_a_private_answer(story, editor_client):
    response = editor_client.get(reverse("api:article", args=[story.pk]))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "Surrogate-Key" not in response


def test_a_withdrawn_story_s_ninjs_turns_canceled_on_the_next_request(story, committed):
    url = reverse("api:ninjs-article", args=[story.pk])
    assert _get(url).json()["pubstatus"] == "usable"
    assert _get(url)["X-Cache"] == "hit"
    with committed():
        story.status = Article.Status.WITHDRAWN
        story.save()
    gone = _get(url)
    assert gone.status_code == 410
    assert gone.json()["pubstatus"] == "canceled"


def test_an_edited_entry_s_ninjs_shows_on_the_next_request(story, committed):
    with committed():
        entry = make_live_entry(article=story, body="<p>Delegations arrive.</p>")
    url = reverse("api:ninjs-entry", args=[entry.pk])
    assert "Delegations arrive" in _get(url).content.decode()
    assert _get(url)["X-Cache"] == "hit"
    with committed():
        entry.body = "<p>Delegations arrive at the palace.</p>"
        entry.save()
    assert "at the palace" in _get(url).content.decode()


def test_a_missing_entry_s_ninjs_is_never_shared(story):
    url = reverse("api:ninjs-entry", args=[10**6])
    response = _get(url)
    assert response.status_code == 404
    assert "private" in response["Cache-Control"]
