"""Moderators and editors decide on comments in the admin; readers and strangers cannot."""

import re
from html import unescape

import pytest
from django.urls import reverse

from comments import services
from comments.models import Comment
from tests.factories import make_article, make_comment, make_user
from tests.query_budgets import staff

pytestmark = pytest.mark.django_db


def _act(client, action, *comments):
    """Send a list action as the list's form does: each selected comment with its version."""
    versions = {f"version-{c.pk}": str(c.version) for c in comments}
    return client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": action, "_selected_action": [c.pk for c in comments], "index": 0, **versions},
        follow=True,
    )


# The read-only inlines (decisions, reports) still send their management forms.
MANAGEMENT = {
    f"{prefix}-{key}": value
    for prefix in ["decisions", "reports"]
    for key, value in [("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"), ("MAX_NUM_FORMS", "1000")]
}


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", "approved"), ("reject", "rejected"), ("mark_spam", "spam")],
)
def test_moderator_decides_and_the_decision_is_recorded(
    moderator_client, moderator, action, status
):
    article = make_article()
    comments = [make_comment(article=article, status="pending") for _ in range(2)]
    response = _act(moderator_client, action, *comments)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert re.search(r"2 comments (approved|rejected|marked as spam)\.", html)
    for comment in comments:
        comment.refresh_from_db()
        assert comment.status == status
        assert comment.decided_by == moderator
        assert comment.decided_at is not None
    article.refresh_from_db()
    assert article.comment_count == (2 if status == "approved" else 0)


def test_an_approved_comment_becomes_public(moderator_client, client):
    article = make_article()
    comment = make_comment(article=article, status="pending", body="Worth publishing.")
    assert "Worth publishing." not in client.get(article.get_absolute_url()).content.decode()
    _act(moderator_client, "approve", comment)
    client.logout()
    assert "Worth publishing." in client.get(article.get_absolute_url()).content.decode()


def test_editors_may_moderate_too(editor_client):
    comment = make_comment(article=make_article(), status="pending")
    _act(editor_client, "approve", comment)
    comment.refresh_from_db()
    assert comment.status == "approved"


def test_changing_the_status_on_the_form_records_the_decision(moderator_client, moderator):
    comment = make_comment(article=make_article(), status="pending", body="Original words.")
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    page = moderator_client.get(url)
    assert 'name="seen_version" value="0"' in page.text
    response = moderator_client.post(
        url, {"status": "rejected", "body": "Rewritten by a mod", "seen_version": "0", **MANAGEMENT}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.decided_by, comment.body) == (
        "rejected",
        moderator,
        "Original words.",
    )


def test_the_queue_lists_searches_and_filters(moderator_client, django_assert_num_queries):
    article = make_article()
    for n in range(15):
        make_comment(article=article, status="pending", body=f"Queue item {n}")
    make_comment(article=article, status="spam", body="Buy things", email="bot@example.com")
    url = reverse("admin:comments_comment_changelist")
    with django_assert_num_queries(staff("comment list")):
        assert moderator_client.get(url).status_code == 200
    html = moderator_client.get(url, {"status__exact": "spam"}).content.decode()
    assert "Buy things" in html and "Queue item" not in html
    html = moderator_client.get(url, {"q": "bot@example.com"}).content.decode()
    assert "Buy things" in html and "Queue item" not in html


@pytest.mark.parametrize("who", ["anonymous", "reader", "staff_without_group"])
def test_others_cannot_reach_the_comments_admin(client, who):
    comment = make_comment(article=make_article(), status="pending")
    if who != "anonymous":
        client.force_login(make_user(is_staff=who == "staff_without_group"))
    for url in [
        reverse("admin:comments_comment_changelist"),
        reverse("admin:comments_comment_change", args=[comment.pk]),
    ]:
        response = client.get(url)
        assert response.status_code in {302, 403}, url
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"]
    client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [comment.pk], "index": 0},
    )
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_nobody_adds_comments_through_the_admin(moderator_client):
    assert moderator_client.get(reverse("admin:comments_comment_add")).status_code == 403


def test_a_decision_from_a_stale_change_page_is_refused_with_who_decided(
    moderator_client, moderator
):
    comment = make_comment(article=make_article(), status="pending")
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    seen = re.search(r'name="seen_version" value="(\d+)"', moderator_client.get(url).text)
    colleague = make_user(group="Moderators", first_name="Ines", last_name="Duarte")
    services.comment_decide(comment=comment, status="approved", moderator=colleague)

    response = moderator_client.post(
        url, {"status": "rejected", "seen_version": seen.group(1), **MANAGEMENT}
    )
    assert response.status_code == 200, "the form comes back"
    assert "Already handled by Ines Duarte: the comment was approved." in unescape(response.text)
    comment.refresh_from_db()
    assert (comment.status, comment.decided_by) == ("approved", colleague)


def test_a_list_action_on_a_comment_handled_since_leaves_it_alone(moderator_client):
    article = make_article()
    handled, untouched = (make_comment(article=article, status="pending") for _ in range(2))
    listed = [Comment.objects.get(pk=handled.pk), Comment.objects.get(pk=untouched.pk)]
    colleague = make_user(group="Moderators", first_name="Ines", last_name="Duarte")
    services.comment_decide(comment=handled, status="approved", moderator=colleague)

    response = _act(moderator_client, "reject", *listed)
    html = unescape(response.text)
    assert "1 comment rejected." in html
    assert "Already handled by Ines Duarte: the comment was approved." in html
    assert Comment.objects.get(pk=handled.pk).status == "approved"
    assert Comment.objects.get(pk=untouched.pk).status == "rejected"


def test_a_list_action_without_the_versions_it_showed_changes_nothing(moderator_client):
    comment = make_comment(article=make_article(), status="pending")
    moderator_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [comment.pk], "index": 0},
    )
    comment.refresh_from_db()
    assert comment.status == "pending"
