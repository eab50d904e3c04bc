"""Prometheus metrics: what the site counts while it serves (prometheus_client).

Counters and histograms live in this process, or, with PROMETHEUS_MULTIPROC_DIR set before
the process starts, in files of that folder that every process of the machine writes (the app
server's workers, the task worker) and any of them adds up when scraped (newsroom/scrape.py).

Labels are bounded: a view is its URL name, never the path a client typed.
"""

from time import perf_counter

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from prometheus_client import Counter, Histogram, disable_created_metrics

# A "_created" series beside every counter doubles what Prometheus stores, for a time it has
# no use for (and multiprocess mode never writes them): one answer, whichever the mode.
disable_created_metrics()

REQUESTS = Counter(
    "newsroom_requests",
    "Requests answered, by view (URL name) and status.",
    ["view", "status"],
)
DURATION = Histogram(
    "newsroom_request_duration_seconds",
    "Time from the request reaching Django to its answer, by view.",
    ["view"],
    # From a page in this process's memory (under a millisecond) to a slow search.
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
PAGE_CACHE = Counter(
    "newsroom_page_cache_lookups",
    "Readers' requests looked up in the page cache, by result (hit or miss).",
    ["result"],
)
PURGES = Counter(
    "newsroom_front_cache_purges",
    "PURGE requests to the front caches (Varnish), by result (sent or failed).",
    ["result"],
)
COMMENTS = Counter(
    "newsroom_comments_posted",
    "Comments posted by readers, by outcome (published, held, spam, duplicate, or why refused).",
    ["outcome"],
)

# Made once: each series is there from the start, at 0, and a hit costs no look-up.
_PAGE_CACHE_RESULTS = {True: PAGE_CACHE.labels("hit"), False: PAGE_CACHE.labels("miss")}
_PURGE_RESULTS = {True: PURGES.labels("sent"), False: PURGES.labels("failed")}

# Answers no URL pattern chose, named for what gave them.
PAGE_CACHE_VIEW = "page_cache"
STATIC_VIEW = "static"
UNMATCHED_VIEW = "unmatched"

# Labelled children, kept so the hot path skips prometheus_client's lock around labels().
_counted = {}
_timed = {}


def record_request(view, status, seconds):
    """Count one answer of the view with this status, and how long it took."""
    key = (view, status)
    if (counter := _counted.get(key)) is None:
        counter = _counted[key] = REQUESTS.labels(view, str(status))
    if (histogram := _timed.get(view)) is None:
        histogram = _timed[view] = DURATION.labels(view)
    counter.inc()
    histogram.observe(seconds)


def answered_by(request, name):
    """Name what answered a request before any URL was resolved (the page cache, a probe)."""
    request.metrics_view = name


def page_cache_lookup(request, *, hit):
    """Count a page cache look-up; a hit is the page cache's own answer."""
    _PAGE_CACHE_RESULTS[hit].inc()
    if hit:
        answered_by(request, PAGE_CACHE_VIEW)


def front_cache_purge(*, sent):
    """Count one PURGE request to a front cache."""
    _PURGE_RESULTS[sent].inc()


def comment_outcome(outcome):
    """Count a reader's comment post by what became of it."""
    COMMENTS.labels(outcome).inc()


class RequestMetricsMiddleware:
    """Count and time every answer, by view and status. First in MIDDLEWARE, so the page
    cache's answers, which run no view, are counted too."""

    def __init__(self, get_response):
        if not settings.NEWSROOM_METRICS_ALLOWED:
            raise MiddlewareNotUsed  # no one may read them: count nothing
        self.get_response = get_response
        self.static_prefix = settings.STATIC_URL

    def __call__(self, request):
        started = perf_counter()
        response = self.get_response(request)
        record_request(self.view_name(request), response.status_code, perf_counter() - started)
        return response

    def view_name(self, request):
        if (match := request.resolver_match) is not None:
            return match.view_name
        if (name := getattr(request, "metrics_view", None)) is not None:
            return name
        # WhiteNoise answers static files before the URLs are resolved.
        return STATIC_VIEW if request.path.startswith(self.static_prefix) else UNMATCHED_VIEW
