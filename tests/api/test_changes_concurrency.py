"""The change feed's cursor stays exact when changes commit out of order, on PostgreSQL.

Two writers, each in its own connection: the first writes a change and holds its transaction
open; the second writes another and commits at once. Without the change log's lock the second
takes the higher id and commits first, a reader moves its cursor past it, and the first
change, committed a moment later with the lower id, is never read. With the lock the second
writer waits for the first to commit.
"""

import threading

import pytest
from django.db import connection, transaction

from api import changes
from api.models import Change
from tests.concurrency import in_thread
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_change_committed_late_is_not_skipped_by_a_reader(client):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one transaction write at a time: nothing commits out of order")
    slow, quick = make_article(), make_article()
    start = Change.objects.order_by("-pk").values_list("pk", flat=True).first()
    slow_wrote, slow_may_commit = threading.Event(), threading.Event()

    def slow_writer():
        with transaction.atomic():
            changes.record(slow)
            slow_wrote.set()
            slow_may_commit.wait(10)

    def quick_writer():
        with transaction.atomic():
            changes.record(quick)

    first = in_thread(slow_writer)
    assert slow_wrote.wait(10)
    second = in_thread(quick_writer)
    second.join(1)  # With the lock it is still waiting for the slow writer.

    # A partner reads while the slow transaction is still open.
    page = client.get("/api/v1/changes/", {"since": start}).json()
    read = [change["article"] for change in page["changes"]]
    slow_may_commit.set()
    first.join(10)
    second.join(10)
    assert not first.is_alive() and not second.is_alive()

    page = client.get("/api/v1/changes/", {"since": page["next"]}).json()
    read += [change["article"] for change in page["changes"]]
    assert sorted(read) == sorted([slow.pk, quick.pk]), "a committed change was skipped"
    assert read == [slow.pk, quick.pk]
