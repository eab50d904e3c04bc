"""Read replicas: anonymous readers' queries go to a PostgreSQL streaming replica, the rest to
the primary.

``DATABASE_REPLICA_URLS`` adds replicas (settings.py names them replica1, replica2, …). Only a
reader's plain request may read from one: a GET or HEAD with no session (so no staff member,
and no reader whose comment awaits moderation), no API key, not the admin, and not within
``DATABASE_REPLICA_STICKY_SECONDS`` of a request of theirs that wrote, which leaves a cookie
saying so. A request that writes reads from the primary from then on.

A replica is used while it answers and lags by at most ``DATABASE_REPLICA_MAX_LAG_SECONDS``;
each process asks each replica how far behind it is every ``DATABASE_REPLICA_CHECK_SECONDS``,
and leaves one that did not answer alone for ``DATABASE_REPLICA_RETRY_SECONDS``. A reader's
query that fails on a replica is run again on the primary, so a replica that dies between two
checks costs a reader nothing but time.

A lag within bounds must still never put an old page in the page cache after the change that
dropped it. So each change that drops cached pages also records the primary's write position
(its WAL LSN) in Redis before the pages are dropped, and a replica that has not replayed up to
the newest recorded position is not used: a page is made from the primary, or from a replica
that holds every change whose pages were dropped.
"""

import contextvars
import logging
import math
import random
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections

from caching.pages import may_share

from .outage import DATABASE_ERRORS

logger = logging.getLogger(__name__)

PRIMARY = DEFAULT_DB_ALIAS
STICKY_COOKIE = "newsroom_primary"
# Tables read where they are written whatever the request: the database cache and the task
# queue are working state, not content.
PRIMARY_ONLY_APPS = {"django_cache", "django_tasks_database", "sessions"}
# Where the replica has replayed the primary's WAL to (bytes since 0/0), and how long ago its
# last replayed transaction committed when WAL received is still waiting to be replayed.
POSITION_SQL = """
SELECT pg_last_wal_replay_lsn() - '0/0'::pg_lsn,
       CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()
            THEN 0
            ELSE EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())
       END
"""
PRIMARY_POSITION_SQL = "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn"
NEWEST_CHANGE_KEY = "replicas:newest-change"
# Raise the recorded position, never lower it: two writers may record theirs out of order.
_RAISE = """
local known = tonumber(redis.call("GET", KEYS[1]) or "0")
if tonumber(ARGV[1]) > known then redis.call("SET", KEYS[1], ARGV[1]) end
"""


def aliases():
    return settings.NEWSROOM_REPLICAS


# Each process's view of its replicas


@dataclass
class Replica:
    alias: str
    number: int
    state: str = "unknown"  # ok, lagging or down
    lag: float | None = None  # seconds
    position: int = 0  # WAL replayed, in bytes
    checked_at: float = -math.inf  # time.monotonic() of the last answer or failure
    retry_at: float = -math.inf  # when a replica that did not answer is asked again
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def name(self):
        return f"replica {self.number}"

    def usable(self):
        """Return True if readers may read from the replica now, asking it if that is due."""
        now = time.monotonic()
        if self.state == "down":
            if now < self.retry_at:
                return False
            self.check()
        elif now - self.checked_at >= settings.NEWSROOM_REPLICA_CHECK_SECONDS:
            self.check()
        return self.state == "ok"

    def holds(self, position):
        """Return True if the replica has replayed the primary's WAL up to ``position``."""
        if self.position < position:
            self.check()  # it may have caught up since the last check
        return self.state == "ok" and self.position >= position

    def check(self):
        """Ask the replica how far behind it is; on no answer, leave it alone for a while."""
        with self.lock:
            try:
                with connections[self.alias].cursor() as cursor:
                    cursor.execute(POSITION_SQL)
                    position, lag = cursor.fetchone()
            except DATABASE_ERRORS as error:
                connections[self.alias].close()
                self.failed(error)
                return
            self.position, self.lag = int(position or 0), float(lag or 0)
            self.checked_at = time.monotonic()
            state = "ok" if self.lag <= settings.NEWSROOM_REPLICA_MAX_LAG_SECONDS else "lagging"
            self._become(state, f"{self.lag:.1f} s behind the primary")

    def failed(self, error):
        self.checked_at = time.monotonic()
        self.retry_at = self.checked_at + settings.NEWSROOM_REPLICA_RETRY_SECONDS
        self.lag = None
        self._become("down", f"no answer ({str(error).strip() or type(error).__name__})")

    def _become(self, state, why):
        if state != self.state:
            log = logger.info if state == "ok" else logger.warning
            log("Read replica %s (%s) is now %s: %s", self.number, self.alias, state, why)
        self.state = state


