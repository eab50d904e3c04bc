"""Dropping pages by surrogate key, once the change that touched them has committed.

Many calls in one transaction make one flush: the first takes every key, the rest none. After
a rollback the keys wait for the next commit: an extra refresh, never a stale page.
"""

from django.db import transaction

from newsroom import replicas

from . import schedule, store
from .front import purge_front_caches


def invalidate(*keys):
    """Drop every cached page showing any of these keys, once the transaction commits."""
    _pending().update(keys)
    transaction.on_commit(_flush)


def _pending():
    connection = transaction.get_connection()
    if not hasattr(connection, "page_cache_pending"):
        connection.page_cache_pending = set()
    return connection.page_cache_pending


def _flush():
    connection = transaction.get_connection()
    keys, connection.page_cache_pending = connection.page_cache_pending, set()
    if not keys:
        return
    # Before the pages go: from now on, a page is made only where the change can be read.
    replicas.note_primary_position()
    store.mark_changed(keys)
    # A save may have scheduled (or unscheduled) something.
    schedule.forget()
    purge_front_caches(sorted(keys))
