"""django-tasks-db's worker, which first makes sure the heartbeat is on its schedule.

Listed before django_tasks_db in INSTALLED_APPS, newsroom's command of this name is the one
`manage.py db_worker` runs (Django's documented way to extend another app's command).
"""

import logging

from django.db import DatabaseError
from django_tasks_db.management.commands import db_worker

from newsroom.heartbeat import heartbeat_start

logger = logging.getLogger(__name__)


class Command(db_worker.Command):
    help = "Run the task worker (django-tasks-db's), with the heartbeat that /readyz reads."

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