_replicas = {}
_replicas_lock = threading.Lock()


def replicas():
    """Return this process's Replica for each configured replica."""
    configured = aliases()
    if list(_replicas) != configured:
        with _replicas_lock:
            _replicas.clear()
            _replicas.update(
                (alias, Replica(alias, number)) for number, alias in enumerate(configured, 1)
            )
    return list(_replicas.values())


# The newest change readers can see, as a position in the primary's WAL


def note_primary_position():
    """Record how far the primary has written, once a change that drops pages has committed."""
    if not aliases():
        return
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute(PRIMARY_POSITION_SQL)
        (position,) = cursor.fetchone()
    client = cache._cache.get_client(write=True)
    client.eval(_RAISE, 1, cache.make_key(NEWEST_CHANGE_KEY), int(position))


def newest_change():
    """Return the newest recorded position; past any replica's while it cannot be read."""
    try:
        return int(cache.get(NEWEST_CHANGE_KEY) or 0)
    except Exception as error:  # each cache backend raises its own errors
        logger.warning("Could not read the newest change's position: %s", error)
        return math.inf


def pick():
    """Return the alias a reader's request reads from: a replica that is up, close enough behind
    and holds the newest change readers can see, or else the primary."""
    candidates = [replica for replica in replicas() if replica.usable()]
    if not candidates:
        return PRIMARY
    needed = newest_change()
    random.shuffle(candidates)
    for replica in candidates:
        if replica.holds(needed):
            return replica.alias
    return PRIMARY


# Which requests may read from a replica


class Reads:
    """Where one request's queries are read from: the primary, unless it may use a replica."""

    def __init__(self, *, may_use_replica):
        self.may_use_replica = may_use_replica
        self.alias = None  # chosen at the request's first read
        self.wrote = False

    def alias_for_read(self):
        if not self.may_use_replica:
            return PRIMARY
        if self.alias is None:
            self.alias = pick()
        return self.alias

    def use_primary(self):
        self.may_use_replica = False
        self.alias = PRIMARY


_reads = contextvars.ContextVar("newsroom_replica_reads", default=None)


def may_use_replica(request):
    """Return True for a reader's request that may read from a replica."""
    return (
        may_share(request)  # a GET or HEAD with no session and no API key
        and not request.path.startswith(f"/{settings.NEWSROOM_ADMIN_PATH}")
        and not _sticky(request)
    )


def _sticky(request):
    try:
        until = float(request.COOKIES.get(STICKY_COOKIE, ""))
    except ValueError:
        return False
    return until > time.time()


class ReplicaRouter:
    """Send reads to a replica where the request allows it, and everything else to the
    primary."""

    def db_for_read(self, model, **hints):
        reads = _reads.get()
        if (
            reads is None  # not a request: a command, the task worker
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[PRIMARY].in_atomic_block  # reads that belong with writes
        ):
            return PRIMARY
        return reads.alias_for_read()

    def db_for_write(self, model, **hints):
        if (reads := _reads.get()) is not None:
            reads.wrote = True
            reads.use_primary()
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias is the same database

    def allow_migrate(self, db, app_label, **hints):
        return db == PRIMARY


class ReplicaMiddleware:
    """Let a reader's request read from a replica; keep a writer on the primary for a while.

    Last in MIDDLEWARE: the layers above (sessions, sign-in) read from the primary, and this
    layer's process_exception runs before the outage page's, to try a failed replica read again
    on the primary.
    """

    def __init__(self, get_response):
        if not aliases():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        reads = Reads(may_use_replica=may_use_replica(request))
        token = _reads.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if reads.wrote:
            _stick_to_primary(response)
        return response

    def process_exception(self, request, exception):
        reads = _reads.get()
        if (
            reads is None
            or not isinstance(exception, DATABASE_ERRORS)
            or reads.alias in (None, PRIMARY)
            or not connections[reads.alias].errors_occurred  # the primary failed, not it
        ):
            return None
        failed = next(replica for replica in replicas() if replica.alias == reads.alias)
        failed.failed(exception)
        reads.use_primary()
        match = request.resolver_match
        try:
            response = match.func(request, *match.args, **match.kwargs)
            if callable(getattr(response, "render", None)):
                response = response.render()
        except DATABASE_ERRORS:
            return None  # the primary too: the outage page
        return response


def _stick_to_primary(response):
    seconds = settings.NEWSROOM_REPLICA_STICKY_SECONDS
    response.set_cookie(
        STICKY_COOKIE,
        f"{time.time() + seconds:.0f}",
        max_age=seconds,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
