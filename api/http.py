"""HTTP for the API as for the readers' pages: shared caching, surrogate keys, conditional GETs.

Each endpoint is wrapped in ``cache_for_readers`` (caching/pages.py), so its answers carry an
ETag, ``Cache-Control`` with ``s-maxage`` and a ``Surrogate-Key`` header, are kept in the page
cache, and are dropped by the same purges as the pages: an endpoint tags its answer with the
keys of the articles pages show (articles/cache_keys.py), so a change to a story reaches the
API on the next request. ConditionalGetMiddleware answers 304 from the ETag and Last-Modified.
"""

from django.utils.http import http_date
from rest_framework.exceptions import NotFound

from articles import cache_keys
from caching.pages import MISSING, cache_for_readers, tag
from newsroom.input import parse_id


class CachedForReaders:
    """A mixin for the API's read views: their answers are tagged and shared like pages."""

    # The view's answer names what it shows here; the keys go out when it is finished.
    cache_keys = ()
    last_modified = None

    @classmethod
    def as_view(cls, **initkwargs):
        return cache_for_readers(super().as_view(**initkwargs))

    def show(self, *keys):
        """Name what this answer shows, so any change to it drops the answer everywhere."""
        self.cache_keys = (*self.cache_keys, *keys)

    def changed_at(self, moment):
        """Say when what this answer shows last changed, for Last-Modified."""
        if moment is not None:
            self.last_modified = max(filter(None, [self.last_modified, moment]))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 404:
            # A story not public yet: its publication drops this answer (as for pages).
            tag(response, MISSING)
        if response.status_code == 200:
            tag(response, *self.cache_keys)
            if self.last_modified is not None:
                response["Last-Modified"] = http_date(self.last_modified.timestamp())
        return response


def object_id(text):
    """Return the id an address names; 404 for one no row can have (junk, huge, negative)."""
    found = parse_id(text)
    if found is None:
        raise NotFound("No such id: ids are whole numbers from 1.")
    return found


def story_keys(article, topics, authors):
    """Return the keys of what a story's answer shows: the story, its section, its topics and
    its authors (a rename reaches it too)."""
    return [
        cache_keys.article(article.pk),
        cache_keys.section(article.section_id),
        *(cache_keys.topic(topic.pk) for topic in topics),
        *(cache_keys.author(author.pk) for author in authors),
    ]
