"""/healthz and /readyz: is the process up, and can the site serve.

A load balancer asks /readyz which app servers to send readers to, and a service manager or
orchestrator asks /healthz whether a process must be restarted. /healthz touches nothing but
the process: a database outage must not get every app server restarted.

/readyz checks each service the site needs and says, as JSON, what it found:

    {"status": "ok" | "degraded" | "unavailable",
     "checks": {
        "primary": {"state": "ok" | "down", "seconds": 0.0011},
        "redis":   {"state": "ok" | "down", "seconds": 0.0004},      (with REDIS_URL only)
        "worker":  {"state": "ok" | "late" | "down" | "unknown" | "off", "seconds": 0.0008,
                    "last_beat_seconds_ago": 12},
        "replicas": [{"name": "replica 1", "state": "ok" | "lagging" | "down",
                      "lag_seconds": 0.4, "seconds": 0.0009}]}}

The worker is "late" when its last beat is three intervals old (or it never beat), "down" when
the beat cannot be read, "unknown" while the primary, which keeps it, is down, and "off"
without a heartbeat.

It answers 503 when the site cannot serve: the primary database is down, or Redis is, which
then holds the page cache, the sessions and the rate limits (every request reads it). A late
worker or a replica lagging or down is "degraded", with 200: readers are served, emails wait,
the router reads from the primary. Nothing in it names a host, an address, a version or an
error's text; the log says what failed and why.
"""

import json
import logging
from time import perf_counter

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connections
from django.http import HttpResponse
from django.utils import timezone

from . import heartbeat, replicas

logger = logging.getLogger(__name__)

OK, DOWN = "ok", "down"
# A key no one stores: reading it is one round trip to Redis and changes nothing.
REDIS_PROBE_KEY = "readyz:probe"


def no_store(response):
    """Keep the answer out of every cache: the page cache, Varnish, the prober's."""
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def healthz(request):
    """Answer that the process is up; ask nothing of any service."""
    return no_store(HttpResponse("ok\n", content_type="text/plain; charset=utf-8"))


def readyz(request):
    """Answer the state of each service the site needs, with 503 if it cannot serve."""
    checks = {"primary": _timed("primary database", check_primary)}
    if uses_redis():
        checks["redis"] = _timed("Redis", check_redis)
    if checks["primary"]["state"] == OK:
        checks["worker"] = _timed("worker heartbeat", check_worker)
    else:
        checks["worker"] = {"state": "unknown"}  # its beat is kept in the primary
    checks["replicas"] = check_replicas()
    status = overall(checks)
    response = HttpResponse(
        json.dumps({"status": status, "checks": checks}),
        content_type="application/json",
        status=503 if status == "unavailable" else 200,
    )
    # Logged here once per failing check, with its cause; Django's own "Service Unavailable"
    # line would only repeat it on every probe of an outage.
    response._has_been_logged = True
    return no_store(response)


def overall(checks):
    """Return "unavailable" if the site cannot serve, "degraded" if it serves with a fault."""
    if any(checks[name]["state"] != OK for name in ("primary", "redis") if name in checks):
        return "unavailable"
    faults = [checks["worker"]["state"] not in (OK, "off")]
    faults += [replica["state"] != OK for replica in checks["replicas"]]
    return "degraded" if any(faults) else "ok"


def _timed(name, check):
    """Run one check; return its result with the time it took, "down" if it raised."""
    started = perf_counter()
    try:
        result = check()
    except Exception as error:  # whatever the driver raises, the probe still answers
        logger.warning("Readiness check: %s is down: %s", name, error, exc_info=error)
        result = {"state": DOWN}
    return {**result, "seconds": round(perf_counter() - started, 4)}


def check_primary():
    # The site's own connection, as pages use it; a new one gives up after connect_timeout
    # (DJANGO_DB_CONNECT_TIMEOUT), so a server that does not answer does not hang the probe.
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"state": OK}


def uses_redis():
    return isinstance(caches["default"], RedisCache)


def check_redis():
    # Through the cache's own client and pool: its socket timeouts bound the wait.
    caches["default"].get(REDIS_PROBE_KEY)
    return {"state": OK}


def check_worker():
    if heartbeat.interval() is None:
        return {"state": "off"}
    beat_at = heartbeat.last_beat()
    now = timezone.now()
    return {
        "state": "late" if heartbeat.is_late(beat_at, now) else OK,
        "last_beat_seconds_ago": None
        if beat_at is None
        else round((now - beat_at).total_seconds()),
    }


def check_replicas():
    """Return each read replica's state, asking each afresh (newsroom/replicas.py).

    A name, never a host; a replica lagging or down makes the site "degraded", never
    unavailable, since the router then reads from the primary.
    """
    found = []
    for replica in replicas.replicas():
        started = perf_counter()
        replica.check()  # it logs a change of state itself, with the cause
        found.append(
            {
                "name": replica.name,
                "state": replica.state,
                "lag_seconds": None if replica.lag is None else round(replica.lag, 3),
                "seconds": round(perf_counter() - started, 4),
            }
        )
    return found
