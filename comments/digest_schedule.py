"""The moderation digest's clock: the task worker sends it every COMMENTS_DIGEST_EVERY_MINUTES.

django-tasks-db has no periodic tasks, and the site wants no cron: each run queues the next
one for later (``run_after``), and the one DigestSchedule row names the run that waits, so
there is only ever one. ``migrate`` queues the first run when comments already wait for a
moderator; otherwise the first comment held for moderation or reported does (services.py,
reporting.py). A schedule that was lost (its task deleted, the worker's database restored)
starts again the same way.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Q
from django.tasks import TaskResultStatus, task
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone

from .models import Comment, DigestSchedule
from .notifications import digest_is_enabled, digest_send

WAITING = {TaskResultStatus.READY, TaskResultStatus.RUNNING}


def schedule_is_on():
    # Only with a backend that can wait: one that runs tasks at once (the tests') would run
    # every next run straight away, for ever.
    return (
        digest_is_enabled()
        and settings.COMMENTS_DIGEST_EVERY_MINUTES > 0
        and digest_run.get_backend().supports_defer
    )


@task(takes_context=True)
def digest_run(context):
    """Send the moderators' digest, then queue the next run, even if this one failed."""
    try:
        log = digest_send()
    finally:
        _queue_next(finished=str(context.task_result.id))
    return f"sent to {log.recipients}" if log else "nothing to send"


def digest_schedule_start():
    """Queue a digest run unless one is waiting already; return its time, or None."""
    if not schedule_is_on():
        return None
    # The common case, on every comment held: the next run is still to come. One read, no lock.
    if DigestSchedule.objects.filter(next_run_at__gt=timezone.now()).exists():
        return None
    with transaction.atomic():
        schedule = DigestSchedule.lock()
        if _is_waiting(schedule.next_task_id):
            return None  # due, or running: the worker has it
        return _queue(schedule)


def _queue_next(*, finished):
    if not schedule_is_on():
        return
    with transaction.atomic():
        schedule = DigestSchedule.lock()
        if schedule.next_task_id != finished and _is_waiting(schedule.next_task_id):
            return  # a stray run: the schedule's own is still to come
        _queue(schedule)


def _queue(schedule):
    run_after = timezone.now() + timedelta(minutes=settings.COMMENTS_DIGEST_EVERY_MINUTES)
    result = digest_run.using(run_after=run_after).enqueue()
    schedule.next_run_at = run_after
    schedule.next_task_id = str(result.id)
    schedule.save(update_fields=["next_run_at", "next_task_id"])
    return run_after


def _is_waiting(task_id):
    if not task_id:
        return False
    try:
        return digest_run.get_result(task_id).status in WAITING
    except TaskResultDoesNotExist:
        return False


def start_after_migrate(sender, using, **kwargs):
    """After `migrate`, start the schedule if comments wait for a moderator already."""
    if DigestSchedule._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back to before the schedule existed
    waiting = Q(status=Comment.Status.PENDING) | Q(is_reported=True)
    if Comment.objects.using(using).filter(waiting).exists():
        digest_schedule_start()
