"""Fixed-window counters in Django's cache, shared by every process that shares the cache."""

import hashlib
import time

from django.core.cache import cache


def hit(scope, identity, *, limit, window):
    """Count one action; return 0 if allowed, else the seconds until the window ends."""
    now = int(time.time())
    window_start = now - now % window
    # Hash the identity: emails and addresses do not belong in cache keys in clear.
    digest = hashlib.sha256(f"{scope}:{identity}".encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}:{window_start}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window + 5)
        count = 1
    if count > limit:
        return window_start + window - now
    return 0
