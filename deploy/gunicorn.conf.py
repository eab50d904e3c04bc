"""Gunicorn's settings for Newsroom: gunicorn -c deploy/gunicorn.conf.py newsroom.wsgi

Every value can be changed from the environment (below), or with GUNICORN_CMD_ARGS, which
gunicorn reads itself, e.g. GUNICORN_CMD_ARGS="--log-level debug".
"""

import os


def _cores():
    # The cores this process may run on: in a container that is its share, not the host's.
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# GUNICORN_BIND wins. A platform that sets PORT routes outside traffic to it, so listen on every
# interface there; otherwise only on the loopback, behind a reverse proxy on the same machine.
if "GUNICORN_BIND" in os.environ:
    bind = os.environ["GUNICORN_BIND"].split(",")
elif "PORT" in os.environ:
    bind = [f"0.0.0.0:{os.environ['PORT']}"]
else:
    bind = ["127.0.0.1:8000"]

# Threads: part of a request's time is spent waiting on PostgreSQL, Redis or the client, and a
# thread releases the core while it waits; threaded workers also keep idle keep-alive
# connections without tying up a process. But more threads than that waiting needs only make
# readers queue behind each other for Python's lock: on 2 cores, 5 processes of 4 threads gave
# a cached page's p99 at 92 ms, 3 processes of 2 threads at 4.6 ms and 50% more pages a second,
# with the same rate of uncached pages (bench/appserver.py; bench/RESULTS.md). So cores + 1
# processes of 2 threads: 6 requests at once on 2 cores, and as many database connections.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", _cores() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))

# Load Django once in the master: workers fork ready to serve, share its memory pages, and a
# worker that is recycled (max_requests) comes back at once.
preload_app = True

# Recycle each worker after about twenty thousand requests, so a slow leak cannot grow for
# ever; a restart is a pause for the readers it was serving (at a thousand requests, a cached
# page's rate fell by a third), so not often. The jitter keeps the workers from all restarting
# at the same moment.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20_000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 2_000))

# A request still running after 30 s is stuck: the worker is killed and replaced. The proxy in
# front should give up at about the same time.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Longer than a load balancer's usual idle timeout would close connections under it; shorter
# would make the proxy reconnect for every request.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))

# Access and error logs go to standard output and standard error, for the service manager.
# GUNICORN_ACCESS_LOG names another file, or is empty for none (benchmarks).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Gunicorn 27's control socket (gunicornc) defaults to one path per user, which a second
# server on the same account would take over; nothing here uses it unless a path is given.
if "GUNICORN_CONTROL_SOCKET" in os.environ:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

# Workers prove they are alive by touching a file; on disk-backed /tmp in a container that can
# stall, so use memory where there is some.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"


def pre_fork(server, worker):
    # With preload_app the master imported Django; a database connection it had opened would be
    # shared by every worker forked from it. Close it so that each worker opens its own.
    if server.cfg.preload_app:
        from django.db import connections

        connections.close_all()
