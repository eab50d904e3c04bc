"""The page cache's door: stored pages go out before any other layer of the site runs.

High in MIDDLEWARE, under only the request's id, its metrics and the operators' probes. A
reader's request is looked up here, by its address, and a stored page is answered at once: no
session, no URL resolving, no view. A page the site has just made is stored here too, on its
way out, once every other layer has added its headers (the security policy, the ETag, the
cache lifetimes), so that a stored page goes out exactly as it was made. Which pages may be
stored is the views' say (pages.cache_for_readers marks them).
"""

import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from newsroom import metrics

from . import store
from .pages import mark_public, may_share, shareable


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (settings.PAGE_CACHE_ENABLED and may_share(request)):
            return self.get_response(request)
        name = page_name(request)
        entry = store.get(name)
        metrics.page_cache_lookup(request, hit=entry is not None)
        if entry is not None:
            return _answer(request, entry)
        # Pages are checked against changes made after their request began.
        request.page_cache_started = store.clock()
        response = self.get_response(request)
        entry = getattr(response, "page_cache_entry", None)
        shared = entry is not None and shareable(response)
        if shared and not store.put(name, _entry(response, entry), until=entry["until"]):
            # Something it shows changed while it was made, and that change's purge has gone
            # out already: a front cache may hand it out once more while it fetches it again,
            # but must not keep it.
            mark_public(response, store.clock())
        return response


def page_name(request):
    query = sorted((key, value) for key, values in request.GET.lists() for value in values)
    raw = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _entry(response, marks):
    headers = [(name, value) for name, value in response.items() if name != "X-Cache"]
    return {
        "started": marks["started"],
        "until": marks["until"],
        "tags": sorted(marks["tags"]),
        "status": response.status_code,
        "headers": headers,
        "content": response.content,
    }


def _answer(request, entry):
    response = HttpResponse(entry["content"], status=entry["status"])
    for header, value in entry["headers"]:
        response.headers[header] = value
    mark_public(response, entry["until"])
    response.headers["X-Cache"] = "hit"
    # As ConditionalGetMiddleware would: 304 for a reader whose copy still matches.
    last_modified = response.get("Last-Modified")
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=last_modified and parse_http_date_safe(last_modified),
        response=response,
    )
