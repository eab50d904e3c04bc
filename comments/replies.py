"""Reply emails for guest commenters: double opt-in, one email per thread an hour at most,
one-click unsubscribe (RFC 8058) and a link to mute a single conversation.

The links carry signed tokens, not ids: a token names one address (and for a mute, one
thread), so whoever holds the email can act on that address and nothing else.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from newsroom.mail import send_later
from newsroom.tasks import enqueue_after

from .models import Comment, ReplyAddress, ReplyNotice, ReplySubscription, normalise_email

CONFIRM_SALT = "comments.replies.confirm"
UNSUBSCRIBE_SALT = "comments.replies.unsubscribe"
MUTE_SALT = "comments.replies.mute"
# A confirmation link works for a week; an unsubscribe or mute link for as long as the email
# is kept: a reader may act on an old one.
CONFIRM_MAX_AGE = timedelta(days=7)
# A confirmation that was never answered is sent again, at most once a day, when the address
# asks again: never more, so the form cannot be used to flood someone else's mailbox.
CONFIRM_AGAIN_AFTER = timedelta(days=1)
THREAD_INTERVAL = timedelta(hours=1)


def _url(name, token):
    return settings.NEWSROOM_BASE_URL + reverse(name, args=[token])


def confirm_token(address):
    return signing.dumps(address.email, salt=CONFIRM_SALT, compress=True)


def unsubscribe_token(address):
    return signing.dumps(address.email, salt=UNSUBSCRIBE_SALT, compress=True)


def mute_token(address, thread_id):
    return signing.dumps([address.email, thread_id], salt=MUTE_SALT, compress=True)


def _read(token, salt, max_age=None):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # a forged, damaged or expired (SignatureExpired) link
        return None


def address_for_confirmation(token):
    email = _read(token, CONFIRM_SALT, CONFIRM_MAX_AGE)
    return ReplyAddress.objects.filter(email=email).first() if isinstance(email, str) else None


def address_for_unsubscribe(token):
    email = _read(token, UNSUBSCRIBE_SALT)
    return ReplyAddress.objects.filter(email=email).first() if isinstance(email, str) else None


def thread_for_mute(token):
    """Return (address, thread comment) named by a mute link, or (None, None)."""
    value = _read(token, MUTE_SALT)
    if not (isinstance(value, list) and len(value) == 2):
        return None, None
    email, thread_id = value
    if not (isinstance(email, str) and isinstance(thread_id, int)):
        return None, None
    address = ReplyAddress.objects.filter(email=email).first()
    thread = Comment.objects.filter(pk=thread_id).select_related("article").first()
    if address is None or thread is None:
        return None, None
    return address, thread


# Asking, confirming, stopping


def comment_subscribe(comment):
    """Record that the comment's author wants its replies; email a confirmation if needed.

    Called in the transaction that stores the comment. Nothing is recorded for a comment the
    policy took for spam or refused: its author may not own the address it gives.
    """
    if comment.status in {Comment.Status.SPAM, Comment.Status.REJECTED}:
        return None
    now = timezone.now()
    address, _ = ReplyAddress.objects.select_for_update().get_or_create(
        email=normalise_email(comment.email)
    )
    if address.unsubscribed_at:
        # Ticked again after stopping everything: a fresh request, confirmed afresh.
        address.unsubscribed_at = address.confirmed_at = address.confirmation_sent_at = None
    subscription = ReplySubscription.objects.create(comment=comment, address=address)
    waited = address.confirmation_sent_at is None or (
        now - address.confirmation_sent_at >= CONFIRM_AGAIN_AFTER
    )
    if address.confirmed_at is None and waited:
        _send_confirmation(address, comment)
        address.confirmation_sent_at = now
    address.save()
    return subscription


def _send_confirmation(address, comment):
    context = {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "headline": comment.article.headline,
        "confirm_url": _url("comments:replies_confirm", confirm_token(address)),
        "days": CONFIRM_MAX_AGE.days,
    }
    subject = f"[{settings.NEWSROOM_SITE_NAME}] Confirm that you want emails about replies"
    body = render_to_string("comments/email/reply_confirm.txt", context)
    send_later([(address.email, subject, body, None)], kind="reply-confirmation")


def address_confirm(address):
    if address.confirmed_at is None or address.unsubscribed_at is not None:
        address.confirmed_at = timezone.now()
        address.unsubscribed_at = None
        address.save(update_fields=["confirmed_at", "unsubscribed_at"])


def address_unsubscribe(address):
    """Stop every reply email to the address; what was waiting is dropped."""
    with transaction.atomic():
        if address.unsubscribed_at is None:
            address.unsubscribed_at = timezone.now()
            address.save(update_fields=["unsubscribed_at"])
        address.notices.filter(sent_at=None).delete()


def thread_mute(address, thread):
    """Stop the address's reply emails from one conversation (its other ones go on)."""
    with transaction.atomic():
        address.subscriptions.filter(comment__root=thread).update(muted_at=timezone.now())
        address.subscriptions.filter(comment=thread).update(muted_at=timezone.now())
        address.notices.filter(thread=thread, sent_at=None).delete()


