"""Where the page cache keeps its records: stored pages, and when each surrogate key changed.

A page is kept with the time its request began and the keys it shows. A change records, per
key, the time it happened; a stored page is good only while none of its keys changed after
its request began. A key with no record at all was evicted, and then nothing that shows it
can be trusted.
"""

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from . import local

_PAGE = "page-cache:page:"
_KEY = "page-cache:tag:"


def cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def clock():
    # One clock for publish times and cache times, so a test can move both at once.
    return timezone.now().timestamp()


def put(name, entry, *, until):
    """Keep a page's entry until ``until`` (a timestamp), giving each of its keys a record.

    Return False, keeping nothing, if one of its keys changed while it was being made: what
    it shows was read before that change, and the change's purge has gone out already.
    """
    store = cache()
    records = [_KEY + key for key in entry["tags"]]
    known = store.get_many(records)
    if any(moment >= entry["started"] for moment in known.values()):
        return False
    for record in set(records) - set(known):
        store.add(record, 0.0, timeout=None)
    store.set(_PAGE + name, entry, timeout=max(1, round(until - clock())))
    if (copies := local.pages(store)) is not None:
        copies.keep(name, entry)
    return True


def get(name):
    """Return the page's entry if it is still good, else None."""
    store = cache()
    copies = local.pages(store)
    entry = copies.get(name) if copies is not None else None
    if entry is not None and clock() < entry["until"]:
        return entry
    entry = store.get(_PAGE + name)
    if entry is None or clock() >= entry["until"]:
        return None
    changed = store.get_many([_KEY + key for key in entry["tags"]])
    if len(changed) < len(entry["tags"]):
        return None
    if any(moment >= entry["started"] for moment in changed.values()):
        return None
    if copies is not None:
        copies.keep(name, entry)
    return entry


def mark_changed(keys):
    """Record that what these keys name changed now, and tell every process."""
    now = clock()
    store = cache()
    store.set_many({_KEY + key: now for key in keys}, timeout=None)
    if (copies := local.pages(store)) is not None:
        copies.publish(keys, now)


def forget_copies():
    """Forget this process's copies (the tests, after emptying the cache)."""
    if (copies := local.pages(cache())) is not None:
        copies.forget()
