"""What a related object or deferred field that a reader's page did not load costs."""

from django.conf import settings
from django.db import models


def reader_fetch_mode():
    """Return the fetch mode for readers' pages, from NEWSROOM_FETCH_MODE.

    Production fetches a missing object for every instance of the page's list at once
    (FETCH_PEERS); the tests refuse (FETCH_RAISE), so a page that forgot a select_related
    fails its test.
    """
    return {
        "peers": models.FETCH_PEERS,
        "raise": models.FETCH_RAISE,
        "one": models.FETCH_ONE,
    }[settings.NEWSROOM_FETCH_MODE]
