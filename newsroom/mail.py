"""Email goes out through the outbox and the task worker, never from the request that causes it.

``send_later()`` stores each message as an OutgoingEmail and queues its delivery in the same
transaction: with the database task backend, the worker sees both once the transaction commits,
and neither if it rolls back. A failed send is tried again after a growing wait; after the last
attempt the row stays "failed" with its error, for staff to see and send again.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from .models import OutgoingEmail
from .tasks import enqueue_after


def send_later(messages, *, kind):
    """Queue one email per (to, subject, body, headers) in ``messages``; return the rows."""
    with transaction.atomic():
        rows = OutgoingEmail.objects.bulk_create(
            OutgoingEmail(kind=kind, to=to, subject=subject, body=body, headers=headers or {})
            for to, subject, body, headers in messages
        )
        for row in rows:
            deliver.enqueue(row.pk)
    return rows


def retry_wait(attempts):
    """How long to wait after the given number of failed attempts: 1, 4, 16, 64 minutes…"""
    return timedelta(seconds=settings.EMAIL_RETRY_FIRST_WAIT_SECONDS * 4 ** (attempts - 1))


def send_again(rows):
    """Queue failed emails once more, with their attempts counted afresh; return how many."""
    count = 0
    with transaction.atomic():
        for row in rows.select_for_update().exclude(status=OutgoingEmail.Status.SENT):
            row.status = OutgoingEmail.Status.QUEUED
            row.attempts = 0
            row.next_attempt_at = None
            row.save(update_fields=["status", "attempts", "next_attempt_at"])
            deliver.enqueue(row.pk)
            count += 1
    return count


def _message(row):
    return EmailMessage(row.subject, row.body, to=[row.to], headers=row.headers)


@task
def deliver(email_id):
    """Send one queued email; on failure, queue the next attempt or give up with the error."""
    with transaction.atomic():
        row = (
            OutgoingEmail.objects.select_for_update()
            .filter(pk=email_id, status=OutgoingEmail.Status.QUEUED)
            .first()
        )
        if row is None:
            # Sent already (a duplicate task) or erased at the reader's request.
            return "nothing to send"
        row.attempts += 1
        try:
            mailers.default.send_messages([_message(row)])
        except Exception as error:  # whatever the mail server or the network did: try again
            row.last_error = f"{type(error).__name__}: {error}"[:2000]
            if row.attempts >= settings.EMAIL_ATTEMPTS:
                row.status = OutgoingEmail.Status.FAILED
                row.next_attempt_at = None
            else:
                row.next_attempt_at = timezone.now() + retry_wait(row.attempts)
            row.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            if row.status == OutgoingEmail.Status.QUEUED:
                # Where tasks run at once (the tests'), the next attempt follows straight away.
                enqueue_after(deliver, row.next_attempt_at, row.pk)
            return f"attempt {row.attempts} failed"
        row.status = OutgoingEmail.Status.SENT
        row.sent_at = timezone.now()
        row.next_attempt_at = None
        row.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at"])
    return "sent"
