"""Stories as IPTC ninjs 2.1 at /api/v1/ninjs/: valid against IPTC's schema, public only."""

import copy
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.api.fixtures.ninjs import assert_valid, problems
from tests.factories import (
    make_article,
    make_author,
    make_draft,
    make_live_entry,
    make_scheduled,
    make_topic,
)
from tests.query_budgets import API_PARTNER

pytestmark = pytest.mark.django_db


def ninjs_of(client, article, **headers):
    return client.get(f"/api/v1/ninjs/articles/{article.pk}/", **headers)


def test_a_published_article_is_valid_ninjs_with_its_fields(client):
    topic, other = make_topic(name="Diplomacy"), make_topic(name="Europe")
    authors = [make_author(name="Ana Ruiz"), make_author(name="Tom Berg")]
    article = make_article(
        headline="Talks to begin",
        body="<p>Both sides <strong>agreed</strong>.</p><h2>Next</h2><p>More.</p>",
        topics=[topic, other],
        primary_topic=topic,
        authors=authors,
        image=True,
    )
    response = ninjs_of(client, article)
    assert response.status_code == 200
    document = response.json()
    assert_valid(document)
    assert document["uri"].endswith(f"/api/v1/ninjs/articles/{article.pk}/")
    assert document["type"] == "text"
    assert document["pubstatus"] == "usable"
    assert document["language"] == "en-GB"
    assert document["version"] == str(article.version)
    assert document["headlines"] == [{"role": "main", "value": "Talks to begin"}]
    [body] = document["bodies"]
    assert body["contenttype"] == "text/html" and "<h2>Next</h2>" in body["value"]
    assert document["descriptions"][0]["value"] == article.standfirst
    assert document["by"] == "Ana Ruiz, Tom Berg"
    assert [person["name"] for person in document["people"]] == ["Ana Ruiz", "Tom Berg"]
    assert [s["name"] for s in document["subjects"]] == ["Diplomacy", "Europe"]
    assert document["subjects"][0]["rel"] == "primary"
    [picture] = document["associations"]
    assert picture["type"] == "picture"
    assert {"role": "alt", "value": article.lead_image.alt_text} in picture["descriptions"]
    assert picture["renditions"] and all(
        r["href"].startswith("http://testserver/") and r["width"] > 0 for r in picture["renditions"]
    )
    assert {r["contenttype"] for r in picture["renditions"]} == {"image/jpeg", "image/webp"}


def test_the_uri_is_the_same_whatever_host_was_asked(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "api.example.org"]
    article = make_article()
    first = ninjs_of(client, article).json()["uri"]
    second = ninjs_of(client, article, HTTP_HOST="api.example.org").json()["uri"]
    assert first == second == f"{settings.NEWSROOM_BASE_URL}/api/v1/ninjs/articles/{article.pk}/"


def test_an_embargo_that_has_ended_is_stated_as_embargoed(client):
    ended = timezone.now() - timedelta(minutes=5)
    document = ninjs_of(client, make_article(embargo_until=ended)).json()
    assert_valid(document)
    assert document["embargoed"].endswith("Z")


@pytest.mark.parametrize(
    "make",
    [
        make_draft,
        make_scheduled,
        lambda: make_article(embargo_until=timezone.now() + timedelta(hours=1)),
        lambda: make_draft(status=Article.Status.REVIEW),
        lambda: make_draft(status=Article.Status.UNPUBLISHED),
    ],
    ids=["draft", "scheduled", "embargoed", "in review", "unpublished"],
)
def test_a_story_readers_cannot_see_is_not_found(client, make):
    response = ninjs_of(client, make())
    assert response.status_code == 404
    assert "headline" not in response.content.decode().lower()


def test_a_withdrawn_story_answers_410_as_a_canceled_item(client):
    article = make_article(status=Article.Status.WITHDRAWN, withdrawn_at=timezone.now())
    response = ninjs_of(client, article)
    assert response.status_code == 410
    document = response.json()
    assert_valid(document)
    assert document["pubstatus"] == "canceled"
    assert "headlines" not in document and "bodies" not in document


def test_an_expired_story_answers_410_as_a_canceled_item(client):
    article = make_article(expires_at=timezone.now() - timedelta(minutes=1))
    response = ninjs_of(client, article)
    assert response.status_code == 410
    assert_valid(response.json())
    assert response.json()["pubstatus"] == "canceled"


