"""The outbox: every email the site sends, kept until it has gone (newsroom/mail.py sends it);
and the task worker's heartbeat (newsroom/heartbeat.py)."""

from contextlib import suppress

from django.db import IntegrityError, models, transaction
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


class WorkerHeartbeat(models.Model):
    """The task worker's one row: when a worker last showed it was alive, and the beat that
    waits for one (newsroom/heartbeat.py), so that only ever one waits."""

    ONLY = 1

    beat_at = models.DateTimeField(null=True, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True)
    next_task_id = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return f"Last beat at {self.beat_at}" if self.beat_at else "No beat yet"

    @classmethod
    def lock(cls):
        """Return the row, locked until the current transaction ends (call it inside one).

        An UPDATE takes the row's write lock at once, on SQLite too (which ignores SELECT …
        FOR UPDATE), so two workers starting together queue one beat between them.
        """
        if not cls.objects.filter(pk=cls.ONLY).update(next_task_id=models.F("next_task_id")):
            with suppress(IntegrityError), transaction.atomic():
                cls.objects.create(pk=cls.ONLY)
            cls.objects.filter(pk=cls.ONLY).update(next_task_id=models.F("next_task_id"))
        return cls.objects.get(pk=cls.ONLY)
