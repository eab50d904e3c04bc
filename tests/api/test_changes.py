"""The change feed at /api/v1/changes/: every story published, changed, corrected,
unpublished, withdrawn or expired, oldest first, with an exact cursor."""

from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

import pytest
from django.utils import timezone

from api.models import Change
from articles import services
from articles.models import Article
from tests.api.fixtures.ninjs import assert_valid
from tests.factories import (
    make_article,
    make_author,
    make_correction,
    make_draft,
    make_live_entry,
    make_scheduled,
    make_user,
)
from tests.query_budgets import API_PARTNER

pytestmark = pytest.mark.django_db

FEED = "/api/v1/changes/"


def feed(client, **params):
    response = client.get(FEED, params)
    assert response.status_code == 200, response.content
    return response.json()


def events(client, **params):
    return [(c["article"], c["event"]) for c in feed(client, **params)["changes"]]


@contextmanager
def clock_at(moment):
    with patch("django.utils.timezone.now", return_value=moment):
        yield


def test_a_published_story_appears_with_its_addresses(client):
    article = make_article()
    [change] = feed(client)["changes"]
    assert change["event"] == "published" and change["article"] == article.pk
    assert change["url"] == "http://testserver" + article.get_absolute_url()
    assert change["api_url"] == f"http://testserver/api/v1/articles/{article.pk}/"
    assert change["tombstone"] is False
    assert change["at"].endswith("Z")


def test_drafts_and_their_edits_do_not_appear(client):
    draft = make_draft()
    draft.headline = "Still a draft"
    draft.save()
    make_draft(status=Article.Status.REVIEW)
    assert feed(client)["changes"] == []


def test_the_life_of_a_story_in_order(client):
    editor = make_user(group="Editors")
    article = make_draft()
    article.status = Article.Status.PUBLISHED
    services.article_save(article=article, user=editor)
    article.headline = "A better headline"
    services.article_save(article=article, user=editor)
    make_correction(article=article)
    services.articles_unpublish(articles=Article.objects.filter(pk=article.pk), user=editor)
    assert [event for _, event in events(client)] == [
        "published",
        "changed",
        "corrected",
        "unpublished",
    ]


def test_a_withdrawal_is_a_tombstone_without_content(client):
    article = make_article()
    article.status = Article.Status.WITHDRAWN
    services.article_save(article=article, user=make_user(group="Editors"))
    last = feed(client, format="ninjs")["changes"][-1]
    assert last["event"] == "withdrawn" and last["tombstone"] is True
    assert set(last) == {"cursor", "article", "event", "at", "url", "api_url", "tombstone"}
    assert last["url"].endswith(article.get_absolute_url())


def test_a_deleted_story_leaves_a_tombstone(client):
    article = make_article()
    path = article.get_absolute_url()
    article.delete()
    last = feed(client)["changes"][-1]
    assert last["event"] == "unpublished" and last["url"].endswith(path)


def test_the_cursor_gives_only_what_came_after(client):
    first = make_article()
    cursor = feed(client)["next"]
    second = make_article()
    page = feed(client, since=cursor)
    assert [c["article"] for c in page["changes"]] == [second.pk]
    assert int(page["changes"][0]["cursor"]) > int(cursor)
    assert first.pk not in [c["article"] for c in page["changes"]]
    # Nothing new: the same cursor back, and an empty page.
    again = feed(client, since=page["next"])
    assert again["changes"] == [] and again["next"] == page["next"]


def test_pages_follow_one_another_without_gaps_or_repeats(client):
    made = [make_article().pk for _ in range(5)]
    seen, cursor, more = [], "0", True
    while more:
        page = feed(client, since=cursor, limit=2)
        seen += [c["article"] for c in page["changes"]]
        cursor, more = page["next"], page["more"]
    assert seen == made


@pytest.mark.parametrize(
    "query",
    [
        "since=abc",
        "since=-1",
        "since=1.5",
        "since=99999999999999999999",
        "limit=0",
        "limit=x",
        "limit=100000",
        "format=xml",
    ],
)
def test_a_bad_parameter_answers_400_in_json(client, query):
    response = client.get(f"{FEED}?{query}")
    assert response.status_code == 400
    name = query.split("=")[0]
    assert name in response.json()


def test_ninjs_format_embeds_each_live_story_as_valid_ninjs(client):
    make_article(image=True)
    make_article()
    changes = feed(client, format="ninjs")["changes"]
    assert len(changes) == 2
    for change in changes:
        assert_valid(change["ninjs"])
        assert change["ninjs"]["pubstatus"] == "usable"


