"""Writes on comments: the readers' submissions and the moderators' decisions."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models import Article

from . import digest_schedule, policy, reasons, replies
from .models import (
    MAX_DEPTH,
    STATUS_DONE,
    Comment,
    CommentDecision,
    Commenter,
    body_fingerprint,
    normalise_email,
)


def article_refresh_comment_count(*, article_ids):
    """Recount the approved comments of the given articles from the comments table."""
    approved = (
        Comment.objects.approved()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Article.objects.filter(pk__in=set(article_ids)).update(
        comment_count=Coalesce(Subquery(approved), 0)
    )


def submission_key(data):
    """Return what identifies one submission: the form's token, who sent it and what.

    The token alone is not enough: a cached page gives every reader the same form, token
    and all. A double click sends the same token, email and text, and is stored once.
    """
    parts = [data["token"], normalise_email(data["email"]), body_fingerprint(data["body"])]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def comment_find_submitted(data):
    """Return the comment already stored from this very submission, if any."""
    return Comment.objects.filter(submission_token=submission_key(data)).first()


def comment_submit(*, article, data, ip_address, user_agent):
    """Store a reader's comment with the policy's decision; return (comment, created).

    A second submission of the same form by the same reader returns the first, uncreated.
    """
    if existing := comment_find_submitted(data):
        return existing, False
    parent = data.get("parent")
    verdict = policy.assess(
        policy.Submission(
            article=article,
            name=data["name"],
            email=data["email"],
            website=data.get("website", ""),
            body=data["body"],
            ip_address=ip_address,
            honeypot=data.get("homepage", ""),
        )
    )
    comment = Comment(
        article=article,
        parent=parent,
        name=data["name"],
        email=data["email"],
        website=data.get("website", ""),
        body=data["body"],
        ip_address=ip_address,
        user_agent=user_agent[:500],
        status=verdict.status,
        policy_status=verdict.status,
        policy_reasons=verdict.reasons(),
        submission_token=submission_key(data),
    )
    try:
        with transaction.atomic():
            comment.save()
            CommentDecision.objects.create(comment=comment, to_status=verdict.status)
            if data.get("notify"):
                replies.comment_subscribe(comment)
            if comment.status == Comment.Status.PENDING:
                # Work for the moderators: their digest must be on the worker's schedule.
                transaction.on_commit(digest_schedule.digest_schedule_start, robust=True)
    except IntegrityError:
        # The same form arrived twice at once; the other request stored it.
        return Comment.objects.get(submission_token=submission_key(data)), False
    return comment, True


class AlreadyHandled(Exception):
    """A decision on a comment that changed since the moderator loaded it."""

    def __init__(self, comment, decision):
        self.comment = comment
        self.decision = decision
        who = "the moderation policy"
        if decision and decision.moderator:
            who = decision.moderator.get_full_name() or decision.moderator.get_username()
        super().__init__(
            f"Already handled by {who}: the comment was {STATUS_DONE[comment.status]}."
        )


def _last_decision(comment):
    return comment.decisions.decisions().select_related("moderator").last()


@transaction.atomic
def comment_decide(
    *,
    comment,
    status,
    moderator,
    expected_version=None,
    reason="",
    note="",
    note_to_reader="",
    reported=False,
):
    """Give the comment a moderator's status and record the decision; return the decision.

    With expected_version (the version the moderator saw), a comment changed since by someone
    else is left alone and AlreadyHandled is raised: nothing is overwritten. A decision takes
    the comment out of the Reported queue, unless ``reported`` leaves it there (the readers'
    reports hid it) or puts it back (an undo). A comment that is no longer approved stops
    being featured. A decision on a comment whose review was asked for answers the review; a
    rejection with a reason is explained to the commenter (comments/reasons.py).
    """
    locked = (
        Comment.objects.select_for_update(of=("self",)).select_related("article").get(pk=comment.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise AlreadyHandled(locked, _last_decision(locked))
    decision = CommentDecision.objects.create(
        comment=locked,
        moderator=moderator,
        from_status=locked.status,
        to_status=status,
        reason=reason,
        note=note,
        note_to_reader=note_to_reader,
        cleared_report=locked.is_reported and not reported,
    )
    locked.status = status
    locked.version += 1
    locked.is_reported = reported
    locked.decided_by = moderator
    locked.decided_at = decision.created_at
    fields = ["status", "version", "is_reported", "decided_by", "decided_at"]
    if status != Comment.Status.APPROVED and locked.featured_at:
        locked.featured_at = locked.featured_by = None
        fields += ["featured_at", "featured_by"]
    locked.save(update_fields=fields)
    if review := reasons.open_review(locked):
        reasons.review_answered(review, decision)
    else:
        reasons.tell_rejection(decision)
    return decision


def comments_decide_bulk(*, comments, status, moderator, reason="", note="", note_to_reader=""):
    """Decide on every given comment that is not already in that status; return how many."""
    changed = 0
    for comment in comments.exclude(status=status).order_by("pk"):
        comment_decide(
            comment=comment,
            status=status,
            moderator=moderator,
            reason=reason,
            note=note,
            note_to_reader=note_to_reader,
        )
        changed += 1
    return changed


@transaction.atomic
def decision_undo(*, decision, moderator):
    """Put the comment back as it was before the decision; return the undoing decision.

    The comment gets its status back, and its place in the Reported queue if the decision took
    it out. Only the comment's latest decision can be undone; after anyone's later decision
    the undo is refused with AlreadyHandled.
    """
    comment = Comment.objects.select_for_update().get(pk=decision.comment_id)
    latest = _last_decision(comment)
    if latest.pk != decision.pk or decision.undone_by_id:
        raise AlreadyHandled(comment, latest)
    undo = comment_decide(
        comment=comment,
        status=decision.from_status or Comment.Status.PENDING,
        moderator=moderator,
        expected_version=comment.version,
        note=f"Undid the decision of {decision.created_at:%Y-%m-%d %H:%M}.",
        reported=decision.cleared_report,
    )
    decision.undone_by = undo
    decision.save(update_fields=["undone_by"])
    return undo


def comment_reply_as_newsroom(*, parent, moderator, body):
    """Publish the newsroom's answer to a reader's comment; return it."""
    reply = Comment.objects.create(
        article=parent.article,
        parent=parent if parent.depth < MAX_DEPTH else parent.parent,
        name=settings.NEWSROOM_SITE_NAME,
        email=settings.DEFAULT_FROM_EMAIL,
        body=body,
        status=Comment.Status.APPROVED,
        is_newsroom=True,
        decided_by=moderator,
        decided_at=timezone.now(),
    )
    CommentDecision.objects.create(
        comment=reply, moderator=moderator, to_status=Comment.Status.APPROVED, note="Reply"
    )
    return reply


@transaction.atomic
def commenter_set_standing(*, email, standing, moderator, days=None, reject_all=False):
    """Set how the policy treats a commenter; return (commenter, comments rejected).

    With reject_all, every pending and approved comment of theirs is rejected too.
    """
    until = (
        timezone.now() + timedelta(days=days) if standing == Commenter.Standing.SUSPENDED else None
    )
    commenter, _ = Commenter.objects.update_or_create(
        email=normalise_email(email),
        defaults={"standing": standing, "suspended_until": until, "updated_by": moderator},
    )
    rejected = 0
    if reject_all:
        rejected = comments_decide_bulk(
            comments=Comment.objects.by_email(email).filter(
                status__in=[Comment.Status.PENDING, Comment.Status.APPROVED]
            ),
            status=Comment.Status.REJECTED,
            moderator=moderator,
            note=f"Rejected with all their comments: {commenter.get_standing_display().lower()}.",
        )
    return commenter, rejected


class NotFeaturable(Exception):
    """Only an approved comment can be featured: readers see no other."""


@transaction.atomic
def comment_feature(*, comment, moderator, featured=True):
    """Feature the comment (shown first on its article's page) or stop featuring it; return
    True if that changed anything. Raise NotFeaturable for a comment that is not approved."""
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if featured and locked.status != Comment.Status.APPROVED:
        raise NotFeaturable(
            f"Only an approved comment can be featured; this one is {locked.status}."
        )
    if bool(locked.featured_at) == featured:
        return False
    locked.featured_at = timezone.now() if featured else None
    locked.featured_by = moderator if featured else None
    # Saved with the comment's signals: the article's cached thread is dropped (signals.py).
    locked.save(update_fields=["featured_at", "featured_by"])
    comment.featured_at, comment.featured_by = locked.featured_at, locked.featured_by
    return True
