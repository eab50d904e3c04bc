"""Live coverage: the entries a live story's page shows, and the writes editors make to them.

A coverage's page shows a fixed number of rows whatever its length: the pinned entry, one page
of the others, the latest key events, and their corrections. So 5,000 entries cost the same
queries as five (tests/articles/test_live_coverage.py pins it).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Prefetch, prefetch_related_objects
from django.utils import timezone

from newsroom.paging import page_or_404

from .models import Article, Correction, LiveEntry, LiveEntryRevision
from .revisions import record_revision

ENTRIES_PER_PAGE = 20
KEY_EVENTS_SHOWN = 10
# An updates answer brings at most this many new entries; past that, the reader reloads.
UPDATES_SHOWN = 50


@dataclass
class Coverage:
    pinned: LiveEntry | None
    page: object  # The page of entries below the pinned one, newest first.
    key_events: list
    newest_id: int  # The newest public entry's id, where the updates start from (0 if none).

    @property
    def shown(self):
        """Return the entries on this page: the pinned one first, then the page's."""
        return [*([self.pinned] if self.pinned else []), *self.page]


def _with_notes(entries):
    """Load each entry's own public corrections, in one query for them all."""
    prefetch_related_objects(
        entries,
        Prefetch("corrections", queryset=Correction.objects.public(), to_attr="public_notes"),
    )
    return entries


def coverage(request, article):
    """Return what the live story's page shows, for the page of entries the request asks for."""
    public = article.entries.public()
    pinned = public.filter(is_pinned=True).newest_first().select_related("author").first()
    others = public.newest_first().select_related("author")
    if pinned:
        others = others.exclude(pk=pinned.pk)
    page = page_or_404(request, others, per_page=ENTRIES_PER_PAGE)
    newest = [entry.pk for entry in (pinned, *page) if entry]
    if page.number > 1 or not newest:
        # Page 2 and on start below the newest; the updates still start from the top.
        newest = list(public.order_by("-pk").values_list("pk", flat=True)[:1])
    _with_notes([*([pinned] if pinned else []), *page.object_list])
    key_events = list(
        public.filter(is_key_event=True)
        .newest_first()
        .only("pk", "title", "body", "published_at")[:KEY_EVENTS_SHOWN]
    )
    return Coverage(pinned=pinned, page=page, key_events=key_events, newest_id=max(newest or [0]))


def entries_after(article, after_id):
    """Return the number of public entries newer than ``after_id`` and the newest of them."""
    newer = article.entries.public().filter(pk__gt=after_id)
    count = newer.count()
    entries = list(newer.newest_first().select_related("author")[:UPDATES_SHOWN]) if count else []
    return count, _with_notes(entries)


def next_entry_due():
    """Return when the next entry written ahead of time becomes public, or None.

    An entry with a time still to come appears on its page, and in the updates, with no save.
    """
    live = Article.objects.published().filter(is_live=True)
    return (
        LiveEntry.objects.filter(published_at__gt=timezone.now(), article__in=live)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


# Writes


def snapshot(entry):
    """Return what an entry holds as plain JSON values, for its revisions."""
    return {
        "title": entry.title,
        "body": entry.body,
        "author": entry.author.name if entry.author_id else None,
        "is_key_event": entry.is_key_event,
        "is_pinned": entry.is_pinned,
        "published_at": entry.published_at.isoformat() if entry.published_at else None,
    }


def _record(entry, *, user, note):
    LiveEntry.objects.filter(pk=entry.pk).update(version=F("version") + 1)
    entry.version = LiveEntry.objects.values_list("version", flat=True).get(pk=entry.pk)
    return LiveEntryRevision.objects.create(
        entry=entry,
        entry_number=entry.pk,
        article_id=entry.article_id,
        version=entry.version,
        created_by=user,
        note=note,
        data=snapshot(entry),
    )


@transaction.atomic
def entry_save(*, entry, user):
    """Save an entry as an editor wrote it, and keep a revision of it."""
    created = entry.pk is None
    if created:
        entry.created_by = user
        if entry.author_id is None:
            entry.author = getattr(user, "author_profile", None)
    entry.save()
    return _record(entry, user=user, note="Posted" if created else "Changed")


@transaction.atomic
def entry_delete(*, entry, user):
    """Delete an entry, keeping a last revision of what it held."""
    _record(entry, user=user, note="Deleted")
    entry.delete()


class CoverageUnchanged(Exception):
    """The coverage was already ended (or already running)."""


@transaction.atomic
def coverage_end(*, article, user):
    """End the live coverage now: the page stays, as an archive, and readers stop polling."""
    ended = Article.objects.filter(pk=article.pk, is_live=True, coverage_ended_at__isnull=True)
    now = timezone.now()
    if not ended.update(coverage_ended_at=now):
        raise CoverageUnchanged
    article.coverage_ended_at = now
    # A save of its own, so the page and every list showing its "Live" label are dropped.
    article.save(update_fields=["coverage_ended_at"])
    record_revision(article=article, user=user, note="Ended the live coverage")


@transaction.atomic
def coverage_resume(*, article, user):
    """Run an ended live coverage again."""
    resumed = Article.objects.filter(pk=article.pk, is_live=True, coverage_ended_at__isnull=False)
    if not resumed.update(coverage_ended_at=None):
        raise CoverageUnchanged
    article.coverage_ended_at = None
    article.save(update_fields=["coverage_ended_at"])
    record_revision(article=article, user=user, note="Resumed the live coverage")
