"""The outbox: every email the site sends, kept until it has gone (newsroom/mail.py sends it)."""

from django.db import models
from django.db.models import Q


class OutgoingEmailQuerySet(models.QuerySet):
    def to_address(self, address):
        return self.filter(to__iexact=address)

    def failed(self):
        return self.filter(status=OutgoingEmail.Status.FAILED)


class OutgoingEmail(models.Model):
    """One message to one address.

    The row is written in the transaction that causes the email, beside its task, so a commit
    that happened always has its email and a rollback never sends one; the worker sends it,
    retrying a failed send with a growing wait, and the row keeps the last error for staff.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, no more attempts"

    kind = models.SlugField(
        max_length=40, help_text="What the email is for, e.g. moderation-digest or reply."
    )
    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "outgoing email"
        indexes = [
            models.Index(
                fields=["status", "created_at"],
                name="outgoing_email_unsent",
                condition=~Q(status="sent"),
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"
