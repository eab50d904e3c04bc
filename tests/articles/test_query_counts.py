"""Every public page runs a fixed number of queries, however many rows it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    make_article,
    make_author,
    make_correction,
    make_section,
    make_topic,
    relate,
)

pytestmark = pytest.mark.django_db

# The most each page may run; pictures cost nothing extra (images carry their renditions).
# The article page's 8: the article, byline, topics, corrections, picks, the related fill-up,
# this page of comments, the navigation.
BUDGETS = {"front": 3, "section": 4, "topic": 4, "author": 4, "article": 8, "corrections": 3}


def _build(scale):
    """Make 4 sections of stories; the reference story has 10 topics and 8 related links."""
    sections = [make_section() for _ in range(4)]
    topics = [make_topic() for _ in range(10)]
    authors = [make_author() for _ in range(3)]
    stories = [
        make_article(
            section=sections[n % 4],
            topics=topics[: 1 + n % 10],
            authors=authors,
            primary_topic=topics[n % 10],
            image=True,
        )
        for n in range(scale)
    ]
    story = make_article(
        section=sections[0], topics=topics, authors=authors, primary_topic=topics[0], image=True
    )
    relate(
        story, *stories[:6], urls=[("https://example.org/a", "A"), ("https://example.org/b", "B")]
    )
    for article in [story, *stories]:
        make_correction(article=article)
        make_correction(article=article, kind="update")
    return {
        "front": "/",
        "section": sections[0].get_absolute_url(),
        "topic": topics[0].get_absolute_url(),
        "author": authors[0].get_absolute_url(),
        "article": story.get_absolute_url(),
        "corrections": "/corrections/",
    }


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", list(BUDGETS))
def test_page_stays_within_its_query_budget(client, django_assert_max_num_queries, page):
    urls = _build(scale=30)
    with django_assert_max_num_queries(BUDGETS[page]):
        assert client.get(urls[page]).status_code == 200


@pytest.mark.parametrize("page", list(BUDGETS))
def test_query_count_does_not_grow_with_rows(client, page):
    small = _count(client, _build(scale=5)[page])
    large = _count(client, _build(scale=40)[page])
    assert large == small


def test_article_page_with_only_editor_picks_needs_no_fill_up_query(client):
    story = make_article(topics=[make_topic() for _ in range(10)])
    relate(story, *[make_article() for _ in range(8)])
    with CaptureQueriesContext(connection) as queries:
        client.get(story.get_absolute_url())
    assert len(queries) <= BUDGETS["article"] - 1


def test_article_page_fill_up_stays_within_budget(client, django_assert_max_num_queries):
    topics = [make_topic() for _ in range(10)]
    story = make_article(topics=topics)
    for _ in range(12):
        make_article(topics=topics[:3])
    relate(story, make_article())
    with django_assert_max_num_queries(BUDGETS["article"]):
        html = client.get(story.get_absolute_url()).content.decode()
    assert html.count('class="related__card"') == 4
