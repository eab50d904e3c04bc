"""Featured comments: a moderator's picks, shown first under "Featured" on the article page."""

import re
from html import unescape

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.factories import make_article, make_comment, make_user, relate
from tests.query_budgets import READERS

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:comments_comment_changelist"


def _feature(client, comment, featured="on"):
    url = reverse("admin:comments_desk_feature", args=[comment.pk])
    return client.post(url, {"featured": featured, "next": reverse("admin:comments_desk")})


FEATURED = re.compile(r'<li class="comment comment--featured" id="featured-(\d+)"')


def _featured_ids(html):
    return [int(n) for n in FEATURED.findall(html)]


def _thread_ids(html):
    return [int(n) for n in re.findall(r'<li class="comment[^"]*" id="comment-(\d+)"', html)]


def test_a_featured_comment_is_shown_first_with_its_label_and_stays_in_its_thread(
    moderator_client, moderator, reader, article
):
    first = make_comment(article=article, body="An early, ordinary comment.")
    picked = make_comment(article=article, name="Iris", body="A first-hand account.")
    reply = make_comment(article=article, parent=picked)

    response = _feature(moderator_client, picked)
    assert response.status_code == 302
    desk = unescape(moderator_client.get(response["Location"]).content.decode())
    assert "Featured the comment by Iris on “Story open for comments”." in desk
    picked.refresh_from_db()
    assert picked.featured_at is not None and picked.featured_by == moderator

    html = reader.get(article.get_absolute_url()).content.decode()
    featured = html.index('<h3 id="featured-heading" class="comments__featured-heading">Featured')
    assert featured < html.index(f'id="comment-{first.pk}"')
    assert _featured_ids(html) == [picked.pk]
    section = html[featured : html.index("</section>", featured)]
    assert "A first-hand account." in section
    assert '<span class="comment__label">Featured</span>' in section
    assert f'<a href="#comment-{picked.pk}">See it in the conversation</a>' in section
    # In its thread too, where its replies are, and labelled there as well.
    assert _thread_ids(html) == [first.pk, picked.pk, reply.pk]
    thread_copy = html[html.index(f'id="comment-{picked.pk}"') :]
    assert thread_copy.index('class="comment__label">Featured') < thread_copy.index(
        f'id="comment-{reply.pk}"'
    )


def test_stopping_featuring_takes_it_out_of_featured(moderator_client, reader, article):
    comment = make_comment(article=article)
    _feature(moderator_client, comment)
    assert _featured_ids(reader.get(article.get_absolute_url()).content.decode())
    _feature(moderator_client, comment, featured="off")
    html = reader.get(article.get_absolute_url()).content.decode()
    assert _featured_ids(html) == [] and "featured-heading" not in html
    assert _thread_ids(html) == [comment.pk]


def test_the_desk_offers_feature_on_approved_comments_only(moderator_client, article):
    approved = make_comment(article=article)
    featured = make_comment(article=article)
    _feature(moderator_client, featured)
    pending = make_comment(article=article, status="pending")
    html = moderator_client.get(reverse("admin:comments_desk"), {"queue": "approved"}).content
    html = html.decode()
    assert reverse("admin:comments_desk_feature", args=[approved.pk]) in html
    assert html.count(">Feature</button>") == 1 and html.count(">Stop featuring</button>") == 1
    pending_html = moderator_client.get(reverse("admin:comments_desk")).content.decode()
    assert reverse("admin:comments_desk_feature", args=[pending.pk]) not in pending_html


@pytest.mark.parametrize("status", ["pending", "rejected", "spam"])
def test_a_comment_that_is_not_approved_cannot_be_featured(moderator_client, article, status):
    comment = make_comment(article=article, status=status)
    response = _feature(moderator_client, comment)  # forged: the desk shows no button
    assert response.status_code == 302
    desk = unescape(moderator_client.get(response["Location"]).content.decode())
    assert f"Only an approved comment can be featured; this one is {status}." in desk
    comment.refresh_from_db()
    assert comment.featured_at is None


