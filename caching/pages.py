"""The shared page cache: readers' pages stored whole, and dropped exactly when what they show
changes.

A view names what its page shows with ``tag()``: surrogate keys such as "article-12",
"section-3" or "front", made by the domain apps (articles/cache_keys.py). The keys go out in
the ``Surrogate-Key`` header, and ``invalidate()`` drops them here and from the front caches
(Varnish with xkey) alike, so every layer forgets the same pages at once.

Only anonymous readers share pages: a request with a session cookie (staff, or a reader
whose comment awaits moderation) is answered fresh and marked private. No page is kept past
the next scheduled change (schedule.py), so a scheduled story appears on time.
"""

from functools import wraps

from django.conf import settings
from django.http import Http404
from django.utils.cache import patch_cache_control, set_response_etag
from django.views.defaults import page_not_found

from . import schedule, store

SHAREABLE_STATUSES = {200, 301, 404, 410}
# The site's name and its navigation are on every page.
EVERY_PAGE = "site"
# Every "not found" answer: whatever makes new addresses (a story, a section, a topic) drops it.
MISSING = "missing"


class Missing(Http404):
    """A 404 that names, as surrogate keys, what would make the address exist (a thread's
    key, for a page of comments past its last)."""

    def __init__(self, message, *keys):
        super().__init__(message)
        self.cache_keys = keys


def tag(response, *keys):
    """Name what the response shows, so changes to it drop the page from every cache."""
    response.cache_tags = getattr(response, "cache_tags", set()) | set(keys)
    return response


def may_share(request):
    """Return True if the answer to this request may be shared with other readers.

    Not for a reader with a session (staff, a commenter awaiting moderation), nor for a
    request with credentials (a partner's API key): its key is checked, counted and held to
    its rate on every request, so no stored answer may stand in for it.
    """
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def cache_for_readers(view):
    """Make the view's pages shareable among anonymous readers.

    The view's answer is marked here: its keys, its ETag, how long caches may keep it. The
    page cache itself is caching.middleware.PageCacheMiddleware, at the top of the stack, so
    that a stored page is answered before any other layer runs and is stored with every header
    those layers add.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_share(request):
            response = view(request, *args, **kwargs)
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        started = getattr(request, "page_cache_started", None) or store.clock()
        try:
            response = view(request, *args, **kwargs)
        except Http404 as missing:
            if settings.DEBUG:
                raise  # Django's page that says why
            # Answered here, not by Django's handler, so the 404 carries keys that drop it
            # from the front caches when the address comes to exist.
            response = page_not_found(request, missing)
            tag(response, MISSING, *getattr(missing, "cache_keys", ()))
        if getattr(response, "is_rendered", True) is False:
            response.render()  # a TemplateResponse (the sitemaps): the stored copy needs its body
        if shareable(response):
            keys = {EVERY_PAGE, *getattr(response, "cache_tags", ())}
            response["Surrogate-Key"] = " ".join(sorted(keys))
            # Stored with the page, so a hit is not hashed again for ConditionalGetMiddleware.
            set_response_etag(response)
            if settings.PAGE_CACHE_ENABLED:
                until = keep_until(request, started)
                response.page_cache_entry = {"started": started, "until": until, "tags": keys}
            else:
                until = started + settings.PAGE_CACHE_SECONDS
            mark_public(response, until)
        response["X-Cache"] = "miss"
        return response

    return wrapped


def cache_tagged(view, *keys):
    """Cache a view that does not tag its own pages (feeds, sitemaps) under the given keys."""

    @wraps(view)
    def tagged(request, *args, **kwargs):
        return tag(view(request, *args, **kwargs), *keys)

    return cache_for_readers(tagged)


def keep_until(request, started):
    """Return until when what this request makes may be kept: not past the next scheduled
    change, which is asked once per request however many parts it stores."""
    until = started + settings.PAGE_CACHE_SECONDS
    if not hasattr(request, "page_cache_next_change"):
        request.page_cache_next_change = schedule.next_change()
    return min(until, request.page_cache_next_change or until)


def shareable(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code in SHAREABLE_STATUSES
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def mark_public(response, until):
    """Let browsers keep the page a little and shared caches until it may change."""
    shared = max(0, min(settings.PAGE_CACHE_SECONDS, round(until - store.clock())))
    del response["Cache-Control"]
    patch_cache_control(
        response,
        public=True,
        max_age=min(settings.PAGE_CACHE_BROWSER_SECONDS, shared),
        s_maxage=shared,
        stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
    )
