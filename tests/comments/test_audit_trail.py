"""The decisions on comments are the audit trail: staff cannot delete a comment, an erasure at
its author's request keeps an anonymous record of its decisions, and undoing a decision puts
back the report it cleared."""

import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles.models import Article
from comments.models import Comment, CommentDecision
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db

DESK = reverse("admin:comments_desk")


def _desk_decide(client, action, comment, **extra):
    data = {"action": action, "comment": [comment.pk], f"version-{comment.pk}": comment.version}
    return client.post(reverse("admin:comments_desk_decide"), {**data, **extra})


def _undo_url(client):
    # The undo button the desk shows after a decision.
    html = client.get(DESK).content.decode()
    return re.search(r'action="(/[^"]*/desk/undo/\d+/)"', html).group(1)


def _report(comment):
    # A reader reports it through the public form.
    response = Client().post(
        reverse("comments:report", args=[comment.pk]),
        {"reason": "abusive", "text": ""},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 303


def _in_reported_queue(client, comment):
    html = client.get(DESK, {"queue": "reported"}).content.decode()
    return f'id="card-{comment.pk}"' in html


@pytest.mark.parametrize("role", ["Moderators", "Editors", "superuser"])
def test_nobody_may_delete_a_comment_in_the_admin(client, article, role):
    user = make_user(is_superuser=True, is_staff=True) if role == "superuser" else None
    client.force_login(user or make_user(group=role))
    comment = make_comment(article=article, status="spam")
    delete_url = reverse("admin:comments_comment_delete", args=[comment.pk])

    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    listing = client.get(reverse("admin:comments_comment_changelist"))
    assert 'value="delete_selected"' not in listing.text
    # The action forged from an older page deletes nothing either.
    client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "delete_selected", "_selected_action": [comment.pk], "post": "yes"},
    )
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_an_erased_comment_leaves_an_anonymous_record_of_its_decisions(
    moderator_client, moderator, article
):
    comment = make_comment(
        article=article, status="pending", email="erase.me@example.org", body="My words."
    )
    number = comment.pk
    _desk_decide(
        moderator_client,
        "reject",
        comment,
        reason="scope_of_platform_service",
        note="Quoted them: 'My words.'",
    )

    out = StringIO()
    call_command("erase_commenter", "Erase.Me@example.org", "--yes", stdout=out)
    assert "1 comments deleted" in out.getvalue()

    assert not Comment.objects.filter(pk=number).exists()
    decision = CommentDecision.objects.get(
        comment_number=number, moderator=moderator, kind=CommentDecision.Kind.DECISION
    )
    assert decision.comment is None
    assert (decision.article, decision.from_status, decision.to_status) == (
        article,
        "pending",
        "rejected",
    )
    assert decision.reason == "scope_of_platform_service"
    assert decision.note == "", "a moderator's note may quote the comment: it goes"


def test_an_erased_comments_decision_cannot_be_undone(moderator_client, article):
    comment = make_comment(article=article, status="pending", email="gone@example.org")
    _desk_decide(moderator_client, "spam", comment)
    undo_url = _undo_url(moderator_client)
    call_command("erase_commenter", "gone@example.org", "--yes", stdout=StringIO())

    assert moderator_client.post(undo_url).status_code == 404
    assert 'action="' + undo_url not in moderator_client.get(DESK).text


def test_undo_puts_a_reported_comment_back_in_the_reported_queue(moderator_client, article):
    comment = make_comment(article=article, status="approved", body="Borderline remark.")
    _report(comment)
    assert _in_reported_queue(moderator_client, comment)

    comment.refresh_from_db()
    _desk_decide(moderator_client, "reject", comment)
    assert not _in_reported_queue(moderator_client, comment)

    response = moderator_client.post(_undo_url(moderator_client), follow=True)
    assert "is approved again and back in the Reported queue." in response.text
    comment.refresh_from_db()
    assert (comment.status, comment.is_reported) == ("approved", True)
    assert _in_reported_queue(moderator_client, comment)
    decision, undo = comment.decisions.filter(moderator__isnull=False)
    assert (decision.cleared_report, decision.undone_by, undo.cleared_report) == (True, undo, False)


def test_undo_of_a_decision_on_an_unreported_comment_leaves_it_out_of_reported(
    moderator_client, article
):
    comment = make_comment(article=article, status="pending")
    _desk_decide(moderator_client, "approve", comment)

    response = moderator_client.post(_undo_url(moderator_client), follow=True)
    assert "is pending again." in response.text
    comment.refresh_from_db()
    assert (comment.status, comment.is_reported) == ("pending", False)
    assert not _in_reported_queue(moderator_client, comment)


def test_an_article_with_comments_is_not_deleted_in_the_admin_with_them(editor_client):
    # Its comments would go, and their decisions' comments with them: withdraw it instead.
    story = make_article(headline="A story with a debate")
    make_comment(article=story)
    url = reverse("admin:articles_article_delete", args=[story.pk])

    page = unescape(editor_client.get(url).content.decode())
    assert "your account doesn't have permission to delete the following types of objects" in page
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=story.pk).exists()
