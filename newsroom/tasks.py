"""Queueing a task for later, whichever task backend runs it."""

from django.utils import timezone


def enqueue_after(task, when, *args):
    """Queue the task to run at ``when``; at once if that has passed, or if the backend cannot
    wait (the tests' immediate one, where the task itself decides what is due yet)."""
    if task.get_backend().supports_defer and when > timezone.now():
        return task.using(run_after=when).enqueue(*args)
    return task.enqueue(*args)
