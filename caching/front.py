"""Purges for the front caches (Varnish with xkey, see deploy/varnish/): forget pages by key.

Each cache in ``NEWSROOM_FRONT_CACHES`` gets one PURGE request naming the keys; a cache that
cannot be reached is logged and skipped, since readers must never wait for it. The page's
own ``s-maxage`` bounds how long a missed purge can leave a page stale.
"""

import logging
import urllib.error
import urllib.request

from django.conf import settings

from newsroom import metrics

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 2


def purge_front_caches(keys):
    for url in settings.NEWSROOM_FRONT_CACHES:
        request = urllib.request.Request(
            url, method="PURGE", headers={"xkey-purge": " ".join(keys)}
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
                answer.read()
        except (urllib.error.URLError, OSError) as error:
            metrics.front_cache_purge(sent=False)
            logger.warning("Could not purge %s from the front cache %s: %s", keys, url, error)
        else:
            metrics.front_cache_purge(sent=True)
