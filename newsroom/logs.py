"""JSON log lines, each carrying the id of the request it was written for.

With DJANGO_LOG_FORMAT=json (settings.LOGGING) every line is one JSON object: time, level,
logger, message, request_id, and the exception's traceback when there is one. The id comes
from the proxy in front when it sent a plain one in X-Request-ID (so its log and ours can be
matched), else it is made here; it goes back to the client in the same header. A contextvar
holds it while the request is served, so a line written anywhere below, by any logger, gets it.

Imported by the logging configuration while Django starts: nothing here may load models.
"""

import contextvars
import logging
import re
import uuid

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.signals import request_finished
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

HEADER = "X-Request-ID"
# What an id from outside may be: short, and nothing a log reader or a terminal could trip on.
PLAIN_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

_request_id = contextvars.ContextVar("request_id", default=None)


def current_request_id():
    """Return the id of the request being served in this context, or None."""
    return _request_id.get()


def request_id_from(header):
    """Return the id to use for a request that sent this X-Request-ID header (or None)."""
    if header and PLAIN_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Give each request an id, for its log lines and for the X-Request-ID header."""

    def __init__(self, get_response):
        if settings.NEWSROOM_LOG_FORMAT != "json":
            raise MiddlewareNotUsed  # plain log lines have no place for it
        self.get_response = get_response
        request_finished.connect(forget_request_id, dispatch_uid="newsroom-request-id")

    def __call__(self, request):
        request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID"))
        # Kept past this middleware's return, until the response is closed: Django logs each
        # 4xx and 5xx answer ("Not Found: /x") once the whole stack has answered.
        _request_id.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def forget_request_id(**kwargs):
    """Let the thread's next lines, until its next request, carry no id (request_finished)."""
    _request_id.set(None)


class RequestIdFilter(logging.Filter):
    """Put the current request's id (None outside a request) on every record."""

    def filter(self, record):
        record.request_id = _request_id.get()
        return True


def json_formatter():
    """Return the formatter of DJANGO_LOG_FORMAT=json's lines."""
    return JsonFormatter(
        "{levelname}{name}{message}{request_id}",
        style="{",
        timestamp="time",  # ISO 8601, in UTC
        rename_fields={"levelname": "level", "name": "logger", "exc_info": "exception"},
        # Django's request log passes the request object itself: its text would only repeat
        # the message's path.
        reserved_attrs=[*RESERVED_ATTRS, "request", "taskName"],
        json_ensure_ascii=False,
    )
