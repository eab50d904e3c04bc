"""The change feed's log: what happened to each story, in an order partners can page through
exactly.

Exact, under concurrent writers: every row is written while holding the change log's lock
(a PostgreSQL advisory lock, taken in the writing transaction and held to its commit), so a
row's id is handed out only after every earlier row has committed. A reader that has seen id
n can never later find a new row below n, which auto-increment ids alone would not promise:
two transactions may take ids 7 and 8 and commit 8 first. SQLite lets one transaction write
at a time, which gives the same order. The price is that writers of the log queue behind each
other for the rest of their transaction; article saves are rare enough for that.

What a partner knows decides the event: a story's last recorded event says whether partners
hold it as live. Live now and not held: "published". Held and no longer live: a tombstone
("withdrawn", "expired", or "unpublished" for any other way off the site). Held and still
live: "changed" or "corrected".

Changes that come with no save (a scheduled story coming due, an embargo ending, an expiry, a
note or entry dated ahead) are kept as the article's next due moment (PendingChange). Every
read of the feed, and every write to the log, first records what has come due, at the moment
it was due, so the feed shows them on time with no cron job.
"""

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from articles.models import Article, Correction, LiveEntry, Section

from .models import TOMBSTONES, Change, PendingChange

Event = Change.Event
LIVE_EVENTS = {Event.PUBLISHED, Event.CHANGED, Event.CORRECTED}
# Any number unique to this lock among the site's advisory locks.
_LOCK_ID = 0x6E726368  # "nrch"


def _lock():
    """Take the change log's lock until the current transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])


def _last_event(article_id):
    return (
        Change.objects.filter(article_id=article_id)
        .order_by("-pk")
        .values_list("event", flat=True)
        .first()
    )


def _gone_event(article, now):
    if article.status == Article.Status.WITHDRAWN:
        return Event.WITHDRAWN
    if article.status == Article.Status.PUBLISHED and article.is_expired(now=now):
        return Event.EXPIRED
    return Event.UNPUBLISHED


def _decide(article, now, *, held, live_event):
    is_live = article.is_published(now=now)
    if is_live and not held:
        return Event.PUBLISHED
    if is_live:
        return live_event
    if held:
        return _gone_event(article, now)
    return None


def _next_moment(article, after):
    """Return the article's next moment after ``after`` that changes it with no save."""
    if article.status != Article.Status.PUBLISHED:
        return None  # Only a published story comes or goes by itself.
    moments = [
        moment
        for moment in (article.published_at, article.embargo_until, article.expires_at)
        if moment and moment > after
    ]
    for model in (Correction, LiveEntry):
        found = model.objects.filter(article_id=article.pk, published_at__gt=after).aggregate(
            m=Min("published_at")
        )["m"]
        moments += [found] if found else []
    return min(moments, default=None)


def _reschedule(article, after):
    due = _next_moment(article, after)
    if due is None:
        PendingChange.objects.filter(article_id=article.pk).delete()
    else:
        PendingChange.objects.update_or_create(article_id=article.pk, defaults={"due_at": due})


def _path(article):
    # The saver may hold the article without its section (loaded for a list that never
    # showed it): load the section alone rather than trip a lazy load.
    if not Article.section.is_cached(article):
        article.section = Section.objects.get(pk=article.section_id)
    return article.get_absolute_url()


def _write(article, event, when):
    return Change.objects.create(
        article_id=article.pk, event=event, happened_at=when, path=_path(article)
    )


def _record_due(now):
    """Record the changes that have come due by ``now``, each at its own moment."""
    for pending in PendingChange.objects.filter(due_at__lte=now).order_by("due_at"):
        article = Article.objects.select_related("section").filter(pk=pending.article_id).first()
        if article is None:
            continue
        due = pending.due_at
        # Moments that passed together (a story coming due and expiring while nobody asked)
        # are each recorded, oldest first.
        while due is not None and due <= now:
            held = _last_event(article.pk) in LIVE_EVENTS
            corrected = Correction.objects.filter(article_id=article.pk, published_at=due).exists()
            live_event = Event.CORRECTED if corrected else Event.CHANGED
            if event := _decide(article, due, held=held, live_event=live_event):
                _write(article, event, due)
            due = _next_moment(article, due)
        _reschedule(article, now)


def record_due():
    """Record whatever has come due; cheap (one query) when nothing has."""
    now = timezone.now()
    if not PendingChange.objects.filter(due_at__lte=now).exists():
        return
    with transaction.atomic():
        _lock()
        _record_due(now)


@transaction.atomic
def record(article, *, live_event=Event.CHANGED):
    """Record what a save just did to the article for partners, if anything, and when its
    next change with no save is due. Return the Change written, or None."""
    now = timezone.now()
    _lock()
    _record_due(now)
    held = _last_event(article.pk) in LIVE_EVENTS
    event = _decide(article, now, held=held, live_event=live_event)
    written = _write(article, event, now) if event else None
    _reschedule(article, now)
    return written


@transaction.atomic
def schedule(article):
    """Note when the article next changes with no save (a note or entry dated ahead)."""
    _lock()
    _reschedule(article, timezone.now())


@transaction.atomic
def record_deleted(article):
    """Record a tombstone for a deleted article that partners hold as live."""
    _lock()
    last = Change.objects.filter(article_id=article.pk).order_by("-pk").first()
    if last is not None and last.event in LIVE_EVENTS:
        # At the address partners were last told of.
        Change.objects.create(
            article_id=article.pk,
            event=Event.UNPUBLISHED,
            happened_at=timezone.now(),
            path=last.path,
        )


def since(cursor, *, limit):
    """Return up to ``limit`` changes after the cursor, oldest first, and whether more wait."""
    record_due()
    rows = list(Change.objects.filter(pk__gt=cursor).order_by("pk")[: limit + 1])
    return rows[:limit], len(rows) > limit


__all__ = ["TOMBSTONES", "record", "record_deleted", "record_due", "schedule", "since"]
