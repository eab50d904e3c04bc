"""The shared page cache: readers' pages stored whole, and dropped exactly when what they show
changes.

A page is tagged with what it shows ("article-12", "section-3", "topic-7", "front", …). A
change records, per tag, the time it happened (``invalidate()``, after the transaction
commits); a stored page is served only if none of its tags changed after the request that
made it began. The same tags go out in the ``Surrogate-Key`` header, and to the front caches
(Varnish with xkey) as purges, so every layer forgets the same pages at once.

Only anonymous readers share pages: a request with a session cookie (staff, or a reader
whose comment awaits moderation) is answered fresh and marked private. A scheduled article
appears on time because no page is kept past the next scheduled publication.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag

SHAREABLE_STATUSES = {200, 301, 404, 410}
EVERY_PAGE = "site"  # the navigation and the site's name are on every page
_PAGE = "page-cache:page:"
_TAG = "page-cache:tag:"
_NEXT_PUBLICATION = "page-cache:next-publication"


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def tag(response, *tags):
    """Name what the response shows, so changes to it drop the page from every cache."""
    response.cache_tags = getattr(response, "cache_tags", set()) | set(tags)
    return response


def may_share(request):
    """Return True if the answer to this request may be shared with other readers."""
    return request.method in ("GET", "HEAD") and (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def cache_for_readers(view):
    """Serve the view's pages from the shared cache to anonymous readers."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_share(request):
            response = view(request, *args, **kwargs)
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        key = _page_key(request)
        enabled = settings.PAGE_CACHE_ENABLED
        if enabled and (response := _lookup(key)) is not None:
            response["X-Cache"] = "hit"
            return response
        started = _clock()
        response = view(request, *args, **kwargs)
        if getattr(response, "is_rendered", True) is False:
            response.render()  # a TemplateResponse (the sitemaps): the stored copy needs its body
        if _shareable(response):
            tags = {EVERY_PAGE, *getattr(response, "cache_tags", ())}
            response["Surrogate-Key"] = " ".join(sorted(tags))
            # Stored with the page, so a hit is not hashed again for ConditionalGetMiddleware.
            set_response_etag(response)
            if enabled:
                until = _store(key, response, tags, started)
            else:
                until = started + settings.PAGE_CACHE_SECONDS
            _mark_public(response, until)
        response["X-Cache"] = "miss"
        return response

    return wrapped


def cache_tagged(view, *tags):
    """Cache a view that does not tag its own pages (feeds, sitemaps) under the given tags."""

    @wraps(view)
    def tagged(request, *args, **kwargs):
        return tag(view(request, *args, **kwargs), *tags)

    return cache_for_readers(tagged)


def invalidate(*tags):
    """Drop every cached page showing any of these, once the current transaction commits."""
    _pending_tags().update(tags)
    # Many calls in one transaction make one flush: the first takes every tag, the rest none.
    # After a rollback the tags wait for the next commit: an extra refresh, never a stale page.
    transaction.on_commit(_flush_pending)


# Storing and finding pages


def _page_key(request):
    query = sorted((key, value) for key, values in request.GET.lists() for value in values)
    raw = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return _PAGE + hashlib.sha256(raw.encode()).hexdigest()


def _shareable(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code in SHAREABLE_STATUSES
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _store(key, response, tags, started):
    """Keep the response; return until when it may be served."""
    until = min(started + settings.PAGE_CACHE_SECONDS, _next_publication() or float("inf"))
    cache = _cache()
    # A tag seen for the first time gets a record now: one missing later was evicted, and
    # then nothing tagged with it can be trusted.
    for name in tags:
        cache.add(_TAG + name, 0.0, timeout=None)
    entry = {
        "started": started,
        "until": until,
        "tags": sorted(tags),
        "status": response.status_code,
        "headers": list(response.items()),
        "content": response.content,
    }
    cache.set(key, entry, timeout=max(1, round(until - _clock())))
    return until


def _lookup(key):
    cache = _cache()
    entry = cache.get(key)
    if entry is None or _clock() >= entry["until"]:
        return None
    changed = cache.get_many([_TAG + name for name in entry["tags"]])
    if len(changed) < len(entry["tags"]):
        return None
    if any(moment >= entry["started"] for moment in changed.values()):
        return None
    response = HttpResponse(entry["content"], status=entry["status"])
    for header, value in entry["headers"]:
        response[header] = value
    _mark_public(response, entry["until"])
    return response


def _mark_public(response, until):
    """Let browsers keep the page a little and shared caches until it may change."""
    shared = max(0, min(settings.PAGE_CACHE_SECONDS, round(until - _clock())))
    del response["Cache-Control"]
    patch_cache_control(
        response,
        public=True,
        max_age=min(settings.PAGE_CACHE_BROWSER_SECONDS, shared),
        s_maxage=shared,
        stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
    )


def _next_publication():
    """Return the timestamp of the next scheduled publication, or None."""
    cache = _cache()
    known = cache.get(_NEXT_PUBLICATION, default=False)
    if known is not False and (known is None or known > _clock()):
        return known
    from .models import Article  # the models module imports this one's invalidate()

    due = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    moment = due.timestamp() if due else None
    cache.set(_NEXT_PUBLICATION, moment, timeout=None)
    return moment


def _clock():
    # One clock for publish times and cache times, so a test can move both at once.
    return timezone.now().timestamp()


# Invalidation, batched per transaction


def _pending_tags():
    connection = transaction.get_connection()
    if not hasattr(connection, "page_cache_pending"):
        connection.page_cache_pending = set()
    return connection.page_cache_pending


def _flush_pending():
    connection = transaction.get_connection()
    tags, connection.page_cache_pending = connection.page_cache_pending, set()
    if not tags:
        return
    now = _clock()
    cache = _cache()
    cache.set_many({_TAG + name: now for name in tags}, timeout=None)
    cache.delete(_NEXT_PUBLICATION)
    from .front_cache import purge_front_caches

    purge_front_caches(sorted(tags))
