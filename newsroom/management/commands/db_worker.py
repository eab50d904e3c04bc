"""django-tasks-db's worker, which first makes sure the heartbeat is on its schedule.

Listed before django_tasks_db in INSTALLED_APPS, newsroom's command of this name is the one
`manage.py db_worker` runs (Django's documented way to extend another app's command).
"""

import logging

from django.db import DatabaseError
from django_tasks_db.management.commands import db_worker

from newsroom.heartbeat import heartbeat_run, heartbeat_start

logger = logging.getLogger(__name__)
# The loggers where the worker writes each task's start and finish (django.tasks, and
# django-tasks-db's own), at INFO from verbosity 1.
TASK_LOGGERS = ("django.tasks", "django_tasks_db")


class QuietBeats(logging.Filter):
    """Leave out the lines saying a beat started and finished: one a minute, saying nothing
    /readyz does not. A beat that failed is still logged, as an error."""

    def filter(self, record):
        return record.levelno > logging.INFO or heartbeat_run.module_path not in str(record.args)


class Command(db_worker.Command):
    help = "Run the task worker (django-tasks-db's), with the heartbeat that /readyz reads."

    def configure_logging(self, verbosity):
        super().configure_logging(verbosity)
        for name in TASK_LOGGERS:
            task_logger = logging.getLogger(name)
            if not any(isinstance(known, QuietBeats) for known in task_logger.filters):
                task_logger.addFilter(QuietBeats())

    def handle(self, *args, **options):
        # A batch run (the tests', a one-off catch-up) stops once the queue is empty: it is not
        # the worker /readyz speaks of, and a beat left waiting for it would only go late.
        if not options["batch"]:
            try:
                heartbeat_start()
            except DatabaseError as error:
                # The worker's own loop meets the same error at once and says so; the beat is
                # queued on the next start, or by another worker.
                logger.warning("Could not start the worker's heartbeat: %s", error)
        super().handle(*args, **options)
