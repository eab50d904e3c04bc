"""A short "try again in a minute" page when the database, or Redis, cannot be reached.

Without it, a page that is not in the page cache answers 500 while PostgreSQL restarts or a
network link drops, and a reader's comment vanishes behind a generic error page. With it they
get a 503 with Retry-After, which browsers, proxies and monitors understand as temporary, and a
reader who was posting a comment is told it was not saved and given the form back, filled in.

Pages served from the page cache (caching/) need no database and go on working. With Redis
down there is no page cache, nor sessions or rate limits, and every request gets the page.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 60
DATABASE_ERRORS = (OperationalError, InterfaceError)


def _cache_errors():
    # Redis's client is there in production; a laptop's cache is a database table.
    try:
        from redis.exceptions import ConnectionError, TimeoutError
    except ImportError:
        return ()
    return (ConnectionError, TimeoutError)


# What an unreachable service raises: the database, or Redis (the page cache, the sessions and
# the rate limits), which every reader's request reads first.
SERVICE_ERRORS = DATABASE_ERRORS + _cache_errors()
# What a comment form sends, in the order the page gives it back.
COMMENT_FIELDS = ("name", "email", "website", "body", "parent", "token", "homepage")


def _comment_sent(request):
    """Return the comment form's fields if the request posted one, else None."""
    match = getattr(request, "resolver_match", None)
    if request.method != "POST" or match is None or match.view_name != "comments:post":
        return None
    try:
        posted = request.POST
    except Exception:  # an unreadable body: there is no text to give back
        return None
    return {name: posted.get(name, "") for name in COMMENT_FIELDS}


def unavailable_response(request, *, view_answered=False):
    """Return the 503 page, rendered without a request context so it runs no query.

    With view_answered, the failure came after the view had answered (saving the session,
    say): a comment may have been stored, and the page does not claim otherwise.
    """
    context = {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "comment": _comment_sent(request),
        "view_answered": view_answered,
        "action": request.path,
        "retry_minutes": max(1, RETRY_AFTER_SECONDS // 60),
    }
    response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Neither the page cache, nor Varnish, nor a browser may keep it once the database is back.
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """Answer 503 instead of 500 when a view fails because the database is unreachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, SERVICE_ERRORS):
            return None
        logger.error(
            "%s unavailable, answered 503 to %s %s: %s",
            "Database" if isinstance(exception, DATABASE_ERRORS) else "Cache (Redis)",
            request.method,
            request.path,
            exception,
            exc_info=exception,
        )
        response = unavailable_response(request)
        # Logged above with the cause; Django's own "Service Unavailable: /path" line would
        # only repeat it for every request of an outage.
        response._has_been_logged = True
        return response


def server_error(request):
    """Handle uncaught errors (handler500): a 503 for an outage, else the 500 page.

    The middleware sees what views raise; this also catches a failure in another middleware,
    such as saving the session after the view has answered, or the page cache asking Redis
    before any view runs. Django logs the error itself on this path.
    """
    error = sys.exception()
    if isinstance(error, SERVICE_ERRORS):
        return unavailable_response(request, view_answered=True)
    return defaults.server_error(request)
