"""What an article, its entries and its comments say in the API, and how the lists filter and
page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.api.conftest import get_json, ids
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_correction,
    make_live_entry,
    make_section,
    make_topic,
)

pytestmark = pytest.mark.django_db


def test_article_carries_the_story(client):
    section = make_section(name="World News", slug="world")
    climate, energy = make_topic(name="Climate"), make_topic(name="Energy")
    ada, alan = make_author(name="Ada Lovelace"), make_author(name="Alan Turing")
    article = make_article(
        headline="Talks resume",
        standfirst="Both sides return to the table.",
        body="<p>The <strong>talks</strong> resumed.</p><script>alert(1)</script>",
        section=section,
        topics=[energy, climate],
        primary_topic=energy,
        authors=[alan, ada],
        image=True,
    )
    correction = make_correction(article=article, text="An earlier version misspelt a name.")
    answer = get_json(client, reverse("api:article", args=[article.pk]))

    assert answer["id"] == article.pk
    assert answer["headline"] == "Talks resume"
    assert answer["standfirst"] == "Both sides return to the table."
    assert answer["body_html"] == "<p>The <strong>talks</strong> resumed.</p>"
    assert answer["canonical_url"] == f"http://testserver{article.get_absolute_url()}"
    assert answer["api_url"] == f"http://testserver/api/v1/articles/{article.pk}/"
    assert [b["name"] for b in answer["bylines"]] == ["Alan Turing", "Ada Lovelace"]
    assert answer["bylines"][0]["url"] == f"http://testserver{alan.get_absolute_url()}"
    assert answer["section"] == {
        "id": section.pk,
        "name": "World News",
        "slug": "world",
        "description": "",
        "url": "http://testserver/world/",
    }
    assert [t["name"] for t in answer["topics"]] == ["Climate", "Energy"]
    assert answer["primary_topic"] == {"id": energy.pk, "name": "Energy", "slug": energy.slug}
    assert answer["corrections"] == [
        {
            "kind": "correction",
            "text": correction.text,
            "published_at": correction.published_at.isoformat().replace("+00:00", "Z"),
        }
    ]
    assert answer["published_at"] == article.published_at.isoformat().replace("+00:00", "Z")
    assert answer["embargo_until"] is None
    assert answer["expires_at"] is None
    assert answer["live"] is None
    assert answer["newest_entries"] is None


def test_lead_image_has_its_renditions_alt_text_caption_and_credit(client):
    article = make_article(image=True, lead_image_caption="Delegates arrive in Istanbul")
    image = article.lead_image
    picture = get_json(client, reverse("api:article", args=[article.pk]))["lead_image"]

    assert picture["alt_text"] == image.alt_text
    assert picture["caption"] == "Delegates arrive in Istanbul"
    assert picture["credit"] == "Photo: Staff"
    assert (picture["width"], picture["height"]) == (640, 360)
    jpegs = [r for r in picture["renditions"] if r["format"] == "jpeg" and r["crop"] is None]
    assert [r["width"] for r in jpegs] == [320, 640]
    assert all(r["url"].startswith("http://testserver/media/images/") for r in jpegs)
    assert {r["crop"] for r in picture["renditions"]} == {None, "16:9"}
    assert {r["format"] for r in picture["renditions"]} == {"jpeg", "webp"}


def test_article_without_a_picture_has_none(client):
    article = make_article()
    assert get_json(client, reverse("api:article", args=[article.pk]))["lead_image"] is None


def test_update_note_is_listed_and_moves_updated_at(client):
    article = make_article()
    note = make_correction(article=article, kind="update", text="Talks are to resume on Monday.")
    answer = get_json(client, reverse("api:article", args=[article.pk]))
    assert [n["kind"] for n in answer["corrections"]] == ["update"]
    assert answer["updated_at"] == max(note.published_at, article.updated_at).isoformat().replace(
        "+00:00", "Z"
    )


def test_embargo_and_expiry_times_are_given(client):
    now = timezone.now()
    article = make_article(
        embargo_until=now - timedelta(hours=1), expires_at=now + timedelta(days=30)
    )
    answer = get_json(client, reverse("api:article", args=[article.pk]))
    assert answer["embargo_until"] == article.embargo_until.isoformat().replace("+00:00", "Z")
    assert answer["expires_at"] == article.expires_at.isoformat().replace("+00:00", "Z")


def test_live_story_has_its_state_and_newest_entries(client):
    author = make_author(name="Lena Marsh")
    story = make_article(is_live=True)
    older = make_live_entry(article=story, title="Talks begin", author=author)
    newer = make_live_entry(article=story, title="A first statement", is_key_event=True)
    make_correction(article=story, entry=newer, text="The statement came at noon.")
    answer = get_json(client, reverse("api:article", args=[story.pk]))

    assert answer["live"]["state"] == "live"
    assert answer["live"]["ended_at"] is None
    assert answer["live"]["entries"] == f"http://testserver/api/v1/articles/{story.pk}/entries/"
    assert [e["id"] for e in answer["newest_entries"]] == [newer.pk, older.pk]
    first, second = answer["newest_entries"]
    assert first["is_key_event"] is True
    assert [n["text"] for n in first["corrections"]] == ["The statement came at noon."]
    # An entry's note is the entry's, not the whole story's.
    assert answer["corrections"] == []
    assert second["author"]["name"] == "Lena Marsh"
    assert second["url"] == f"http://testserver{story.get_absolute_url()}#entry-{older.pk}"


def test_ended_live_story_says_so(client):
    story = make_article(is_live=True, coverage_ended_at=timezone.now())
    answer = get_json(client, reverse("api:article", args=[story.pk]))
    assert answer["live"]["state"] == "ended"


def test_entries_of_a_story_that_is_not_live_answer_404(client):
    article = make_article()
    get_json(client, reverse("api:entries", args=[article.pk]), status=404)


def test_entries_page_newest_first(client):
    story = make_article(is_live=True)
    entries = [make_live_entry(article=story) for _ in range(5)]
    url = reverse("api:entries", args=[story.pk]) + "?limit=2"
    seen = []
    while url:
        answer = get_json(client, url)
        seen += ids(answer)
        url = answer["next"]
    assert seen == [entry.pk for entry in reversed(entries)]


def test_comments_carry_name_and_text_and_never_email_or_address(client):
    article = make_article()
    first = make_comment(
        article=article, name="Maria", email="maria.secret@example.org", ip_address="203.0.113.77"
    )
    reply = make_comment(article=article, parent=first, email="other.secret@example.org")
    response = client.get(reverse("api:comments", args=[article.pk]))
    body = response.content.decode()
    assert "maria.secret@example.org" not in body
    assert "other.secret@example.org" not in body
    assert "203.0.113.77" not in body
    assert "192.0.2.10" not in body
    rows = response.json()["results"]
    assert [(c["id"], c["parent"], c["name"]) for c in rows] == [
        (first.pk, None, "Maria"),
        (reply.pk, first.pk, reply.name),
    ]
    assert rows[0]["body"] == first.body


def test_article_list_filters_by_section_topic_and_author(client):
    world, sport = make_section(slug="world"), make_section(slug="sport")
    climate = make_topic(slug="climate")
    lena = make_author(slug="lena")
    a = make_article(section=world, topics=[climate], authors=[lena])
    b = make_article(section=world)
    c = make_article(section=sport, topics=[climate, make_topic()])
    d = make_article(section=sport, authors=[make_author(), lena])

    def listed(query):
        return ids(get_json(client, reverse("api:articles") + query))

    assert listed("?section=world") == [a.pk, b.pk]
    assert listed("?topic=climate") == [a.pk, c.pk]
    assert listed("?author=lena") == [a.pk, d.pk]
    assert listed("?section=sport&topic=climate") == [c.pk]
    assert listed("?section=nowhere") == []


def test_article_list_filters_by_publish_time(client):
    now = timezone.now().replace(microsecond=0)
    old = make_article(published_at=now - timedelta(days=3))
    middle = make_article(published_at=now - timedelta(days=2))
    new = make_article(published_at=now - timedelta(days=1))

    def listed(query):
        return ids(get_json(client, reverse("api:articles") + query))

    after = (now - timedelta(days=2, hours=12)).strftime("%Y-%m-%dT%H:%M:%SZ")
    before = (now - timedelta(days=1, hours=12)).strftime("%Y-%m-%dT%H:%M:%S%%2B00:00")
    assert listed(f"?published_after={after}") == [new.pk, middle.pk]
    assert listed(f"?published_before={before}") == [middle.pk, old.pk]
    assert listed(f"?published_after={after}&published_before={before}") == [middle.pk]


def test_paging_the_article_list_sees_each_story_once_despite_new_ones(client):
    stories = [make_article() for _ in range(7)]  # newest first
    answer = get_json(client, reverse("api:articles") + "?limit=3")
    seen = ids(answer)
    # Published while the client pages: it goes before the cursor, not into the next pages.
    make_article(published_at=timezone.now() - timedelta(minutes=1))
    url = answer["next"]
    while url:
        answer = get_json(client, url)
        seen += ids(answer)
        url = answer["next"]
    assert seen == [story.pk for story in stories]


def test_paging_breaks_ties_in_publish_time_by_id(client):
    moment = timezone.now() - timedelta(hours=3)
    stories = [make_article(published_at=moment) for _ in range(5)]
    url, seen = reverse("api:articles") + "?limit=2", []
    while url:
        answer = get_json(client, url)
        seen += ids(answer)
        url = answer["next"]
    assert seen == sorted(story.pk for story in stories)[::-1]


def test_next_page_keeps_the_filters(client):
    world = make_section(slug="world")
    for _ in range(3):
        make_article(section=world)
    make_article()
    answer = get_json(client, reverse("api:articles") + "?section=world&limit=2")
    assert "section=world" in answer["next"]
    assert len(ids(get_json(client, answer["next"]))) == 1


def test_paging_runs_no_offset_query(client):
    for _ in range(5):
        make_article()
    answer = get_json(client, reverse("api:articles") + "?limit=2")
    with CaptureQueriesContext(connection) as queries:
        get_json(client, answer["next"])
    sql = " ".join(query["sql"] for query in queries.captured_queries).upper()
    assert "LIMIT" in sql
    assert "OFFSET" not in sql


def test_topics_and_authors_page_in_name_order(client):
    names = ["Zoë Ng", "Adam Ray", "Mira Okafor", "Ben Cho", "Ola Berg"]
    for name in names:
        make_author(name=name)
        make_topic(name=name)
    for list_name in ["api:authors", "api:topics"]:
        url, seen = reverse(list_name) + "?limit=2", []
        while url:
            answer = get_json(client, url)
            seen += [row["name"] for row in answer["results"]]
            url = answer["next"]
        assert seen == sorted(names), list_name


def test_sections_come_in_navigation_order(client):
    second = make_section(name="Sport", position=2)
    first = make_section(name="World", position=1)
    assert ids(get_json(client, reverse("api:sections"))) == [first.pk, second.pk]


def test_section_topic_and_author_by_id(client):
    section, topic = make_section(name="World"), make_topic(name="Climate")
    author = make_author(name="Lena Marsh", bio="Covers diplomacy.")
    assert get_json(client, reverse("api:section", args=[section.pk]))["name"] == "World"
    assert get_json(client, reverse("api:topic", args=[topic.pk]))["name"] == "Climate"
    answer = get_json(client, reverse("api:author", args=[author.pk]))
    assert answer["bio"] == "Covers diplomacy."
    assert answer["url"] == f"http://testserver{author.get_absolute_url()}"
    for name in ["api:section", "api:topic", "api:author"]:
        get_json(client, reverse(name, args=[999999]), status=404)
