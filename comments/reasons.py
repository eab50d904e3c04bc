"""Telling a commenter why their comment was refused, and their request for a second look.

These are the statement of reasons and the appeal that the EU's Digital Services Act asks of
platforms: the category of the refusal in plain words, the moderator's note if they wrote one
for the reader, the comment itself, and a way to ask for a review; the answer to the review is
emailed too. Every step is a row of the comment's audit trail (CommentDecision.kind).
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from newsroom.mail import send_later

from .models import Comment, CommentDecision, DecisionReason, ReviewRequest

REVIEW_SALT = "comments.review"


def review_days():
    return settings.COMMENTS_REVIEW_DAYS


def review_token(comment):
    return signing.dumps(comment.pk, salt=REVIEW_SALT)


def comment_for_review(token):
    """Return the refused comment a review link names, or None if the link is bad or old."""
    try:
        pk = signing.loads(token, salt=REVIEW_SALT, max_age=timedelta(days=review_days()))
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return (
        Comment.objects.filter(pk=pk, is_newsroom=False)
        .select_related("article__section")
        .prefetch_related("reviews")
        .first()
    )


def _told(decision, note):
    CommentDecision.objects.create(
        comment=decision.comment,
        kind=CommentDecision.Kind.TOLD,
        moderator=decision.moderator,
        from_status=decision.to_status,
        to_status=decision.to_status,
        note=note,
    )


def _context(comment, decision):
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "headline": comment.article.headline,
        "name": comment.name,
        "body": comment.body,
        "created_at": comment.created_at,
        "category": DecisionReason(decision.reason).label if decision.reason else "",
        "note_to_reader": decision.note_to_reader,
    }


def tell_rejection(decision):
    """Email the commenter the reasons for a rejection, if the site tells them (a setting).

    Only for a moderator's rejection with a reason: spam gets no answer that would teach a
    robot, and the newsroom's own replies have no one to tell.
    """
    comment = decision.comment
    if not (
        settings.COMMENTS_TELL_REJECTED_WHY
        and decision.to_status == Comment.Status.REJECTED
        and decision.reason
        and not comment.is_newsroom
    ):
        return
    context = _context(comment, decision) | {
        "review_url": settings.NEWSROOM_BASE_URL
        + reverse("comments:review", args=[review_token(comment)]),
        "review_days": review_days(),
    }
    subject = f"[{settings.NEWSROOM_SITE_NAME}] Your comment on “{comment.article.headline}”"
    body = render_to_string("comments/email/rejected.txt", context)
    send_later([(comment.email, subject, body, None)], kind="comment-rejected")
    _told(decision, "The commenter was emailed the reasons and how to ask for a review.")


def open_review(comment):
    return comment.reviews.filter(outcome=ReviewRequest.Outcome.OPEN).first()


class AlreadyAsked(Exception):
    """The comment has had its review requested already: the answer to it is final."""


def review_request(*, comment, text):
    """Record the commenter's request for a review; it joins the desk's Review queue."""
    if comment.status != Comment.Status.REJECTED:
        raise AlreadyAsked("This comment is not refused any more: there is nothing to review.")
    try:
        with transaction.atomic():
            review = ReviewRequest.objects.create(comment=comment, text=text)
            CommentDecision.objects.create(
                comment=comment,
                kind=CommentDecision.Kind.REVIEW_ASKED,
                from_status=comment.status,
                to_status=comment.status,
                note=Truncator(text).chars(500) if text else "",
            )
    except IntegrityError:
        raise AlreadyAsked("A review of this comment was asked for already.") from None
    return review


def review_answered(review, decision):
    """A moderator decided on a comment whose review was asked for: that is the answer.

    Publishing it reverses the refusal; any other decision keeps it. The commenter is told.
    """
    reversed_ = decision.to_status == Comment.Status.APPROVED
    review.outcome = ReviewRequest.Outcome.REVERSED if reversed_ else ReviewRequest.Outcome.UPHELD
    review.decided_by = decision.moderator
    review.decided_at = timezone.now()
    review.save(update_fields=["outcome", "decided_by", "decided_at"])
    decision.kind = CommentDecision.Kind.REVIEW
    decision.save(update_fields=["kind"])

    comment = decision.comment
    context = _context(comment, decision) | {
        "reversed": reversed_,
        "url": settings.NEWSROOM_BASE_URL + comment.get_absolute_url(),
    }
    subject = (
        f"[{settings.NEWSROOM_SITE_NAME}] The review of your comment on "
        f"“{comment.article.headline}”"
    )
    body = render_to_string("comments/email/review_outcome.txt", context)
    send_later([(comment.email, subject, body, None)], kind="comment-review")
    _told(decision, f"The commenter was emailed the outcome of the review: {review.outcome}.")
