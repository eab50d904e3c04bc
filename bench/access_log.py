"""The site, writing a line per request for bench/storm.py to count (run by the app server as
``bench.access_log:application``, with BENCH_ACCESS_LOG naming the file).

Each line is ``path|query|status|x-cache|milliseconds``: what was asked, the answer, and
whether Django rendered the page ("miss") or its page cache answered ("hit"). Granian's own
access log cannot name a response header, so the count is taken here, around the site.
"""

import os
import threading
import time

from newsroom.wsgi import application as site

_log = open(os.environ["BENCH_ACCESS_LOG"], "a", buffering=1, encoding="latin-1")  # noqa: SIM115
_lock = threading.Lock()


def application(environ, start_response):
    started = time.perf_counter()
    seen = {}

    def start(status, headers, exc_info=None):
        seen["status"] = status.split(" ", 1)[0]
        seen["cache"] = next((v for k, v in headers if k.lower() == "x-cache"), "-")
        return start_response(status, headers, exc_info)

    return _Logged(site(environ, start), environ, seen, started)


class _Logged:
    """The site's answer, passed on as it is; the line is written when the server closes it."""

    def __init__(self, body, environ, seen, started):
        self.body, self.environ, self.seen, self.started = body, environ, seen, started

    def __iter__(self):
        return iter(self.body)

    def close(self):
        if hasattr(self.body, "close"):
            self.body.close()
        ms = round((time.perf_counter() - self.started) * 1000)
        line = (
            f"{self.environ.get('PATH_INFO', '')}|{self.environ.get('QUERY_STRING') or '-'}|"
            f"{self.seen.get('status', '-')}|{self.seen.get('cache', '-')}|{ms}\n"
        )
        with _lock:
            _log.write(line)
