"""When pages change by themselves: no stored page outlives the next scheduled change.

A page that shows "the newest stories" changes when a scheduled story comes due, with no save
to drop it. Each app that schedules such changes registers a function returning the moment of
its next one; the cache asks them all once and remembers the answer until something is
invalidated (a new schedule is a save, and every save invalidates).
"""

from . import store

_providers = []
_NEXT_CHANGE = "page-cache:next-change"


def register(provider):
    """Add a function that returns the next moment (an aware datetime) pages change by
    themselves, or None."""
    if provider not in _providers:
        _providers.append(provider)


def next_change():
    """Return the timestamp of the next scheduled change of any page, or None."""
    cache = store.cache()
    known = cache.get(_NEXT_CHANGE, default=False)
    if known is not False and (known is None or known > store.clock()):
        return known
    moments = [moment.timestamp() for provider in _providers if (moment := provider())]
    soonest = min(moments, default=None)
    cache.set(_NEXT_CHANGE, soonest, timeout=None)
    return soonest


def forget():
    """Drop the remembered answer, so the next page asks the providers again."""
    store.cache().delete(_NEXT_CHANGE)
