"""The demo's commands finish the work they queued (the pictures' renditions) before they
return, so a site served straight after them is complete whether a worker runs yet or not."""

from django.core.management import call_command
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend


def run_queued_tasks():
    if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
