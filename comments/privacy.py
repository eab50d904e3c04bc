"""A commenter's rights over their data: a copy of everything stored about them, and erasure."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from newsroom.models import OutgoingEmail

from .models import (
    Comment,
    CommentDecision,
    Commenter,
    CommenterNote,
    PrivacyRequest,
    ReplyAddress,
    ReplySubscription,
    ReviewRequest,
    email_hash,
    normalise_email,
)
from .services import article_refresh_comment_count

PLACEHOLDER_NAME = "Removed"
PLACEHOLDER_BODY = "This comment was removed at its author's request."
NEWSROOM_ADDRESS_REFUSED = (
    "{email} is the newsroom's own address: its replies to readers are stored under it. "
    "It cannot be erased as a commenter's."
)


class ErasureRefused(Exception):
    """An erasure that must not happen: the newsroom's own address."""


def is_newsroom_address(email):
    """Return True for the address the newsroom's replies are stored under."""
    return normalise_email(email) == normalise_email(settings.DEFAULT_FROM_EMAIL)


def _iso(value):
    return value.isoformat() if value else None


def _comments_of(email):
    return Comment.objects.by_email(email)


def _commenters_of(email):
    # Stored in lower case; iexact as well, for rows written before that rule.
    return Commenter.objects.filter(email__iexact=normalise_email(email))


def _notes_of(email):
    return CommenterNote.objects.filter(email__iexact=normalise_email(email))


def _reply_address_of(email):
    return ReplyAddress.objects.filter(email=normalise_email(email))


def _emails_to(email):
    return OutgoingEmail.objects.to_address(normalise_email(email))


def commenter_is_known(*, email):
    """Return True if anything is stored for the email: a comment, a standing, a moderator's
    note, a request for reply emails, or an email sent to it."""
    return any(
        query.exists()
        for query in (
            _comments_of(email),
            _commenters_of(email),
            _notes_of(email),
            _reply_address_of(email),
            _emails_to(email),
        )
    )


def commenter_summary(*, email):
    """Return how much is stored about the address, by kind: what the privacy page shows
    before an export or an erasure, and what the audit record of an export keeps."""
    return {
        "comments": _comments_of(email).count(),
        "notes": _notes_of(email).count(),
        "standing": _commenters_of(email).count(),
        "reply_emails": ReplySubscription.objects.filter(
            address__in=_reply_address_of(email)
        ).count(),
        "emails": _emails_to(email).count(),
    }


def _reply_emails_data(email):
    address = _reply_address_of(email).prefetch_related("subscriptions").first()
    if address is None:
        return None
    return {
        "asked_at": _iso(address.created_at),
        "confirmation_sent_at": _iso(address.confirmation_sent_at),
        "confirmed_at": _iso(address.confirmed_at),
        "unsubscribed_at": _iso(address.unsubscribed_at),
        "comments": [
            {"comment_id": s.comment_id, "muted_at": _iso(s.muted_at)}
            for s in address.subscriptions.all()
        ],
    }


def _comment_data(comment):
    article = comment.article
    return {
        "id": comment.pk,
        "article": {
            "headline": article.headline,
            "url": settings.NEWSROOM_BASE_URL + article.get_absolute_url(),
        },
        "parent_id": comment.parent_id,
        "name": comment.name,
        "email": comment.email,
        "website": comment.website,
        "body": comment.body,
        "status": comment.status,
        "created_at": _iso(comment.created_at),
        "ip_address": comment.ip_address,
        "user_agent": comment.user_agent,
        "policy_status": comment.policy_status,
        "policy_reasons": comment.policy_reasons,
        "report_count": comment.report_count,
        "featured_at": _iso(comment.featured_at),
        # The audit trail without the moderators: who decided is staff data, not theirs.
        "decisions": [
            {
                "kind": decision.kind,
                "from_status": decision.from_status,
                "to_status": decision.to_status,
                "reason": decision.reason,
                "note": decision.note,
                "note_to_reader": decision.note_to_reader,
                "created_at": _iso(decision.created_at),
            }
            for decision in comment.decisions.all()
        ],
        "review_requests": [
            {"text": review.text, "created_at": _iso(review.created_at), "outcome": review.outcome}
            for review in comment.reviews.all()
        ],
    }


def _commenter_data(commenter):
    return {
        "email": commenter.email,
        "standing": commenter.standing,
        "suspended_until": _iso(commenter.suspended_until),
        "updated_at": _iso(commenter.updated_at),
    }


