"""The public thread: approved comments, threaded, oldest first, safe, and cheap to render."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from tests.factories import make_article, make_comment, make_topic, relate
from tests.query_budgets import READERS

pytestmark = pytest.mark.django_db


def _ids(html):
    return [int(n) for n in re.findall(r'<li class="comment[^"]*" id="comment-(\d+)"', html)]


def test_threads_nest_replies_under_their_parents_oldest_first(client, article):
    first = make_comment(article=article)
    second = make_comment(article=article)
    reply = make_comment(article=article, parent=first)
    reply_to_reply = make_comment(article=article, parent=reply)
    late_reply = make_comment(article=article, parent=first)
    html = client.get(article.get_absolute_url()).content.decode()
    assert _ids(html) == [first.pk, reply.pk, reply_to_reply.pk, late_reply.pk, second.pk]
    assert html.count('<ol class="comment-list comment-list--replies">') == 2
    assert "5 Comments" in html


def test_each_comment_has_a_permalink_and_a_machine_readable_time(client, article):
    comment = make_comment(article=article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<a class="comment__permalink" href="#comment-{comment.pk}">' in html
    assert f'<time datetime="{comment.created_at.isoformat(timespec="seconds")}">' in html


def test_bodies_keep_line_breaks_and_links_are_safe(client, article):
    make_comment(
        article=article,
        body="First line\nsecond line\n\nNew paragraph: see https://example.org/report?a=1&b=2.",
        website="https://maria.example.org",
        name="Maria",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<p>First line<br>second line</p>" in html
    assert (
        '<a href="https://example.org/report?a=1&amp;b=2" rel="nofollow ugc noopener">'
        "https://example.org/report?a=1&amp;b=2</a>." in html
    )
    assert '<a href="https://maria.example.org" rel="nofollow ugc noopener">Maria</a>' in html


def test_emails_never_appear_in_public_html(client, article):
    make_comment(article=article, email="secret.address@example.org")
    make_comment(article=article, email="hidden@example.org", status="pending")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "secret.address" not in html
    assert "hidden@example.org" not in html


def test_top_level_comments_are_paginated_after_fifty(client, article, settings):
    base = timezone.now() - timedelta(days=1)
    comments = [make_comment(article=article) for _ in range(53)]
    for n, comment in enumerate(comments):
        Comment.objects.filter(pk=comment.pk).update(created_at=base + timedelta(minutes=n))
    reply = make_comment(article=article, parent=comments[51])
    first_page = client.get(article.get_absolute_url()).content.decode()
    assert _ids(first_page) == [c.pk for c in comments[:50]]
    assert "Comments page 1 of 2" in first_page
    assert 'href="?cpage=2#comments"' in first_page
    second_page = client.get(article.get_absolute_url(), {"cpage": 2}).content.decode()
    assert _ids(second_page) == [comments[50].pk, comments[51].pk, reply.pk, comments[52].pk]


def test_the_count_stays_true_through_every_change(article):
    comment = make_comment(article=article, status="pending")
    article.refresh_from_db()
    assert article.comment_count == 0
    comment.status = Comment.Status.APPROVED
    comment.save()
    make_comment(article=article)
    article.refresh_from_db()
    assert article.comment_count == 2
    comment.delete()
    article.refresh_from_db()
    assert article.comment_count == 1


def _article_with_comments(n):
    topics = [make_topic() for _ in range(10)]
    story = make_article(topics=topics)
    relate(story, *[make_article() for _ in range(8)])
    roots = [make_comment(article=story) for _ in range(n // 2)]
    for root in roots:
        make_comment(article=story, parent=root)
    return story


@pytest.mark.parametrize(("n", "fewer"), [(0, 1), (2, 0), (200, 0)])
def test_the_article_page_runs_no_more_queries_with_200_comments_than_with_2(
    client, django_assert_num_queries, n, fewer
):
    story = _article_with_comments(n)
    # This page's top-level comments, then their threads with the replies; with no comment
    # at all there are no threads to read.
    with django_assert_num_queries(READERS["article, picks only"] - fewer):
        html = client.get(story.get_absolute_url()).content.decode()
    assert html.count('class="comment"') == min(n, 100)
