"""Ingest at /api/v1/ingest/: a partner's ninjs text item becomes a draft in review, once."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import Change, IngestedItem
from articles.models import Article, ArticleRevision, Author, Topic
from tests.factories import make_api_key, make_author, make_section, make_topic

pytestmark = pytest.mark.django_db

INGEST = "/api/v1/ingest/"


@pytest.fixture
def key(db):
    make_section(name="Wire", slug="wire", position=0)
    return make_api_key(can_ingest=True)[1]


def item(**changes):
    sent = {
        "uri": "urn:agency:story:1001",
        "version": "1",
        "type": "text",
        "headlines": [{"role": "main", "value": "Ceasefire talks to start on Monday"}],
        "descriptions": [{"role": "summary", "value": "Both sides agreed after a long call."}],
        "bodies": [
            {
                "contenttype": "text/html",
                "value": "<p>Talks <em>start</em> soon.</p><script>alert(1)</script>",
            }
        ],
        "by": "Ana Ruiz, Tom Berg",
        "subjects": [{"name": "Diplomacy"}, {"name": "Europe"}],
    }
    sent.update(changes)
    return {name: value for name, value in sent.items() if value is not None}


def post(client, payload, key=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    return client.post(INGEST, body, content_type="application/json", **headers)


def stored():
    """Return a picture of every row ingest may write."""
    return (
        Article.objects.count(),
        IngestedItem.objects.count(),
        Author.objects.count(),
        Topic.objects.count(),
        ArticleRevision.objects.count(),
        Change.objects.count(),
    )


def test_an_item_becomes_a_draft_in_review_with_its_parts(client, key):
    response = post(client, item(), key)
    assert response.status_code == 201
    answer = response.json()
    assert answer["result"] == "created" and answer["state"] == "review"
    article = Article.objects.get(pk=answer["id"])
    assert article.status == Article.Status.REVIEW
    assert article.headline == "Ceasefire talks to start on Monday"
    assert article.standfirst == "Both sides agreed after a long call."
    assert article.body == "<p>Talks <em>start</em> soon.</p>"  # the script sanitised away
    assert [author.name for author in article.byline] == ["Ana Ruiz", "Tom Berg"]
    assert sorted(topic.name for topic in article.topics.all()) == ["Diplomacy", "Europe"]
    assert article.section.slug == "wire"
    # Kept in the article's history as any save is.
    assert article.revisions.get().note == "Created"


def test_an_ingested_item_is_never_public(client, key):
    answer = post(client, item(), key).json()
    assert not Article.objects.published().filter(pk=answer["id"]).exists()
    assert client.get(f"/api/v1/ninjs/articles/{answer['id']}/").status_code == 404
    assert client.get("/api/v1/changes/").json()["changes"] == []


def test_known_authors_and_topics_are_reused(client, key):
    author, topic = make_author(name="Ana Ruiz"), make_topic(name="Diplomacy")
    article = Article.objects.get(pk=post(client, item(), key).json()["id"])
    assert author in article.byline
    assert topic in article.topics.all()


def test_the_embargo_is_kept(client, key):
    answer = post(client, item(embargoed="2031-05-01T09:00:00Z"), key).json()
    until = Article.objects.get(pk=answer["id"]).embargo_until
    assert until.isoformat() == "2031-05-01T09:00:00+00:00"


def test_plain_text_bodies_become_paragraphs_with_nothing_taken_as_markup(client, key):
    body = [{"contenttype": "text/plain", "value": "One <b>bold</b> claim.\n\nTwo."}]
    answer = post(client, item(bodies=body), key).json()
    article = Article.objects.get(pk=answer["id"])
    assert article.body == "<p>One &lt;b&gt;bold&lt;/b&gt; claim.</p><p>Two.</p>"


def test_the_same_uri_and_version_twice_is_stored_once(client, key):
    first = post(client, item(), key)
    before = stored()
    second = post(client, item(), key)
    assert second.status_code == 200
    assert second.json()["result"] == "unchanged"
    assert second.json()["id"] == first.json()["id"]
    assert stored() == before


def test_a_newer_version_updates_the_draft(client, key):
    answer = post(client, item(), key).json()
    newer = item(version="2", headlines=[{"value": "Talks start on Tuesday"}], by="Tom Berg")
    response = post(client, newer, key)
    assert response.status_code == 200 and response.json()["result"] == "updated"
    article = Article.objects.get(pk=answer["id"])
    assert article.headline == "Talks start on Tuesday"
    assert [author.name for author in article.byline] == ["Tom Berg"]
    assert article.status == Article.Status.REVIEW
    assert IngestedItem.objects.get().version == "2"
    assert Article.objects.count() == 1


def test_an_older_version_is_refused(client, key):
    post(client, item(version="3"), key)
    response = post(client, item(version="2"), key)
    assert response.status_code == 409
    assert "older" in response.json()["detail"]


def test_a_published_story_is_left_alone_with_409(client, key):
    answer = post(client, item(), key).json()
    Article.objects.filter(pk=answer["id"]).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(minutes=1)
    )
    before = stored()
    response = post(client, item(version="2", headlines=[{"value": "Changed"}]), key)
    assert response.status_code == 409
    assert Article.objects.get(pk=answer["id"]).headline == "Ceasefire talks to start on Monday"
    assert stored() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"uri": None}, "uri"),
        ({"uri": "not a uri"}, "uri"),
        ({"uri": ""}, "uri"),
        ({"version": "  "}, "version"),
        ({"bodies": [{"value": ""}]}, "bodies"),
        ({"uri": 12}, "uri"),
        ({"version": None}, "version"),
        ({"version": 2}, "version"),
        ({"version": "two"}, "version"),
        ({"type": "picture"}, "type"),
        ({"pubstatus": "canceled"}, "pubstatus"),
        ({"headlines": None}, "headlines"),
        ({"headlines": []}, "headlines"),
        ({"headlines": [{"value": "   "}]}, "headlines"),
        ({"headlines": [{"value": "x" * 201}]}, "headlines"),
        ({"headlines": "A headline"}, "headlines"),
        ({"headlines": [{"value": "Nul\x00"}]}, "headlines"),
        ({"bodies": [{"value": 7}]}, "bodies"),
        ({"subjects": [{"name": "!!!"}]}, "subjects"),
        ({"subjects": [{"name": f"T{n}"} for n in range(21)]}, "subjects"),
        ({"by": ["Ana"]}, "by"),
        ({"embargoed": "tomorrow"}, "embargoed"),
        ({"embargoed": "2031-05-01T09:00:00"}, "embargoed"),
        ({"embargoed": "2031-13-01T09:00:00Z"}, "embargoed"),
    ],
)
def test_a_bad_item_answers_400_naming_the_field_and_stores_nothing(client, key, changes, field):
    before = stored()
    response = post(client, item(**changes), key)
    assert response.status_code == 400
    errors = response.json()
    assert errors.get(field), errors
    assert stored() == before


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "{not json", b"\xff\xfe"])
def test_a_body_that_is_not_a_ninjs_object_answers_400(client, key, body):
    before = stored()
    response = post(client, body, key)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert stored() == before


def test_a_failure_part_way_stores_nothing(client, key, monkeypatch):
    from api import ingest

    def broken(name):
        raise RuntimeError("the topic table is on fire")

    monkeypatch.setattr(ingest, "_topic", broken)
    before = stored()
    with pytest.raises(RuntimeError):
        post(client, item(), key)
    assert stored() == before


def test_no_section_to_file_in_answers_400(client, db):
    _, key = make_api_key(can_ingest=True)
    response = post(client, item(), key)
    assert response.status_code == 400 and "section" in response.json()


def test_without_a_key_ingest_answers_401(client, key):
    assert post(client, item()).status_code == 401


def test_a_key_without_ingest_answers_403(client, key):
    _, reader_key = make_api_key(can_ingest=False)
    response = post(client, item(), reader_key)
    assert response.status_code == 403
    assert IngestedItem.objects.count() == 0


def test_a_staff_session_is_no_key(editor_client, key):
    assert post(editor_client, item()).status_code == 401