def test_the_admin_actions_feature_and_stop_featuring(moderator_client, article):
    approved = [make_comment(article=article) for _ in range(2)]
    pending = make_comment(article=article, status="pending")
    url = reverse(CHANGELIST)
    chosen = [c.pk for c in [*approved, pending]]
    response = moderator_client.post(
        url, {"action": "feature", ACTION_CHECKBOX_NAME: chosen, "index": "0"}, follow=True
    )
    html = unescape(response.content.decode())
    assert "2 comments featured." in html
    assert "1 comment is not approved, so it cannot be featured." in html
    assert Comment.objects.filter(featured_at__isnull=False).count() == 2
    assert Comment.objects.get(pk=pending.pk).featured_at is None
    response = moderator_client.post(
        url, {"action": "stop_featuring", ACTION_CHECKBOX_NAME: chosen, "index": "0"}, follow=True
    )
    assert "2 comments no longer featured." in unescape(response.content.decode())
    assert not Comment.objects.filter(featured_at__isnull=False).exists()


def test_a_writer_cannot_feature_a_comment(client, article):
    client.force_login(make_user(group="Writers"))
    comment = make_comment(article=article)
    assert _feature(client, comment).status_code == 403
    comment.refresh_from_db()
    assert comment.featured_at is None


def test_a_rejected_comment_stops_being_featured_and_leaves_the_page(
    moderator_client, reader, article
):
    comment = make_comment(article=article, body="Picked, then found to be false.")
    _feature(moderator_client, comment)
    comment.refresh_from_db()
    decide = reverse("admin:comments_desk_decide")
    moderator_client.post(
        decide,
        {"action": "reject", "comment": [comment.pk], f"version-{comment.pk}": comment.version},
    )
    comment.refresh_from_db()
    assert comment.status == "rejected" and comment.featured_at is None
    html = reader.get(article.get_absolute_url()).content.decode()
    assert "Picked, then found to be false." not in html
    assert "featured-heading" not in html
    # Approved again, it is not featured again by itself.
    comment.refresh_from_db()
    moderator_client.post(
        decide,
        {"action": "approve", "comment": [comment.pk], f"version-{comment.pk}": comment.version},
    )
    html = reader.get(article.get_absolute_url()).content.decode()
    assert "Picked, then found to be false." in html and "featured-heading" not in html


def test_a_featured_comment_on_a_later_page_links_there_and_shows_on_the_first_only(
    moderator_client, reader, settings, article
):
    settings.COMMENTS_PER_PAGE = 2
    roots = [make_comment(article=article) for _ in range(5)]
    late_reply = make_comment(article=article, parent=roots[4])
    _feature(moderator_client, late_reply)
    _feature(moderator_client, roots[0])
    html = reader.get(article.get_absolute_url()).content.decode()
    assert _featured_ids(html) == [roots[0].pk, late_reply.pk]
    assert f'<a href="?cpage=3#comment-{late_reply.pk}">See it in the conversation</a>' in html
    # Not in the first page's threads, where it does not belong.
    assert _thread_ids(html) == [roots[0].pk, roots[1].pk]
    third = reader.get(article.get_absolute_url(), {"cpage": 3}).content.decode()
    assert _featured_ids(third) == [] and _thread_ids(third) == [roots[4].pk, late_reply.pk]


@pytest.mark.parametrize("featured", [0, 6])
def test_featured_comments_cost_the_article_page_no_query(
    moderator_client, django_assert_num_queries, featured
):
    story = make_article()
    relate(story, *[make_article() for _ in range(4)])
    roots = [make_comment(article=story) for _ in range(10)]
    replies = [make_comment(article=story, parent=root) for root in roots]
    # Top-level comments and replies, some in threads of their own, some in the same one.
    for comment in (roots[:3] + replies[2:5])[:featured]:
        _feature(moderator_client, comment)
    with django_assert_num_queries(READERS["article, picks only"]):
        html = Client().get(story.get_absolute_url()).content.decode()
    assert len(_featured_ids(html)) == featured


@pytest.mark.page_cache
def test_featuring_drops_the_cached_page(django_capture_on_commit_callbacks, moderator):
    from comments import services

    with django_capture_on_commit_callbacks(execute=True):
        story = make_article()
        comment = make_comment(article=story, body="Worth reading first.")
    url = story.get_absolute_url()
    Client().get(url)
    assert Client().get(url)["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_feature(comment=comment, moderator=moderator)
    response = Client().get(url)
    assert response["X-Cache"] == "miss"
    assert _featured_ids(response.content.decode()) == [comment.pk]
