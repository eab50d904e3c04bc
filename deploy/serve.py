"""Serve Newsroom in production with granian: python deploy/serve.py [module:application]

Granian (a WSGI server written in Rust) reads its settings from GRANIAN_* variables; this
file only gives the ones Newsroom needs a default for, then hands over to granian. Set any of
them in the environment to change it, e.g. GRANIAN_WORKERS=4 or GRANIAN_LOG_LEVEL=debug;
`granian --help` lists them all.

Why granian rather than gunicorn: on this project's 2-core benchmark machine it serves a
stored page at about twice gunicorn's rate with a lower p99, whatever gunicorn's worker class
or count, and renders pages at the same rate (bench/appserver.py, bench/RESULTS.md).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cores():
    # The cores this process may run on: in a container that is its share, not the host's.
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def defaults(environ):
    """Return granian's settings for Newsroom, each unless the environment already sets it."""
    # A platform that sets PORT routes outside traffic to it, so listen on every interface
    # there; otherwise only on the loopback, behind a reverse proxy on the same machine.
    port = environ.get("PORT")
    chosen = {
        "GRANIAN_INTERFACE": "wsgi",
        "GRANIAN_HOST": "0.0.0.0" if port else "127.0.0.1",
        "GRANIAN_PORT": port or "8000",
        # A process per core, each with 2 threads: threads overlap the waits on PostgreSQL and
        # Redis, and more of them only make readers queue for Python's lock. A third process
        # on 2 cores rendered no faster and cost 80 MiB (bench/RESULTS.md). So 4 requests at
        # once on 2 cores, and as many database connections.
        "GRANIAN_WORKERS": str(_cores()),
        "GRANIAN_BLOCKING_THREADS": "2",
        "GRANIAN_WEBSOCKETS": "false",
        # A worker that dies is started again; one that grows past this many MiB (a leak: a
        # worker settles at about 80) is replaced once its requests are done.
        "GRANIAN_RESPAWN_FAILED_WORKERS": "true",
        "GRANIAN_WORKERS_MAX_RSS": "320",
        "GRANIAN_RSS_SAMPLES": "3",
        # Requests go on being answered for this long after a stop or a reload (SIGHUP).
        "GRANIAN_WORKERS_KILL_TIMEOUT": "30",
        # Access lines on standard error, for the service manager; 0 for none (benchmarks).
        "GRANIAN_LOG_ACCESS_ENABLED": "true",
    }
    return {name: value for name, value in chosen.items() if name not in environ}


def main(argv):
    target = argv[1] if len(argv) > 1 else "newsroom.wsgi:application"
    os.environ.update(defaults(os.environ))
    os.chdir(ROOT)
    # The same Python, so granian finds this project's packages.
    os.execv(sys.executable, [sys.executable, "-m", "granian", target])


if __name__ == "__main__":
    main(sys.argv)