def test_a_live_entry_is_valid_ninjs_tied_to_its_coverage(client):
    coverage = make_article(is_live=True)
    entry = make_live_entry(article=coverage, title="Polls close", author=make_author())
    response = client.get(f"/api/v1/ninjs/entries/{entry.pk}/")
    assert response.status_code == 200
    document = response.json()
    assert_valid(document)
    assert document["headlines"][0]["value"] == "Polls close"
    assert document["associations"][0]["uri"].endswith(f"/ninjs/articles/{coverage.pk}/")


def test_a_live_coverage_is_a_text_item_with_its_own_profile(client):
    document = ninjs_of(client, make_article(is_live=True)).json()
    assert_valid(document)
    assert document["profile"] == "live-coverage"


def test_a_live_coverage_carries_its_newest_entries_as_ninjs_items(client):
    coverage = make_article(is_live=True)
    now = timezone.now()
    entries = [
        make_live_entry(
            article=coverage, title=f"Update {n}", published_at=now - timedelta(minutes=n)
        )
        for n in range(25)
    ]
    make_live_entry(article=coverage, title="Not yet", published_at=now + timedelta(hours=1))
    document = ninjs_of(client, coverage).json()
    assert_valid(document)
    carried = [item for item in document["associations"] if item["name"].startswith("entry-")]
    assert [item["headlines"][0]["value"] for item in carried] == [f"Update {n}" for n in range(20)]
    assert carried[0]["uri"].endswith(f"/api/v1/ninjs/entries/{entries[0].pk}/")
    assert carried[0]["profile"] == "live-entry"


def test_an_entry_timed_for_later_or_of_a_draft_is_not_found(client):
    later = make_live_entry(
        article=make_article(is_live=True), published_at=timezone.now() + timedelta(hours=1)
    )
    hidden = make_live_entry(article=make_draft(is_live=True))
    assert client.get(f"/api/v1/ninjs/entries/{later.pk}/").status_code == 404
    assert client.get(f"/api/v1/ninjs/entries/{hidden.pk}/").status_code == 404


@pytest.mark.parametrize("n", [1, 6])
def test_the_ninjs_article_query_count_is_flat(client, django_assert_num_queries, n):
    article = make_article(
        topics=[make_topic() for _ in range(n)],
        authors=[make_author() for _ in range(n)],
        image=True,
    )
    with django_assert_num_queries(API_PARTNER["ninjs article"]):
        assert ninjs_of(client, article).status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_a_live_coverage_s_ninjs_reads_its_entries_in_one_query(
    client, django_assert_num_queries, n
):
    coverage = make_article(is_live=True, authors=[make_author()], image=True)
    for _ in range(n):
        make_live_entry(article=coverage, author=make_author())
    with django_assert_num_queries(API_PARTNER["ninjs live coverage"]):
        assert ninjs_of(client, coverage).status_code == 200


def test_the_ninjs_entry_query_count(client, django_assert_num_queries):
    entry = make_live_entry(article=make_article(is_live=True), author=make_author())
    with django_assert_num_queries(API_PARTNER["ninjs entry"]):
        assert client.get(f"/api/v1/ninjs/entries/{entry.pk}/").status_code == 200


# The rules themselves: the checks above must be able to fail.


@pytest.fixture
def served(client):
    return ninjs_of(client, make_article(image=True)).json()


def test_a_document_without_uri_breaks_the_rules(served):
    del served["uri"]
    assert any("uri" in problem for problem in problems(served))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("type", "article"),
        ("pubstatus", "published"),
        ("versioncreated", "2026-12-03 10:00"),
        ("firstcreated", "2026-13-03T10:00:00Z"),
        ("embargoed", "2026-12-03T10:00:00"),
        ("headline", "Not a ninjs property"),
    ],
)
def test_a_value_the_standard_refuses_breaks_the_rules(served, name, value):
    served[name] = value
    assert problems(served)


def test_a_property_the_schema_forbids_in_an_association_breaks_the_rules(served):
    broken = copy.deepcopy(served)
    broken["associations"][0]["colour"] = "blue"
    assert problems(broken)
    broken = copy.deepcopy(served)
    broken["associations"][0]["renditions"][0]["quality"] = 90
    assert problems(broken)
