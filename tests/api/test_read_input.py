"""Bad input to the read API answers a clear 4xx in JSON, never a 500."""

import base64
import datetime
import json

import pytest
from django.urls import reverse

from tests.factories import make_article, make_author, make_topic

pytestmark = pytest.mark.django_db

JUNK_IDS = ["0", "-1", "abc", "1.5", "9" * 30, str(2**63), "١٢", "%00", "%E2%80%8B1"]


def _cursor(values):
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.fixture
def story(db):
    return make_article(is_live=True, topics=[make_topic()], authors=[make_author()])


@pytest.mark.parametrize("junk", JUNK_IDS)
@pytest.mark.parametrize("name", ["article", "entries", "comments", "section", "topic", "author"])
def test_an_id_no_row_can_have_answers_404_in_json(client, story, name, junk):
    url = reverse(f"api:{name}", args=["X"]).replace("X", junk)
    response = client.get(url)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_an_id_of_nothing_answers_404(client, story):
    response = client.get(reverse("api:article", args=[story.pk + 1000]))
    assert response.status_code == 404
    assert response.json() == {"detail": "No published article has this id."}


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2026-13-01T00:00:00Z",
        "2026-02-30",
        "2026-05-19T25:00:00Z",
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:59:59-05:00",
        "2026-05-19T10:00:00Z\x00",
        "２０２６-05-19",
        "2" * 5000,
    ],
)
@pytest.mark.parametrize("name", ["published_after", "published_before"])
def test_a_bad_time_answers_400_naming_the_parameter(client, story, name, value):
    response = client.get(reverse("api:articles"), {name: value})
    assert response.status_code == 400
    assert list(response.json()) == [name]
    assert "ISO 8601" in str(response.json()[name])


@pytest.mark.parametrize(
    "value", ["2026-05-19", "2026-05-19T10:00", "2026-05-19T10:00:00.5+02:00", "2026-05-19 10:00Z"]
)
def test_iso_8601_times_in_their_usual_forms_are_taken(client, story, value):
    assert client.get(reverse("api:articles"), {"published_after": value}).status_code == 200


def test_an_offsets_plus_left_unescaped_still_reads_as_plus(client, story):
    # Two hours after the story, written with a +02:00 offset whose "+" became a space.
    later = story.published_at.astimezone(datetime.timezone(datetime.timedelta(hours=2)))
    text = (later + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S+02:00")
    url = reverse("api:articles") + "?published_before=" + text.replace("+", "%20")
    response = client.get(url)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [story.pk]
    url = reverse("api:articles") + "?published_after=" + text.replace("+", "%20")
    assert client.get(url).json()["results"] == []


@pytest.mark.parametrize("name", ["section", "topic", "author"])
@pytest.mark.parametrize("value", ["a\x00b", "x" * 201])
def test_a_slug_with_a_nul_or_too_long_answers_400(client, story, name, value):
    response = client.get(reverse("api:articles"), {name: value})
    assert response.status_code == 400
    assert list(response.json()) == [name]


@pytest.mark.parametrize("value", ["côte-divoire", "東京", "🙂", "'; DROP TABLE x; --"])
def test_any_other_text_in_a_filter_just_finds_nothing(client, story, value):
    response = client.get(reverse("api:articles"), {"topic": value})
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("value", ["0", "-5", "101", "ten", "9" * 5000, "1e3", "\x00"])
def test_a_bad_limit_answers_400(client, story, value):
    response = client.get(reverse("api:articles"), {"limit": value})
    assert response.status_code == 400
    assert list(response.json()) == ["limit"]


JUNK_CURSORS = [
    "not-a-cursor",
    "%%%",
    "\x00",
    "é",
    "A" * 5000,
    _cursor([]),
    _cursor({"a": 1}),
    _cursor(["2026-05-19T10:00:00+00:00"]),
    _cursor(["2026-05-19T10:00:00+00:00", 0]),
    _cursor(["2026-05-19T10:00:00+00:00", -3]),
    _cursor(["2026-05-19T10:00:00+00:00", 2**64]),
    _cursor(["2026-05-19T10:00:00+00:00", "7"]),
    _cursor(["2026-05-19T10:00:00+00:00", True]),
    _cursor([None, 7]),
    _cursor([[[[]]], 7]),
    _cursor(["a\x00", 7]),
]


# Not a time with its offset: fine in a list by name, not in one by time.
BAD_TIMES = [
    _cursor(["2026-05-19T10:00:00", 7]),
    _cursor(["2026-99-19T10:00:00+00:00", 7]),
    _cursor(["Zoë", 7]),
]


@pytest.mark.parametrize(
    ("name", "cursor"),
    [
        *((name, cursor) for name in ["topics", "authors"] for cursor in JUNK_CURSORS),
        *(
            (name, cursor)
            for name in ["articles", "entries", "comments"]
            for cursor in JUNK_CURSORS + BAD_TIMES
        ),
    ],
)
def test_a_junk_cursor_answers_400(client, story, name, cursor):
    url = reverse(f"api:{name}", args=[story.pk] if name in ("entries", "comments") else [])
    response = client.get(url, {"cursor": cursor})
    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


def test_paging_by_name_through_unicode_names_sees_each_once(client):
    for name in ["Zoë", "Ødegaard", "Ōkubo"]:
        make_author(name=name)
    url, seen = reverse("api:authors") + "?limit=1", []
    while url:
        answer = client.get(url).json()
        seen += [author["name"] for author in answer["results"]]
        url = answer["next"]
    assert sorted(seen) == sorted(["Zoë", "Ødegaard", "Ōkubo"])
    assert len(seen) == 3
