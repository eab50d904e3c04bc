"""How often the API answers: anonymous readers at a modest rate per address, partners at the
rate of their key. Past it, 429 with ``Retry-After`` (DRF sets it from ``wait()``).

Counted with the project's fixed-window counters (newsroom/ratelimit.py), in the API's own
cache (settings.API_CACHE_ALIAS): Redis when there is one.
"""

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import BaseThrottle

from newsroom import ratelimit

from .models import ApiKey

KEY_WINDOW = 60  # A key's rate is per minute.


class ReaderOrPartnerThrottle(BaseThrottle):
    def allow_request(self, request, view):
        if isinstance(request.auth, ApiKey):
            scope, identity = "api-key", str(request.auth.pk)
            limit, window = request.auth.rate_per_minute, KEY_WINDOW
        else:
            # REMOTE_ADDR is already the reader's own address behind our proxies
            # (newsroom/proxies.py); DRF's X-Forwarded-For guess would trust any client.
            scope, identity = "api-reader", request.META.get("REMOTE_ADDR", "")
            limit, window = settings.API_ANONYMOUS_RATE
        self.seconds_left = ratelimit.hit(
            scope,
            identity,
            limit=limit,
            window=window,
            cache=caches[settings.API_CACHE_ALIAS],
        )
        return not self.seconds_left

    def wait(self):
        return max(1, self.seconds_left)
