"""The app server, chosen by figures: each candidate serves the same story, cached and not
(run by run.py on the 1,000-article database).

Each candidate in turn serves the reference story with the page cache on (a reader's hit)
and off (the origin renders it), with the run's wrk settings, and its workers' memory is read
after the load. On 2 cores the question is how many processes and threads keep both cores
busy without making readers queue behind each other (the tail, p99).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import servers
import wrk

PORT = 8040

# (name, how it starts, its settings): granian is started by deploy/serve.py, as in production.
CANDIDATES = [
    ("gunicorn gthread, 3 processes × 2 threads", "gunicorn", {"workers": 3, "threads": 2}),
    ("gunicorn gthread, 2 processes × 4 threads", "gunicorn", {"workers": 2, "threads": 4}),
    ("gunicorn sync, 3 processes", "gunicorn", {"workers": 3, "worker_class": "sync"}),
    ("granian, 2 processes × 2 threads", "granian", {"workers": 2, "blocking_threads": 2}),
    ("granian, 3 processes × 2 threads", "granian", {"workers": 3, "blocking_threads": 2}),
]


def compare(env, work, path, knobs):
    """Return, per candidate, wrk's figures for a hit and for a render, and its memory."""
    found = {}
    for name, kind, settings in CANDIDATES:
        print(f"  {name}", flush=True)
        figures = {}
        for cached in (True, False):
            with servers.Stack() as stack:
                if kind == "gunicorn":
                    server = stack.gunicorn(env, PORT, page_cache=cached, **settings)
                else:
                    server = stack.app_server(env, PORT, page_cache=cached, **settings)
                subject = wrk.Subject("cached" if cached else "uncached", f"{server.url}{path}")
                folder = work / "appserver" / name.split(",")[0].replace(" ", "-")
                figures.update(wrk.measure([subject], folder, knobs))
                figures["memory" if not cached else "memory_cached"] = servers.worker_memory(
                    server.process.pid
                )
        found[name] = figures
    return found
