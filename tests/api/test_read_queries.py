"""Each read endpoint runs its pinned number of queries, however many rows it shows."""

import pytest
from django.urls import reverse

from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_correction,
    make_live_entry,
    make_section,
    make_topic,
)
from tests.query_budgets import READERS

pytestmark = pytest.mark.django_db


def _build(scale):
    """Make ``scale`` live stories, each with three topics, three authors, a note, and
    ``scale`` entries (each with a note) and approved comments; return the addresses."""
    section = make_section()
    topics = [make_topic() for _ in range(3)]
    authors = [make_author() for _ in range(3)]
    for _ in range(scale):
        story = make_article(
            section=section,
            topics=topics,
            authors=authors,
            primary_topic=topics[0],
            image=True,
            is_live=True,
        )
        make_correction(article=story)
        for n in range(scale):
            entry = make_live_entry(article=story, author=authors[n % 3])
            make_correction(article=story, entry=entry)
            make_comment(article=story)
    plain = make_article(section=section, topics=topics, authors=authors, image=True)
    filters = f"?section={section.slug}&topic={topics[0].slug}&author={authors[0].slug}"
    return {
        "api articles": reverse("api:articles"),
        "api articles, filtered": reverse("api:articles") + filters,
        "api article": reverse("api:article", args=[plain.pk]),
        "api live article": reverse("api:article", args=[story.pk]),
        "api entries": reverse("api:entries", args=[story.pk]),
        "api comments": reverse("api:comments", args=[story.pk]),
        "api sections": reverse("api:sections"),
        "api topics": reverse("api:topics"),
        "api authors": reverse("api:authors"),
        "api section": reverse("api:section", args=[section.pk]),
        "api topic": reverse("api:topic", args=[topics[0].pk]),
        "api author": reverse("api:author", args=[authors[0].pk]),
    }


ENDPOINTS = [
    "api articles",
    "api articles, filtered",
    "api article",
    "api live article",
    "api entries",
    "api comments",
    "api sections",
    "api topics",
    "api authors",
    "api section",
    "api topic",
    "api author",
]


@pytest.mark.parametrize("scale", [2, 8])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_endpoint_runs_its_number_of_queries_however_many_rows(
    client, django_assert_num_queries, endpoint, scale
):
    url = _build(scale)[endpoint]
    with django_assert_num_queries(READERS[endpoint.removesuffix(", filtered")]):
        response = client.get(url)
    assert response.status_code == 200
    rows = response.json().get("results")
    if endpoint in ("api entries", "api comments", "api articles"):
        # Enough rows that one query per row would show.
        assert len(rows) >= scale
