"""The task worker records that it is alive every so often, with no cron: one beat waits for it
at a time, and /readyz reads the last one."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsroom.heartbeat import heartbeat_run, heartbeat_start
from newsroom.mail import send_later
from newsroom.models import WorkerHeartbeat

HEARTBEAT_RUN = "newsroom.heartbeat.heartbeat_run"


def _waiting():
    return DBTaskResult.objects.filter(task_path=HEARTBEAT_RUN, status="READY")


def _beat_at():
    return WorkerHeartbeat.objects.get().beat_at


def test_the_worker_runs_the_beat_and_queues_the_next(database_tasks, settings):
    settings.NEWSROOM_WORKER_HEARTBEAT_SECONDS = 30
    assert heartbeat_start() is True
    assert WorkerHeartbeat.objects.get().beat_at is None

    database_tasks()
    beat_at = _beat_at()
    assert timezone.now() - beat_at < timedelta(seconds=10)
    (waiting,) = _waiting()
    assert waiting.run_after == pytest.approx(
        beat_at + timedelta(seconds=30), abs=timedelta(seconds=5)
    )
    assert WorkerHeartbeat.objects.get().next_task_id == str(waiting.id)

    database_tasks()  # the next beat is not due yet
    assert _beat_at() == beat_at


def test_only_the_last_beat_stays_in_the_task_results(database_tasks):
    heartbeat_start()
    for _ in range(3):
        database_tasks()
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    done = DBTaskResult.objects.filter(task_path=HEARTBEAT_RUN).exclude(status="READY")
    assert done.count() == 1
    assert _waiting().count() == 1


def test_only_one_beat_ever_waits(database_tasks):
    assert heartbeat_start() is True
    assert heartbeat_start() is False
    assert _waiting().count() == 1

    heartbeat_run.enqueue()  # a stray one, say queued by hand in a shell
    database_tasks()
    assert _waiting().count() == 1


def test_starting_the_worker_starts_the_heartbeat(database_tasks, client):
    # Not a batch run: the worker as production runs it, stopped after one task.
    call_command(
        "db_worker",
        "--max-tasks=1",
        "--no-startup-delay",
        "--no-reload",
        "--interval=0",
        verbosity=0,
    )
    assert timezone.now() - _beat_at() < timedelta(seconds=10)
    assert _waiting().count() == 1

    body = json.loads(client.get("/readyz").content)
    assert body["status"] == "ok"
    assert body["checks"]["worker"]["state"] == "ok"


def test_a_batch_run_leaves_no_beat_waiting(database_tasks):
    database_tasks()
    assert not DBTaskResult.objects.exists()


def test_no_heartbeat_when_it_is_turned_off(database_tasks, settings):
    settings.NEWSROOM_WORKER_HEARTBEAT_SECONDS = 0
    assert heartbeat_start() is False
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_no_heartbeat_where_tasks_run_at_once():
    # The tests' backend: a beat that queued the next at once would run for ever.
    assert heartbeat_start() is False
    assert not WorkerHeartbeat.objects.exists()


def test_the_worker_logs_other_tasks_but_not_each_routine_beat(database_tasks, caplog):
    heartbeat_start()
    send_later([("reader@example.com", "Subject", "Body", {})], kind="test")

    with caplog.at_level("INFO"):
        # As the worker runs in a terminal (verbosity 1): each task's start and finish.
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=1)

    logged = [record.getMessage() for record in caplog.records]
    assert any("newsroom.mail.deliver state=SUCCESSFUL" in line for line in logged)
    assert not any(HEARTBEAT_RUN in line for line in logged)
    assert _beat_at() is not None  # it did beat
