"""/metrics: who may read it, and what it says beyond the counters of newsroom/metrics.py.

Prometheus scrapes each app server directly. The answer holds this machine's counts (every
process's, added up, in multiprocess mode) and two figures read from the database at scrape
time: the tasks waiting for the worker, and the worker's last heartbeat.

Only the addresses in DJANGO_METRICS_ALLOWED may read it; the client's address is found as
newsroom/proxies.py finds it, so a reader coming through Varnish is judged by their own.
"""

import logging
import os

from django.db import DatabaseError
from django.db.models import Count, Q
from django.http import HttpResponseForbidden
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client import REGISTRY, CollectorRegistry, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.django import PrometheusDjangoView

from . import heartbeat
from .proxies import client_address, is_within

logger = logging.getLogger(__name__)

MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR" in os.environ


def may_read(request, *, allowed, trusted):
    """Return True if the client that sent the request is one of the allowed addresses."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and not is_within(remote, trusted):
        # Sent on by a proxy we do not know (Varnish left out of DJANGO_TRUSTED_PROXIES, say):
        # its own address, maybe the loopback, says nothing of who is asking.
        return False
    return is_within(client_address(remote, forwarded, trusted), allowed)


def refused():
    """Return the answer to a client that may not read the metrics."""
    response = HttpResponseForbidden(
        "Metrics are served to the addresses in DJANGO_METRICS_ALLOWED only.\n",
        content_type="text/plain; charset=utf-8",
    )
    response["Cache-Control"] = "no-store"
    return response


class DatabaseFigures:
    """The figures read from the database when Prometheus asks (two queries)."""

    def collect(self):
        try:
            queues = self._queues()
            beat_at = heartbeat.last_beat()
        except DatabaseError as error:
            # The counters are worth having while the database is down; /readyz says why.
            logger.warning("Metrics without the database's figures: %s", error)
            return
        depth = GaugeMetricFamily(
            "newsroom_task_queue_depth",
            "Tasks in django-tasks-db's table not finished yet: due (waiting for a worker), "
            "scheduled (for later) or running.",
            labels=["queue", "state"],
        )
        for queue, counts in sorted(queues.items()):
            for state, count in counts.items():
                depth.add_metric([queue, state], count)
        yield depth
        if beat_at is not None:
            yield GaugeMetricFamily(
                "newsroom_worker_heartbeat_timestamp_seconds",
                "When a task worker last recorded that it is alive (Unix time).",
                value=beat_at.timestamp(),
            )

    def _queues(self):
        # As django-tasks-db's ready() reads it: a task queued to run at once is stored with
        # run_after's largest value, not with none.
        due = Q(run_after=get_date_max()) | Q(run_after__lte=timezone.now())
        ready = Q(status=TaskResultStatus.READY)
        running = Q(status=TaskResultStatus.RUNNING)
        rows = (
            DBTaskResult.objects.filter(ready | running)
            .values("queue_name")
            .annotate(
                due=Count("pk", filter=ready & due),
                scheduled=Count("pk", filter=ready & ~due),
                running=Count("pk", filter=running),
            )
            .order_by()
        )
        queues = {"default": {"due": 0, "scheduled": 0, "running": 0}}
        for row in rows:
            queues[row.pop("queue_name")] = row
        return queues


def _registry():
    # Not the default registry itself: the database's figures are read only when scraped,
    # and in multiprocess mode the counts come from every process's files, not this one's.
    registry = CollectorRegistry(auto_describe=False)
    if MULTIPROCESS:
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REGISTRY)
    registry.register(DatabaseFigures())
    return registry


def metrics_view():
    """Return the view that writes the metrics in Prometheus's formats (prometheus_client's)."""
    return PrometheusDjangoView.as_view(registry=_registry())
