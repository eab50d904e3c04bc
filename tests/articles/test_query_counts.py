"""Every public page runs a fixed number of queries, however many rows it shows."""

import pytest

from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_correction,
    make_section,
    make_topic,
    relate,
)
from tests.query_budgets import READERS

pytestmark = pytest.mark.django_db

# Each page, by its budget. Pictures cost nothing extra: images carry their renditions. The
# story built below has eight editors' picks, so its page needs no fill-up.
PAGES = {
    "front": "front",
    "section": "section",
    "topic": "topic",
    "author": "author",
    "article": "article, picks only",
    "corrections": "corrections",
}


def _build(scale):
    """Make 4 sections of stories; the reference story has 10 topics, 8 related links and a
    comment with a reply per story."""
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
        make_comment(article=story, parent=make_comment(article=story))
    return {
        "front": "/",
        "section": sections[0].get_absolute_url(),
        "topic": topics[0].get_absolute_url(),
        "author": authors[0].get_absolute_url(),
        "article": story.get_absolute_url(),
        "corrections": "/corrections/",
    }


@pytest.mark.parametrize("scale", [5, 40])
@pytest.mark.parametrize("page", PAGES)
def test_each_page_runs_its_number_of_queries_however_many_rows(
    client, django_assert_num_queries, page, scale
):
    urls = _build(scale=scale)
    with django_assert_num_queries(READERS[PAGES[page]]):
        assert client.get(urls[page]).status_code == 200


def test_article_page_with_only_editor_picks_needs_no_fill_up_query(
    client, django_assert_num_queries
):
    story = make_article(topics=[make_topic() for _ in range(10)])
    relate(story, *[make_article() for _ in range(8)])
    make_comment(article=story)
    with django_assert_num_queries(READERS["article, picks only"]):
        client.get(story.get_absolute_url())


def test_article_page_fill_up_takes_one_query(client, django_assert_num_queries):
    topics = [make_topic() for _ in range(10)]
    story = make_article(topics=topics)
    for _ in range(12):
        make_article(topics=topics[:3])
    relate(story, make_article())
    make_comment(article=story)
    with django_assert_num_queries(READERS["article"]):
        html = client.get(story.get_absolute_url()).content.decode()
    assert html.count('class="related__card"') == 4