def commenter_export(*, email):
    """Return everything stored about the commenter with this email, ready for JSON."""
    comments = (
        _comments_of(email)
        .select_related("article__section")
        .prefetch_related("decisions", "reviews")
        .order_by("created_at", "pk")
    )
    commenter = _commenters_of(email).first()
    return {
        "email": normalise_email(email),
        "exported_at": _iso(timezone.now()),
        "comments": [_comment_data(comment) for comment in comments],
        "commenter": _commenter_data(commenter) if commenter else None,
        "notes": [
            {"text": note.text, "created_at": _iso(note.created_at)}
            for note in _notes_of(email).order_by("created_at", "pk")
        ],
        "reply_emails": _reply_emails_data(email),
        "emails_sent": [
            {
                "subject": sent.subject,
                "body": sent.body,
                "status": sent.status,
                "created_at": _iso(sent.created_at),
                "sent_at": _iso(sent.sent_at),
            }
            for sent in _emails_to(email).order_by("created_at", "pk")
        ],
    }


def _erasable(comments):
    """Return the pks of the comments that can go without taking anyone else's reply along."""
    theirs = {c.pk for c in comments}
    replies = {}
    for parent_id, pk in Comment.objects.filter(parent_id__in=theirs).values_list(
        "parent_id", "pk"
    ):
        replies.setdefault(parent_id, set()).add(pk)
    # Deleting a comment deletes its replies (parent and root cascade), so one of theirs may
    # go only once every reply under it goes too: settle from the leaves upwards.
    erasable = set()
    changed = True
    while changed:
        changed = False
        for pk in theirs - erasable:
            if replies.get(pk, set()) <= erasable:
                erasable.add(pk)
                changed = True
    return erasable


@transaction.atomic
def commenter_erase(*, email):
    """Erase what is stored about the commenter; return how many rows of each kind went.

    Raise ErasureRefused for the newsroom's own address, which would take its replies along.
    """
    if is_newsroom_address(email):
        raise ErasureRefused(NEWSROOM_ADDRESS_REFUSED.format(email=normalise_email(email)))
    comments = list(_comments_of(email).select_related("parent"))
    article_ids = {c.article_id for c in comments}
    erasable = _erasable(comments)

    # Their decisions stay as an anonymous record (the comment's number, its article, who
    # decided what and when); a moderator's note may quote the comment, so it goes.
    CommentDecision.objects.filter(comment__in=erasable).update(note="", note_to_reader="")
    Comment.objects.filter(pk__in=erasable).delete()
    placeholders = [c for c in comments if c.pk not in erasable]
    for comment in placeholders:
        comment.name = PLACEHOLDER_NAME
        comment.email = f"erased-{comment.pk}@invalid.example"
        comment.website = ""
        comment.body = PLACEHOLDER_BODY
        comment.ip_address = None
        comment.user_agent = ""
        comment.policy_reasons = []
        # A placeholder is nothing to show first.
        comment.featured_at = comment.featured_by = None
        # save() derives email_normalised and body_fingerprint from the new values.
        comment.save(
            update_fields=[
                "name",
                "email",
                "email_normalised",
                "website",
                "body",
                "body_fingerprint",
                "ip_address",
                "user_agent",
                "policy_reasons",
                "featured_at",
                "featured_by",
            ]
        )
    # The decisions stay as the audit trail; a moderator's note may quote the comment.
    CommentDecision.objects.filter(comment__in=placeholders).update(note="", note_to_reader="")
    # A request for a review is the commenter's own words; its outcome stays with the trail.
    ReviewRequest.objects.filter(comment__in=placeholders).update(text="")

    notes, _ = _notes_of(email).delete()
    commenter, _ = _commenters_of(email).delete()
    # The request for reply emails goes with its subscriptions and waiting notices; so do the
    # emails to the address, sent or waiting (a waiting one is then never sent).
    reply_records, _ = _reply_address_of(email).delete()
    emails, _ = _emails_to(email).delete()
    article_refresh_comment_count(article_ids=article_ids)
    return {
        "deleted": len(erasable),
        "anonymised": len(placeholders),
        "notes": notes,
        "commenter": commenter,
        "reply_emails": reply_records,
        "emails": emails,
    }


def privacy_request_record(*, kind, email, user, counts):
    """Keep the audit record of an export or an erasure: the address only as its hash."""
    return PrivacyRequest.objects.create(
        kind=kind, email_sha256=email_hash(email), handled_by=user, counts=counts
    )


@transaction.atomic
def commenter_export_on_request(*, email, user):
    """Return the commenter's export, with the audit record of it kept."""
    counts = commenter_summary(email=email)
    privacy_request_record(kind=PrivacyRequest.Kind.EXPORT, email=email, user=user, counts=counts)
    return commenter_export(email=email)


@transaction.atomic
def commenter_erase_on_request(*, email, user):
    """Erase the commenter and keep the audit record of it; return what went."""
    counts = commenter_erase(email=email)
    privacy_request_record(kind=PrivacyRequest.Kind.ERASE, email=email, user=user, counts=counts)
    return counts