def test_ninjs_format_embeds_nothing_for_a_story_gone_since(client):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.WITHDRAWN)
    [published] = feed(client, format="ninjs")["changes"]
    assert published["ninjs"] is None


# Changes that come with no save: on time, at their own moment.


def test_a_scheduled_story_appears_when_it_comes_due(client):
    article = make_scheduled()
    assert events(client) == []
    with clock_at(article.published_at + timedelta(minutes=1)):
        [change] = feed(client)["changes"]
    assert (change["article"], change["event"]) == (article.pk, "published")
    assert change["at"] == article.published_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_an_embargo_ending_publishes_the_story_at_its_end(client):
    until = timezone.now() + timedelta(hours=1)
    article = make_article(embargo_until=until)
    assert events(client) == []
    with clock_at(until + timedelta(seconds=1)):
        assert events(client) == [(article.pk, "published")]


def test_an_embargo_lifted_early_publishes_the_story_then(client):
    article = make_article(embargo_until=timezone.now() + timedelta(days=1))
    services.article_lift_embargo(article=article, user=make_user(group="Editors"), reason="Out")
    assert events(client) == [(article.pk, "published")]


def test_an_expiry_is_a_tombstone_at_its_time(client):
    expires = timezone.now() + timedelta(hours=1)
    article = make_article(expires_at=expires)
    with clock_at(expires + timedelta(hours=1)):
        last = feed(client)["changes"][-1]
    assert (last["event"], last["tombstone"]) == ("expired", True)
    assert last["at"] == expires.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert last["article"] == article.pk


def test_moments_that_passed_unasked_are_each_recorded_in_order(client):
    due = timezone.now() + timedelta(hours=1)
    article = make_scheduled(published_at=due, expires_at=due + timedelta(hours=1))
    with clock_at(due + timedelta(hours=5)):
        assert events(client) == [(article.pk, "published"), (article.pk, "expired")]


def test_a_note_dated_ahead_is_a_correction_at_its_date(client):
    article = make_article()
    make_correction(article=article, published_at=timezone.now() + timedelta(hours=1))
    assert events(client) == [(article.pk, "published")]
    with clock_at(timezone.now() + timedelta(hours=2)):
        assert events(client) == [(article.pk, "published"), (article.pk, "corrected")]


def test_a_due_moment_is_recorded_once_however_often_the_feed_is_read(client):
    article = make_scheduled()
    with clock_at(article.published_at + timedelta(minutes=1)):
        for _ in range(3):
            feed(client)
    assert Change.objects.filter(article_id=article.pk).count() == 1


@pytest.mark.parametrize("n", [1, 8])
def test_the_feed_query_count_is_flat(client, django_assert_num_queries, n):
    for _ in range(n):
        make_article()
    with django_assert_num_queries(API_PARTNER["changes"]):
        assert len(feed(client)["changes"]) == n


@pytest.mark.parametrize("n", [1, 8])
def test_the_ninjs_feed_query_count_is_flat(client, django_assert_num_queries, n):
    for _ in range(n):
        make_article(image=True)
    with django_assert_num_queries(API_PARTNER["changes, ninjs"]):
        assert len(feed(client, format="ninjs")["changes"]) == n


@pytest.mark.parametrize("n", [1, 4])
def test_the_ninjs_feed_reads_every_coverage_s_entries_in_one_query(
    client, django_assert_num_queries, n
):
    for _ in range(n):
        coverage = make_article(is_live=True)
        for _ in range(3):
            make_live_entry(article=coverage, author=make_author())
    with django_assert_num_queries(API_PARTNER["changes, ninjs, live coverage"]):
        documents = [change["ninjs"] for change in feed(client, format="ninjs")["changes"]]
    assert all(
        len([item for item in document["associations"] if item["name"].startswith("entry-")]) == 3
        for document in documents
        if document
    )


def test_a_new_live_entry_is_a_change_to_its_coverage(client):
    coverage = make_article(is_live=True)
    make_live_entry(article=coverage)
    assert events(client) == [(coverage.pk, "published"), (coverage.pk, "changed")]


def test_an_entry_timed_for_later_changes_its_coverage_at_that_time(client):
    coverage = make_article(is_live=True)
    later = timezone.now() + timedelta(minutes=30)
    make_live_entry(article=coverage, published_at=later)
    assert events(client) == [(coverage.pk, "published")]
    with clock_at(later + timedelta(minutes=1)):
        assert events(client) == [(coverage.pk, "published"), (coverage.pk, "changed")]


def test_deleting_a_live_coverage_with_entries_leaves_one_tombstone(client):
    coverage = make_article(is_live=True)
    make_live_entry(article=coverage)
    coverage.delete()
    assert [event for _, event in events(client)] == ["published", "changed", "unpublished"]
