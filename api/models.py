"""What the content API keeps: partners' keys, the change feed's log, and where ingested items
landed."""

import hashlib
import hmac
import secrets

from django.db import models
from django.utils import timezone

from articles.models import Article
from newsroom.fields import staff_member

# The part of a key before the dot finds its row; only a hash of the whole key is stored.
KEY_PREFIX_BYTES = 6
KEY_SECRET_BYTES = 32


def hash_key(key):
    # A key holds 256 random bits: nothing to guess, so a slow password hash would only
    # cost time on every request. SHA-256 keeps a stolen database from giving keys away.
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def usable(self):
        """Return the keys that open the API now: not revoked, not expired."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiKey(models.Model):
    """A partner's key to the content API."""

    name = models.CharField(
        max_length=120, help_text="Who holds the key and what for, e.g. “Mobile app (iOS)”."
    )
    prefix = models.CharField(max_length=2 * KEY_PREFIX_BYTES, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    rate_per_minute = models.PositiveIntegerField(
        "requests per minute",
        default=120,
        help_text="Past this many requests in a minute the API answers “429 Too Many Requests”.",
    )
    can_ingest = models.BooleanField(
        "may send stories (ingest)",
        default=False,
        help_text="The key may post ninjs items, which arrive as drafts in review.",
    )
    expires_at = models.DateTimeField(
        "expires at", null=True, blank=True, help_text="Leave empty for a key that does not expire."
    )
    revoked_at = models.DateTimeField("revoked at", null=True, blank=True, editable=False)
    use_count = models.PositiveBigIntegerField("requests", default=0, editable=False)
    last_used_at = models.DateTimeField("last used", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = staff_member(editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "API key"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def issue(self):
        """Give the key a fresh secret and return the whole key, the only time it is known."""
        self.prefix = secrets.token_hex(KEY_PREFIX_BYTES)
        key = f"{self.prefix}.{secrets.token_urlsafe(KEY_SECRET_BYTES)}"
        self.secret_hash = hash_key(key)
        return key

    def matches(self, key):
        return hmac.compare_digest(self.secret_hash, hash_key(key))

    def is_revoked(self):
        return self.revoked_at is not None

    def is_expired(self, *, now=None):
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def is_usable(self):
        """Return True if the key opens the API now (as ``usable()`` filters)."""
        return not self.is_revoked() and not self.is_expired()


class Change(models.Model):
    """One thing that happened to a story, as the change feed tells partners.

    The id is the feed's cursor: rows are only written under the change log's lock
    (api/changes.py), so ids are handed out in the order their transactions commit.
    """

    class Event(models.TextChoices):
        PUBLISHED = "published", "Published"
        CHANGED = "changed", "Changed"
        CORRECTED = "corrected", "Corrected"
        UNPUBLISHED = "unpublished", "Unpublished"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"

    # No foreign key: the record of a take-down outlives the article.
    article_id = models.BigIntegerField()
    event = models.CharField(max_length=12, choices=Event)
    happened_at = models.DateTimeField()
    # The story's address when it happened: a tombstone must say what to take down.
    path = models.CharField(max_length=400)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["article_id", "-id"], name="change_article_latest_idx")]

    def __str__(self):
        return f"#{self.pk} {self.event} article {self.article_id}"

    @property
    def is_tombstone(self):
        return self.event in TOMBSTONES


TOMBSTONES = {Change.Event.UNPUBLISHED, Change.Event.WITHDRAWN, Change.Event.EXPIRED}


class PendingChange(models.Model):
    """The next moment an article changes for readers with no save: a publish time, an
    embargo's end, an expiry, a note or live entry dated ahead. The change feed records what
    happened once that moment has passed."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    due_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"article {self.article_id} at {self.due_at:%Y-%m-%d %H:%M}"


class IngestedItem(models.Model):
    """A ninjs item a partner sent, and the draft it became."""

    uri = models.CharField(max_length=500, unique=True)
    version = models.CharField(max_length=40)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    key = models.ForeignKey(ApiKey, null=True, on_delete=models.SET_NULL, related_name="items")
    received_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.uri} v{self.version}"
