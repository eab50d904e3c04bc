"""The site, with every request following a decision on one of a story's comments (run.py).

Served by the app server as ``bench.rerender:application`` with BENCH_CHANGED_KEY naming the
thread's key ("comments-<id>"): before each request the key is marked changed, as a
moderator's approval does, so each answer is the story's page made again with its other parts
stored. Only the key is marked: the purge sent to front caches and the schedule asked again
after a real change are left out, as they cost once per change, not per reader.
"""

import os

from caching import store
from newsroom.wsgi import application as site

KEY = os.environ["BENCH_CHANGED_KEY"]


def application(environ, start_response):
    store.mark_changed([KEY])
    return site(environ, start_response)
