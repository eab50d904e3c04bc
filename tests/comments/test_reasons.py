"""A refused commenter is told why, can ask for a review, and hears the outcome; every step is
in the comment's audit trail."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment, CommentDecision, ReviewRequest
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def _decide(client, comment, action, **fields):
    comment.refresh_from_db()
    data = {"action": action, "comment": comment.pk, f"version-{comment.pk}": comment.version}
    return client.post(reverse("admin:comments_desk_decide"), data | fields)


def _reject(client, comment, **fields):
    fields.setdefault("reason", "scams_and_fraud")
    return _decide(client, comment, "reject", **fields)


def _review_path(message):
    return re.search(r"https?://[^/\s]+(/comments/review/\S+/)", message.body).group(1)


@pytest.fixture
def comment(article):
    return make_comment(
        article=article,
        status="pending",
        name="Jonas",
        email="jonas@example.org",
        body="Win a free phone at my site, only today.",
    )


def _kinds(comment):
    return list(comment.decisions.values_list("kind", flat=True))


def test_a_rejection_with_a_reason_tells_the_commenter_why(moderator_client, comment, mailoutbox):
    response = _reject(
        moderator_client,
        comment,
        note="Same ring as last week",
        note_to_reader="Offers and giveaways are not allowed under our stories.",
    )
    assert response.status_code == 302
    [message] = mailoutbox
    assert message.to == ["jonas@example.org"]
    assert message.subject == f"[Newsroom] Your comment on “{comment.article.headline}”"
    assert "Why: Scams and fraud" in message.body
    assert "Offers and giveaways are not allowed under our stories." in message.body
    assert "Win a free phone at my site, only today." in message.body
    assert "Same ring as last week" not in message.body, "the internal note stays inside"
    assert "/comments/review/" in message.body
    assert _kinds(comment) == ["decision", "told"]


def test_the_setting_keeps_rejections_unexplained(moderator_client, comment, mailoutbox, settings):
    settings.COMMENTS_TELL_REJECTED_WHY = False
    _reject(moderator_client, comment)
    assert mailoutbox == []
    assert Comment.objects.get(pk=comment.pk).status == "rejected"


def test_spam_and_a_list_rejection_without_a_reason_tell_nobody(
    moderator_client, article, mailoutbox
):
    _decide(moderator_client, make_comment(article=article, status="pending"), "spam")
    plain = make_comment(article=article, status="pending")
    moderator_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "reject", "_selected_action": [plain.pk], f"version-{plain.pk}": "0"},
    )
    assert Comment.objects.get(pk=plain.pk).status == "rejected"
    assert mailoutbox == []


def test_a_rejection_from_the_change_page_with_a_reason_is_explained(
    moderator_client, comment, mailoutbox
):
    management = {
        f"{prefix}-{key}": value
        for prefix in ["decisions", "reports"]
        for key, value in [("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"), ("MAX_NUM_FORMS", "1000")]
    }
    response = moderator_client.post(
        reverse("admin:comments_comment_change", args=[comment.pk]),
        {
            "status": "rejected",
            "reason": "off_topic_typo",
            "seen_version": "0",
            **management,
        },
    )
    assert response.status_code == 200, "an unknown reason is an error on the form"
    response = moderator_client.post(
        reverse("admin:comments_comment_change", args=[comment.pk]),
        {"status": "rejected", "reason": "scope_of_platform_service", "seen_version": "0"}
        | {"note_to_reader": "Please keep to the story.", **management},
    )
    assert response.status_code == 302
    assert "Why: Off-topic or against the house rules" in mailoutbox[0].body
    assert "Please keep to the story." in mailoutbox[0].body


def test_undo_after_the_email_still_undoes_the_rejection(moderator_client, comment, mailoutbox):
    _reject(moderator_client, comment)
    decision = comment.decisions.get(kind="decision", to_status="rejected")
    response = moderator_client.post(reverse("admin:comments_desk_undo", args=[decision.pk]))
    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).status == "pending"


def test_a_review_request_reaches_the_desk_and_a_reversal_is_emailed(
    moderator_client, comment, mailoutbox
):
    _reject(moderator_client, comment)
    path = _review_path(mailoutbox[0])
    reader = Client()
    form = reader.get(path)
    assert form.status_code == 200
    assert "Win a free phone at my site, only today." in form.text
    sent = reader.post(path, {"text": "It was a joke about the phone launch in the story."})
    assert sent.status_code == 200
    assert "A moderator will look at your comment again" in sent.text

    queue = moderator_client.get(reverse("admin:comments_desk"), {"queue": "review"})
    assert "The commenter asked for a review" in queue.text
    assert "It was a joke about the phone launch in the story." in unescape(queue.text)

    mailoutbox.clear()
    _decide(moderator_client, comment, "approve", note_to_reader="Fair point, we misread it.")
    [outcome] = mailoutbox
    assert "it is now published" in outcome.body
    assert "Fair point, we misread it." in outcome.body
    assert comment.get_absolute_url() in outcome.body
    review = ReviewRequest.objects.get()
    assert review.outcome == "reversed"
    assert _kinds(comment) == ["decision", "told", "review_asked", "review", "told"]
    empty = moderator_client.get(reverse("admin:comments_desk"), {"queue": "review"})
    assert "The commenter asked for a review" not in empty.text


def test_an_upheld_refusal_is_emailed_and_the_answer_is_final(
    moderator_client, comment, mailoutbox
):
    _reject(moderator_client, comment)
    path = _review_path(mailoutbox[0])
    Client().post(path, {"text": ""})
    mailoutbox.clear()
    _reject(moderator_client, comment, note_to_reader="Links to prizes stay out.")
    [outcome] = mailoutbox
    assert "we are keeping our decision" in outcome.body
    assert "Links to prizes stay out." in outcome.body
    assert ReviewRequest.objects.get().outcome == "upheld"

    again = Client().post(path, {"text": "Please look once more."})
    assert again.status_code == 409
    assert "That answer is final." in again.text
    assert ReviewRequest.objects.count() == 1
    assert CommentDecision.objects.filter(kind="review_asked").count() == 1


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("x" * 2001, "Ensure this value has at most 2000 characters"),
        ("Look\x00again", "Null characters are not allowed"),
    ],
)
def test_a_bad_review_text_comes_back_with_an_error_and_is_kept(
    moderator_client, comment, mailoutbox, text, error
):
    _reject(moderator_client, comment)
    response = Client().post(_review_path(mailoutbox[0]), {"text": text})
    assert response.status_code == 400
    assert error in unescape(response.text)
    assert not ReviewRequest.objects.exists()


@pytest.mark.parametrize("token", ["nonsense", "1:forged:sig", "%3Cscript%3E", "x" * 3000])
def test_a_forged_review_link_is_refused(client, comment, token):
    response = client.get(f"/comments/review/{token}/")
    assert response.status_code == 400
    assert "This link is damaged or has expired" in response.text


def test_a_review_link_of_a_comment_published_since_has_nothing_to_review(
    moderator_client, comment, mailoutbox
):
    _reject(moderator_client, comment)
    path = _review_path(mailoutbox[0])
    _decide(moderator_client, comment, "approve")
    page = Client().get(path)
    assert "nothing to review" in page.text
    assert Client().post(path, {"text": "Hello"}).status_code == 409
    assert not ReviewRequest.objects.exists()


def test_export_includes_and_erase_empties_the_review_request(
    moderator_client, article, comment, mailoutbox
):
    from comments.privacy import commenter_erase, commenter_export

    make_comment(article=article, parent=comment, status="approved", body="A reply to it.")
    _reject(moderator_client, comment, note_to_reader="Not under this story, please.")
    Client().post(_review_path(mailoutbox[0]), {"text": "My own words about it."})
    [exported] = commenter_export(email="jonas@example.org")["comments"]
    assert exported["review_requests"][0]["text"] == "My own words about it."
    assert {d["note_to_reader"] for d in exported["decisions"]} >= {"Not under this story, please."}

    commenter_erase(email="jonas@example.org")
    # Kept as a placeholder for the reply under it: its trail stays, without their words.
    assert ReviewRequest.objects.get().text == ""
    assert not CommentDecision.objects.exclude(note_to_reader="").exists()
