"""Live coverage: an article whose page is a run of short, timestamped entries, newest first."""

from django.db import models
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField

from newsroom.fields import staff_member
from richtext.editor import BODY_EDITOR_EXTENSIONS
from richtext.sanitize import sanitize_body

from .stories import Article
from .taxonomy import Author


class LiveEntryQuerySet(models.QuerySet):
    def public(self):
        """Return the entries readers see: those whose time has come."""
        return self.filter(published_at__lte=timezone.now())

    def newest_first(self):
        return self.order_by("-published_at", "-pk")


class LiveEntry(models.Model):
    """One update of a live coverage."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="entries")
    title = models.CharField(
        max_length=120,
        blank=True,
        help_text="A few words for the key events list and for sharing; optional.",
    )
    body = ProseEditorField(extensions=BODY_EDITOR_EXTENSIONS, sanitize=sanitize_body)
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="live_entries"
    )
    is_key_event = models.BooleanField(
        "key event", default=False, help_text="Listed at the top of the page as a key event."
    )
    is_pinned = models.BooleanField(
        "pinned", default=False, help_text="Kept at the top of the page, above the newest."
    )
    published_at = models.DateTimeField("time", default=timezone.now)
    created_by = staff_member(editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Goes up by one with every kept revision, as an article's does.
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "live entry"
        verbose_name_plural = "live entries"
        indexes = [
            models.Index(fields=["article", "-published_at", "-id"], name="live_entry_newest_idx")
        ]

    def __str__(self):
        return self.title or f"Entry {self.pk} of “{self.article}”"

    def save(self, *args, **kwargs):
        # As for article bodies: whatever wrote it, the allow-list holds.
        self.body = sanitize_body(self.body or "")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#entry-{self.pk}"


class LiveEntryRevision(models.Model):
    """What an entry held after an editor added, changed or deleted it, and who did."""

    # Kept when the entry goes: its number and article say which one it was.
    entry = models.ForeignKey(
        LiveEntry, null=True, on_delete=models.SET_NULL, related_name="revisions"
    )
    entry_number = models.PositiveBigIntegerField()
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = staff_member(blank=False)
    note = models.CharField(max_length=200, blank=True)
    data = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "live entry revision"

    def __str__(self):
        return f"Entry {self.entry_number} — revision {self.version}"
