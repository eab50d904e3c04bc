"""Whatever a partner posts to /api/v1/ingest/, the answer is never a 500: a bad item gets a
400 naming the field, a good one lands in review, and neither is ever published."""

import json
from contextlib import contextmanager

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from articles.models import Article
from tests.factories import make_api_key, make_section
from tests.properties.strategies import hostile_text

pytestmark = pytest.mark.django_db

INGEST = "/api/v1/ingest/"
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    # The key and section are made once per test; each example is rolled back.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    hostile_text,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=12,
)
texts = st.one_of(hostile_text, json_values)
parts = st.lists(
    st.fixed_dictionaries(
        {"value": texts},
        optional={
            "role": st.sampled_from(["main", "summary", "alt"]) | texts,
            "contenttype": st.sampled_from(["text/html", "text/plain"]) | texts,
            "name": texts,
            "rel": st.sampled_from(["author", "about"]) | texts,
        },
    ),
    max_size=4,
)
# Shaped like ninjs, each property sometimes sensible, sometimes anything at all.
ninjs_items = st.fixed_dictionaries(
    {},
    optional={
        "uri": st.sampled_from(["urn:agency:1", "https://wire.example/1"]) | texts,
        "version": st.sampled_from(["1", "2", "1.2", "0", "999999999"]) | texts,
        "type": st.sampled_from(["text", "picture"]) | texts,
        "pubstatus": st.sampled_from(["usable", "canceled"]) | texts,
        "headlines": parts | json_values,
        "descriptions": parts | json_values,
        "bodies": parts | json_values,
        "subjects": st.lists(st.fixed_dictionaries({"name": texts}), max_size=3) | json_values,
        "people": parts | json_values,
        "by": texts,
        "embargoed": st.sampled_from(["2031-01-01T00:00:00Z", "2031-02-30T00:00:00Z"]) | texts,
    },
)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def key(db):
    make_section(name="Wire", slug="wire")
    return make_api_key(can_ingest=True)[1]


def _check(response):
    assert response.status_code < 500, response.content[:500]
    event(f"answered {response.status_code}")  # --hypothesis-show-statistics shows the mix
    assert response["Content-Type"] == "application/json"
    if response.status_code == 400:
        assert isinstance(response.json(), dict) and response.json()
    if response.status_code in (200, 201):
        article = Article.objects.get(pk=response.json()["id"])
        assert article.status == Article.Status.REVIEW
        assert not Article.objects.published().filter(pk=article.pk).exists()


@EXAMPLES
@given(payload=ninjs_items)
def test_a_ninjs_shaped_item_never_causes_a_500(client, key, payload):
    with rolled_back():
        body = json.dumps(payload)
        _check(
            client.post(
                INGEST, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
            )
        )


@EXAMPLES
@given(payload=json_values)
def test_any_json_never_causes_a_500(client, key, payload):
    with rolled_back():
        body = json.dumps(payload)
        _check(
            client.post(
                INGEST, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
            )
        )


@EXAMPLES
@given(body=st.binary(max_size=200))
def test_any_bytes_never_cause_a_500(client, key, body):
    with rolled_back():
        _check(
            client.post(
                INGEST, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
            )
        )


# Well formed but for the words: most of these are stored, so the writing path sees them.
wordy_items = st.fixed_dictionaries(
    {
        "uri": st.sampled_from(["urn:agency:1", "urn:agency:2"]),
        "version": st.sampled_from(["1", "2"]),
        "headlines": st.lists(
            st.fixed_dictionaries({"value": hostile_text}), min_size=1, max_size=2
        ),
    },
    optional={
        "bodies": st.lists(
            st.fixed_dictionaries(
                {"value": hostile_text},
                optional={"contenttype": st.sampled_from(["text/html", "text/plain"])},
            ),
            max_size=2,
        ),
        "descriptions": st.lists(st.fixed_dictionaries({"value": hostile_text}), max_size=1),
        "by": hostile_text,
        "subjects": st.lists(st.fixed_dictionaries({"name": hostile_text}), max_size=3),
        "people": st.lists(st.fixed_dictionaries({"name": hostile_text}), max_size=2),
    },
)


@EXAMPLES
@given(payloads=st.lists(wordy_items, min_size=1, max_size=3))
def test_items_with_any_words_never_cause_a_500(client, key, payloads):
    with rolled_back():
        for payload in payloads:
            _check(
                client.post(
                    INGEST,
                    json.dumps(payload),
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {key}",
                )
            )
