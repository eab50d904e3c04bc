"""Reply emails, through the real form: nothing before the double opt-in, an email once a reply
is approved, one-click unsubscribe (RFC 8058), a mute per conversation, one email an hour."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments import services
from comments.models import Comment, ReplyAddress, ReplyNotice, ReplySubscription
from comments.privacy import commenter_erase, commenter_export
from newsroom.models import OutgoingEmail
from tests.factories import comment_form_data, make_article, make_comment, make_user

pytestmark = pytest.mark.django_db
ADDRESS = "maria@example.org"


def _post(client, article, **fields):
    response = client.post(
        reverse("comments:post", args=[article.pk]), comment_form_data(client, article, **fields)
    )
    assert response.status_code == 303, response.content[:500]
    return Comment.objects.order_by("-pk").first()


def _approve(comment):
    services.comment_decide(
        comment=comment, status=Comment.Status.APPROVED, moderator=make_user(group="Moderators")
    )


def _link(message, name):
    path = reverse(f"comments:{name}", args=["TOKEN"]).replace("TOKEN/", "")
    return re.search(rf"https?://[^/\s]+({re.escape(path)}[^/\s]+/)", message.body).group(1)


def _subscribed_and_confirmed(client, article, mailoutbox, email=ADDRESS):
    """Post an approved comment asking for replies, and confirm the address."""
    comment = _post(client, article, email=email, notify="on", body=f"A thought from {email}.")
    _approve(comment)
    confirm = _link(mailoutbox[-1], "replies_confirm")
    assert client.post(confirm).status_code == 200
    mailoutbox.clear()
    return comment


def _reply(article, parent, status="pending", **kwargs):
    return make_comment(article=article, parent=parent, status=status, **kwargs)


def test_the_box_is_on_the_form_and_off_by_default(client, article):
    html = client.get(article.get_absolute_url()).text
    box = re.search(r'<input type="checkbox" name="notify"[^>]*>', html).group(0)
    assert "checked" not in box
    assert "Notify me of replies by email" in html


def test_nothing_but_a_confirmation_is_sent_before_the_address_confirms(
    client, article, mailoutbox
):
    comment = _post(client, article, notify="on")
    assert [m.subject for m in mailoutbox] == [
        "[Newsroom] Confirm that you want emails about replies"
    ]
    assert mailoutbox[0].to == [ADDRESS]
    _approve(comment)
    _approve(_reply(article, comment))
    assert len(mailoutbox) == 1, "no reply email before the confirmation"

    # Asking again with the next comment sends no second confirmation the same day.
    _post(client, article, notify="on", body="Another thought on the same story.")
    assert len(mailoutbox) == 1


def test_without_the_box_nothing_is_recorded_or_sent(client, article, mailoutbox):
    _post(client, article)
    assert not ReplyAddress.objects.exists()
    assert mailoutbox == []


def test_the_confirmation_link_asks_for_a_press_before_it_confirms(client, article, mailoutbox):
    _post(client, article, notify="on")
    confirm = _link(mailoutbox[0], "replies_confirm")
    page = Client().get(confirm)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert '<button type="submit" class="button">Confirm</button>' in page.text
    assert ReplyAddress.objects.get().confirmed_at is None, "opening the link confirms nothing"
    assert Client().post(confirm).status_code == 200
    assert ReplyAddress.objects.get().confirmed_at is not None


def test_an_approved_reply_is_emailed_with_its_text_a_link_and_one_click_unsubscribe(
    client, article, mailoutbox
):
    comment = _subscribed_and_confirmed(client, article, mailoutbox)
    pending = _reply(article, comment, body="Held for moderation, not news yet.")
    rejected = _reply(article, comment)
    services.comment_decide(
        comment=rejected, status=Comment.Status.REJECTED, moderator=make_user(group="Moderators")
    )
    _reply(article, comment, status="spam")
    assert mailoutbox == [], "nothing for pending, rejected or spam replies"

    _approve(pending)
    [message] = mailoutbox
    assert message.to == [ADDRESS]
    assert message.subject == f"[Newsroom] New reply to your comment on “{article.headline}”"
    assert "Held for moderation, not news yet." in message.body
    assert f"{article.get_absolute_url()}#comment-{pending.pk}" in message.body
    unsubscribe = re.fullmatch(r"<https?://[^/]+(/\S+)>", message.extra_headers["List-Unsubscribe"])
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # A mail client's button: a POST with no cookie and no CSRF token.
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        unsubscribe.group(1),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert ReplyAddress.objects.get(email=ADDRESS).unsubscribed_at is not None
    _approve(_reply(article, comment))
    assert len(mailoutbox) == 1, "nothing after unsubscribing"


def test_unsubscribing_stops_only_that_address(client, article, mailoutbox):
    maria = _subscribed_and_confirmed(client, article, mailoutbox)
    other = Client()
    tomas = _subscribed_and_confirmed(other, article, mailoutbox, email="tomas@example.org")
    _approve(_reply(article, maria))
    unsubscribe = re.search(
        r"<https?://[^/]+(/\S+)>", mailoutbox[0].extra_headers["List-Unsubscribe"]
    )
    assert Client().post(unsubscribe.group(1)).status_code == 200

    mailoutbox.clear()
    _approve(_reply(article, tomas))
    assert [m.to for m in mailoutbox] == [["tomas@example.org"]]
    assert ReplyAddress.objects.get(email="tomas@example.org").unsubscribed_at is None


def test_ones_own_reply_is_not_emailed(client, article, mailoutbox):
    comment = _subscribed_and_confirmed(client, article, mailoutbox)
    _approve(_reply(article, comment, email="Maria@Example.org"))
    assert mailoutbox == []


def test_a_newsroom_reply_is_emailed_at_once(client, article, mailoutbox):
    comment = _subscribed_and_confirmed(client, article, mailoutbox)
    services.comment_reply_as_newsroom(
        parent=comment, moderator=make_user(group="Moderators"), body="We have added the source."
    )
    assert "We have added the source." in mailoutbox[0].body


def test_muting_a_conversation_stops_it_and_leaves_the_others(client, article, mailoutbox):
    first = _subscribed_and_confirmed(client, article, mailoutbox)
    elsewhere = _post(client, make_article(), notify="on", body="On another story entirely.")
    _approve(elsewhere)
    _approve(_reply(article, first))
    mute = _link(mailoutbox[0], "replies_mute")
    assert "Mute this conversation" in Client().get(mute).text
    assert Client().post(mute).status_code == 200

    mailoutbox.clear()
    _approve(_reply(article, first))
    assert mailoutbox == [], "muted"
    _approve(_reply(elsewhere.article, elsewhere))
    assert len(mailoutbox) == 1, "the other conversation goes on"


@pytest.mark.parametrize(
    "token",
    ["nonsense", "a" * 3000, "%00", "<script>alert(1)</script>", "eyJ.forged:sig"],
)
@pytest.mark.parametrize("name", ["replies_confirm", "replies_unsubscribe", "replies_mute"])
def test_a_damaged_or_forged_link_gets_a_clear_page_and_changes_nothing(client, name, token):
    ReplyAddress.objects.create(email=ADDRESS)
    path = reverse(f"comments:{name}", args=["T"]).removesuffix("T/") + token + "/"
    for response in (client.get(path), client.post(path)):
        assert response.status_code in {400, 404}
        if response.status_code == 400:
            assert "This link is damaged or has expired" in response.text
    assert ReplyAddress.objects.filter(confirmed_at=None, unsubscribed_at=None).count() == 1


def test_a_link_signed_for_one_purpose_does_not_work_for_another(client, article, mailoutbox):
    _post(client, article, notify="on")
    confirm = _link(mailoutbox[0], "replies_confirm")
    token = confirm.rstrip("/").rsplit("/", 1)[1]
    unsubscribe = reverse("comments:replies_unsubscribe", args=[token])
    assert client.post(unsubscribe).status_code == 400
    assert ReplyAddress.objects.get().unsubscribed_at is None


def test_a_spam_comment_asks_for_nothing(client, article, mailoutbox):
    _post(client, article, notify="on", body="Best casino bonus here, click now")
    assert Comment.objects.get().status in {Comment.Status.SPAM, Comment.Status.REJECTED}
    assert not ReplyAddress.objects.exists()
    assert mailoutbox == []


def test_export_shows_and_erase_removes_the_subscriptions_and_emails(client, article, mailoutbox):
    comment = _subscribed_and_confirmed(client, article, mailoutbox)
    _approve(_reply(article, comment))
    exported = commenter_export(email=ADDRESS)
    assert exported["reply_emails"]["confirmed_at"]
    assert exported["reply_emails"]["comments"] == [{"comment_id": comment.pk, "muted_at": None}]
    assert {e["subject"] for e in exported["emails_sent"]} >= {
        "[Newsroom] Confirm that you want emails about replies"
    }

    counts = commenter_erase(email=ADDRESS)
    assert counts["reply_emails"] >= 2 and counts["emails"] == 2
    assert not ReplyAddress.objects.exists()
    assert not ReplySubscription.objects.exists()
    assert not ReplyNotice.objects.exists()
    assert not OutgoingEmail.objects.filter(to=ADDRESS).exists()


def test_replies_within_the_hour_wait_and_go_out_together(
    database_tasks, client, article, mailoutbox
):
    comment = _post(client, article, notify="on")
    _approve(comment)
    database_tasks()
    assert client.post(_link(mailoutbox[0], "replies_confirm")).status_code == 200
    mailoutbox.clear()

    _approve(_reply(article, comment, body="The first reply."))
    database_tasks()
    assert len(mailoutbox) == 1
    _approve(_reply(article, comment, body="The second reply."))
    _approve(_reply(article, comment, body="The third reply."))
    database_tasks()
    assert len(mailoutbox) == 1, "within the hour: they wait"
    waiting = DBTaskResult.objects.filter(status="READY")
    assert waiting.exists()
    assert min(t.run_after for t in waiting) > timezone.now() + timedelta(minutes=55)

    # An hour later (moved, not waited).
    ReplyNotice.objects.exclude(sent_at=None).update(sent_at=timezone.now() - timedelta(hours=1))
    waiting.update(run_after=timezone.now())
    database_tasks()
    assert len(mailoutbox) == 2
    gathered = mailoutbox[1]
    assert gathered.subject.startswith("[Newsroom] 2 new replies")
    assert "The second reply." in gathered.body and "The third reply." in gathered.body
