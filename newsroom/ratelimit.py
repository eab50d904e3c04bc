"""Fixed-window counters in Django's cache, shared by every process that shares the cache."""

import hashlib
import time

from django.core.cache import cache as default_cache


def _window(scope, identity, window):
    """Return this window's cache key and the seconds left in it."""
    now = int(time.time())
    window_start = now - now % window
    # Hash the identity: emails and addresses do not belong in cache keys in clear.
    digest = hashlib.sha256(f"{scope}:{identity}".encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{window_start}", window_start + window - now


def hit(scope, identity, *, limit, window, cache=None):
    """Count one action; return 0 if allowed, else the seconds until the window ends.

    ``cache`` is another of Django's caches to count in (the content API keeps its counts
    apart from the database, api/throttles.py); the default cache otherwise.
    """
    cache = cache or default_cache
    key, seconds_left = _window(scope, identity, window)
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return seconds_left if count > limit else 0


def used_up(scope, identity, *, limit, window):
    """Without counting, return the seconds until the window ends if ``limit`` actions were
    already counted in it, else 0."""
    key, seconds_left = _window(scope, identity, window)
    return seconds_left if default_cache.get(key, 0) >= limit else 0


def forget(scope, identity, *, window):
    """Drop this window's count, e.g. when the person proves who they are."""
    default_cache.delete(_window(scope, identity, window)[0])