# Telling


def reply_approved(reply):
    """A reply became visible: queue a notice for the author of the comment it answers."""
    subscription = (
        ReplySubscription.objects.filter(
            comment_id=reply.parent_id,
            muted_at=None,
            address__confirmed_at__isnull=False,
            address__unsubscribed_at=None,
        )
        .exclude(address__email=reply.email_normalised)
        .select_related("address")
        .first()
    )
    if subscription is None:
        return
    thread_id = reply.root_id or reply.parent_id
    _, created = ReplyNotice.objects.get_or_create(
        address=subscription.address, reply=reply, defaults={"thread_id": thread_id}
    )
    if created:
        send_notices.enqueue(subscription.address_id, thread_id)


def _last_sent(address_id, thread_id):
    return (
        ReplyNotice.objects.filter(address_id=address_id, thread_id=thread_id)
        .exclude(sent_at=None)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )


@task
def send_notices(address_id, thread_id):
    """Email the address what was replied in the thread since its last email, if an hour has
    passed since then; otherwise come back when it has."""
    with transaction.atomic():
        address = ReplyAddress.objects.select_for_update().filter(pk=address_id).first()
        if address is None:
            return "address erased"
        waiting = list(
            ReplyNotice.objects.filter(address=address, thread_id=thread_id, sent_at=None)
            .select_related("reply__article__section", "reply__parent")
            .order_by("reply__created_at", "reply__pk")
        )
        if not waiting:
            return "nothing waiting"
        now = timezone.now()
        last = _last_sent(address_id, thread_id)
        if last is not None and now - last < THREAD_INTERVAL:
            # Where tasks run at once (the tests'), the next reply after the hour takes these.
            enqueue_after(send_notices, last + THREAD_INTERVAL, address_id, thread_id)
            return "gathering until the hour is up"
        muted = not ReplySubscription.objects.filter(
            address=address, comment__in=[n.reply.parent for n in waiting], muted_at=None
        ).exists()
        replies = [n.reply for n in waiting if n.reply.status == Comment.Status.APPROVED]
        if not address.may_be_sent_replies or muted or not replies:
            ReplyNotice.objects.filter(pk__in=[n.pk for n in waiting]).delete()
            return "nothing to send"
        send_later([_reply_email(address, thread_id, replies)], kind="reply")
        ReplyNotice.objects.filter(pk__in=[n.pk for n in waiting]).update(sent_at=now)
    return f"{len(replies)} sent"


def _reply_email(address, thread_id, replies):
    article = replies[0].article
    unsubscribe = _url("comments:replies_unsubscribe", unsubscribe_token(address))
    context = {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "headline": article.headline,
        "replies": [
            {
                "name": r.name,
                "body": r.body,
                "url": settings.NEWSROOM_BASE_URL + r.get_absolute_url(),
                "to_text": r.parent.body,
            }
            for r in replies
        ],
        "mute_url": _url("comments:replies_mute", mute_token(address, thread_id)),
        "unsubscribe_url": unsubscribe,
    }
    count = len(replies)
    noun = "New reply" if count == 1 else f"{count} new replies"
    subject = f"[{settings.NEWSROOM_SITE_NAME}] {noun} to your comment on “{article.headline}”"
    body = render_to_string("comments/email/reply.txt", context)
    # RFC 8058: a mail client's "unsubscribe" button posts to this address with no cookie.
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return address.email, subject, body, headers
