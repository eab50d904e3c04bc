"""The task worker's heartbeat: a beat recorded every NEWSROOM_WORKER_HEARTBEAT_SECONDS, which
/readyz reads to tell whether emails and renditions are being made.

django-tasks-db has no periodic tasks and the site wants no cron, so the beat is a task that
queues the next one for later (``run_after``), as the moderators' digest does; the one
WorkerHeartbeat row names the beat that waits, so there is only ever one. Each worker queues
the first beat as it starts (newsroom's ``db_worker`` command), unless one waits already. The
beat goes before other waiting tasks (its priority): it says whether a worker is alive; how
far behind the queue is, the metrics say.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat
from .tasks import enqueue_after

WAITING = {TaskResultStatus.READY, TaskResultStatus.RUNNING}
# A beat this many intervals old means no worker has run it: /readyz says "late".
LATE_AFTER_INTERVALS = 3


def interval():
    """Return the time between beats, or None when there is no heartbeat."""
    seconds = settings.NEWSROOM_WORKER_HEARTBEAT_SECONDS
    return timedelta(seconds=seconds) if seconds > 0 else None


def schedule_is_on():
    # Only with a backend that can wait: one that runs tasks at once would beat for ever.
    return interval() is not None and heartbeat_run.get_backend().supports_defer


@task(priority=100, takes_context=True)
def heartbeat_run(context):
    """Record that a worker is alive now, then queue the next beat, even if recording failed."""
    try:
        beat_at = timezone.now()
        WorkerHeartbeat.objects.filter(pk=WorkerHeartbeat.ONLY).update(beat_at=beat_at)
        # A beat a minute would bury staff's Task results under a thousand rows a day: the
        # beats before this one that went well go (one that failed stays, to be read).
        DBTaskResult.objects.filter(
            task_path=heartbeat_run.module_path, status=TaskResultStatus.SUCCESSFUL
        ).delete()
    finally:
        _queue_next(finished=str(context.task_result.id))
    return beat_at.isoformat()


def heartbeat_start():
    """Queue a beat now unless one waits already; return True if one was queued."""
    if not schedule_is_on():
        return False
    with transaction.atomic():
        heartbeat = WorkerHeartbeat.lock()
        if _is_waiting(heartbeat.next_task_id):
            return False
        _queue(heartbeat, timezone.now())
    return True


def last_beat():
    """Return when a worker last beat, or None if none ever has."""
    return (
        WorkerHeartbeat.objects.filter(pk=WorkerHeartbeat.ONLY)
        .values_list("beat_at", flat=True)
        .first()
    )


def is_late(beat_at, now):
    """Return True if a beat at ``beat_at`` (None: never) is too old to call the worker alive."""
    return beat_at is None or now - beat_at > LATE_AFTER_INTERVALS * interval()


def _queue_next(*, finished):
    if not schedule_is_on():
        return
    with transaction.atomic():
        heartbeat = WorkerHeartbeat.lock()
        if heartbeat.next_task_id != finished and _is_waiting(heartbeat.next_task_id):
            return  # a stray beat: the row's own is still to come
        _queue(heartbeat, timezone.now() + interval())


def _queue(heartbeat, when):
    result = enqueue_after(heartbeat_run, when)
    heartbeat.next_run_at = when
    heartbeat.next_task_id = str(result.id)
    heartbeat.save(update_fields=["next_run_at", "next_task_id"])


def _is_waiting(task_id):
    if not task_id:
        return False
    try:
        return heartbeat_run.get_result(task_id).status in WAITING
    except TaskResultDoesNotExist:
        return False
