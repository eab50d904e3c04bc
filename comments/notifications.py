"""Emails to the moderators: the digest of comments waiting for a decision."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from newsroom.mail import send_later

from .models import Comment, DigestLog, DigestSchedule

# Moderation leads moderate too (newsroom/roles.py): the digest is theirs as well.
MODERATOR_GROUPS = ("Moderators", "Moderation leads")
EXCERPT_LENGTH = 200
# The window of the very first digest, when no earlier one tells where to start.
FIRST_WINDOW = timedelta(hours=24)


def digest_is_enabled():
    """Return True unless COMMENTS_DIGEST_ENABLED turns the digest off."""
    return settings.COMMENTS_DIGEST_ENABLED


def digest_recipients():
    """Return the active moderators and moderation leads who have an email address."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=MODERATOR_GROUPS)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _admin_url(comment):
    return settings.NEWSROOM_BASE_URL + reverse("admin:comments_comment_change", args=[comment.pk])


def _digest_item(comment):
    # Never the commenter's email: the digest sits in mailboxes that the admin's
    # permissions do not reach.
    return {
        "headline": comment.article.headline,
        "name": comment.name,
        "status": comment.get_status_display(),
        "created_at": comment.created_at,
        "excerpt": Truncator(" ".join(comment.body.split())).chars(EXCERPT_LENGTH),
        "reasons": [
            r["reason"]
            for r in comment.policy_reasons or []
            if isinstance(r, dict) and r.get("reason")
        ],
        "report_count": comment.report_count,
        "admin_url": _admin_url(comment),
    }


def _subject(pending, reported):
    noun = "comment" if pending == 1 else "comments"
    return f"[{settings.NEWSROOM_SITE_NAME}] {pending} {noun} to moderate, {reported} reported"


def digest_send(*, now=None):
    """Email the moderators what came in since the last digest; return its DigestLog, or None.

    None means nothing was sent: digests are off, nothing is new, or nobody would receive it.
    Two digests at the same moment (the worker's and the command's, say) cannot both send: each
    decides holding the schedule's lock, so the second sees the first one's log.
    """
    if not digest_is_enabled():
        return None
    with transaction.atomic():
        DigestSchedule.lock()
        return _digest_send_locked(now=now or timezone.now())


def _digest_send_locked(*, now):
    last_sent_at = DigestLog.objects.order_by("-sent_at").values_list("sent_at", flat=True).first()
    since = last_sent_at or now - FIRST_WINDOW

    comments = Comment.objects.select_related("article")
    pending = list(
        comments.filter(
            status=Comment.Status.PENDING, created_at__gte=since, created_at__lt=now
        ).order_by("created_at", "pk")
    )
    reported = list(
        comments.filter(
            is_reported=True, reports__created_at__gte=since, reports__created_at__lt=now
        )
        .distinct()
        .order_by("-report_count", "created_at", "pk")
    )
    if not pending and not reported:
        return None
    recipients = [user.email for user in digest_recipients()]
    if not recipients:
        return None

    context = {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "since": since,
        "until": now,
        "pending_count": len(pending),
        "reported_count": len(reported),
        "sections": [
            {"title": title, "items": [_digest_item(c) for c in section]}
            for title, section in [
                ("WAITING FOR A DECISION", pending),
                ("REPORTED BY READERS", reported),
            ]
            if section
        ],
        "queue_url": settings.NEWSROOM_BASE_URL + reverse("admin:comments_comment_changelist"),
    }
    subject = _subject(len(pending), len(reported))
    body = render_to_string("comments/email/digest.txt", context)
    # One message each, so no moderator sees the others' addresses.
    send_later([(address, subject, body, None) for address in recipients], kind="moderation-digest")

    log = DigestLog.objects.create(
        recipients=len(recipients), pending=len(pending), reported=len(reported)
    )
    # sent_at is auto_now_add; pin it to the end of the window so the next digest starts
    # exactly where this one stopped, with no gap and no overlap.
    DigestLog.objects.filter(pk=log.pk).update(sent_at=now)
    log.sent_at = now
    return log
