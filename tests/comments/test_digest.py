"""The moderators' digest: who gets it, what it says, which window it covers, and the worker's
schedule that sends it, one digest at a time."""

import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments import notifications
from comments.digest_schedule import digest_run, digest_schedule_start
from comments.models import Comment, CommentReport, DigestLog, DigestSchedule
from comments.notifications import digest_send
from tests.factories import comment_form_data, make_article, make_comment, make_user

pytestmark = pytest.mark.django_db


def _run():
    out, err = StringIO(), StringIO()
    call_command("send_moderation_digest", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def _age(comment, **delta):
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(**delta))


def _report(comment, *, ago=None, count=1):
    for _ in range(count):
        report = CommentReport.objects.create(comment=comment, reason="abusive")
        if ago is not None:
            CommentReport.objects.filter(pk=report.pk).update(created_at=timezone.now() - ago)
    Comment.objects.filter(pk=comment.pk).update(is_reported=True, report_count=count)


def _admin_url(comment):
    return "http://testserver.example" + reverse("admin:comments_comment_change", args=[comment.pk])


@pytest.fixture(autouse=True)
def _digest_settings(settings):
    settings.COMMENTS_DIGEST_ENABLED = True
    settings.NEWSROOM_BASE_URL = "http://testserver.example"
    settings.NEWSROOM_SITE_NAME = "Newsroom"


def test_only_active_moderators_with_an_email_get_it(mailoutbox, moderator):
    other_moderator = make_user(group="Moderators")
    make_user(group="Editors")
    make_user(group="Moderators", is_active=False)
    make_user(group="Moderators", email="")
    make_user()
    make_comment(article=make_article(), status="pending")

    log = digest_send()

    assert sorted(address for m in mailoutbox for address in m.to) == sorted(
        [moderator.email, other_moderator.email]
    )
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mailoutbox)
    assert log.recipients == 2
    assert DigestLog.objects.count() == 1


def test_it_lists_pending_and_reported_comments_with_admin_links(mailoutbox, moderator):
    article = make_article(headline="Council approves the new bridge")
    pending = make_comment(
        article=article,
        status="pending",
        name="Ana Pending",
        email="ana.secret@example.org",
        body="The bridge is a waste of money. " * 20,
        policy_reasons=[{"rule": "words", "reason": "Contains a word on the watch list"}],
    )
    reported = make_comment(
        article=article, name="Ben Reported", email="ben.secret@example.org", body="Rude words."
    )
    _age(reported, days=10)
    _report(reported, count=3)

    log = digest_send()

    assert (log.pending, log.reported, log.recipients) == (1, 1, 1)
    [message] = mailoutbox
    assert message.subject == "[Newsroom] 1 comment to moderate, 1 reported"
    body = message.body
    assert "Council approves the new bridge" in body
    assert "Ana Pending" in body
    assert "Ben Reported" in body
    assert "Contains a word on the watch list" in body
    assert "Reports: 3" in body
    assert _admin_url(pending) in body
    assert _admin_url(reported) in body
    # An excerpt, not the whole text.
    assert "The bridge is a waste of money." in body
    assert pending.body.strip() not in body
    assert "&amp;" not in body and "&#x27;" not in body
    everything = " ".join([message.subject, body, *message.to, *message.cc, *message.bcc])
    assert "secret@example.org" not in everything


def test_the_text_is_not_html_escaped(mailoutbox, moderator):
    make_comment(
        article=make_article(headline="Fish & chips"),
        status="pending",
        name="O'Brien",
        body="I don't <agree>",
    )
    digest_send()
    [message] = mailoutbox
    assert "Fish & chips" in message.body
    assert "O'Brien" in message.body
    assert "I don't <agree>" in message.body


def test_a_second_run_straight_after_sends_nothing(mailoutbox, moderator):
    make_comment(article=make_article(), status="pending")
    assert "Sent a digest of 1 pending and 0 reported comments to 1 moderator." in _run()
    assert "Nothing new to moderate." in _run()
    assert len(mailoutbox) == 1
    assert DigestLog.objects.count() == 1


def test_the_window_starts_at_the_last_digest(mailoutbox, moderator):
    article = make_article()
    before = make_comment(article=article, status="pending", name="Before the last digest")
    _age(before, hours=3)
    after = make_comment(article=article, status="pending", name="After the last digest")
    _age(after, hours=1)
    old_report = make_comment(article=article, name="Reported before")
    _report(old_report, ago=timedelta(hours=3))
    log = DigestLog.objects.create()
    DigestLog.objects.filter(pk=log.pk).update(sent_at=timezone.now() - timedelta(hours=2))

    new = digest_send()

    [message] = mailoutbox
    assert "After the last digest" in message.body
    assert "Before the last digest" not in message.body
    assert "Reported before" not in message.body
    assert (new.pending, new.reported) == (1, 0)
    assert DigestLog.objects.order_by("-sent_at").first() == new


def test_without_an_earlier_digest_it_covers_the_last_day(mailoutbox, moderator):
    article = make_article()
    _age(make_comment(article=article, status="pending", name="Two days old"), days=2)
    _age(make_comment(article=article, status="pending", name="An hour old"), hours=1)
    digest_send()
    [message] = mailoutbox
    assert "An hour old" in message.body
    assert "Two days old" not in message.body


def test_only_comments_still_pending_or_reported_count(mailoutbox, moderator):
    article = make_article()
    make_comment(article=article, status="approved", name="Already approved")
    make_comment(article=article, status="rejected", name="Already rejected")
    decided = make_comment(article=article, name="Report dealt with")
    _report(decided)
    Comment.objects.filter(pk=decided.pk).update(is_reported=False)
    make_comment(article=article, status="pending", name="Still waiting")
    digest_send()
    [message] = mailoutbox
    assert "Still waiting" in message.body
    for name in ["Already approved", "Already rejected", "Report dealt with"]:
        assert name not in message.body


def test_nothing_pending_sends_nothing(mailoutbox, moderator):
    make_comment(article=make_article(), status="approved")
    assert digest_send() is None
    assert "Nothing new to moderate." in _run()
    assert mailoutbox == []
    assert not DigestLog.objects.exists()


def test_the_setting_turns_it_off(mailoutbox, moderator, settings):
    settings.COMMENTS_DIGEST_ENABLED = False
    make_comment(article=make_article(), status="pending")
    assert digest_send() is None
    assert "Digests are turned off (COMMENTS_DIGEST_ENABLED)." in _run()
    assert mailoutbox == []
    assert not DigestLog.objects.exists()


def test_without_moderators_nothing_is_sent_or_logged(mailoutbox):
    make_user(group="Editors")
    make_comment(article=make_article(), status="pending")
    assert digest_send() is None
    assert "No active moderator has an email address" in _run()
    assert mailoutbox == []
    assert not DigestLog.objects.exists()


def test_the_command_reports_what_it_sent(mailoutbox, moderator):
    make_user(group="Moderators")
    article = make_article()
    for _ in range(3):
        make_comment(article=article, status="pending")
    _report(make_comment(article=article))
    output = _run()
    assert "Sent a digest of 3 pending and 1 reported comments to 2 moderators." in output
    assert len(mailoutbox) == 2
    assert mailoutbox[0].subject == "[Newsroom] 3 comments to moderate, 1 reported"


def test_a_comment_that_arrives_while_sending_goes_into_the_next_digest(mailoutbox, moderator):
    article = make_article()
    _age(make_comment(article=article, status="pending", name="Early"), minutes=5)
    late = make_comment(article=article, status="pending", name="Late")
    # The first digest's window closed a minute ago, before "Late" came in.
    first = digest_send(now=timezone.now() - timedelta(minutes=1))
    assert first.pending == 1
    assert first.sent_at < late.created_at
    second = digest_send()
    assert second.pending == 1
    assert "Late" in mailoutbox[1].body
    assert "Early" not in mailoutbox[1].body


# The worker's schedule (comments/digest_schedule.py) and the lock that lets one digest send.

DIGEST_RUN = "comments.digest_schedule.digest_run"


def _digest_runs():
    return DBTaskResult.objects.filter(task_path=DIGEST_RUN, status="READY")


def _post_comment(client, article):
    response = client.post(
        reverse("comments:post", args=[article.pk]), comment_form_data(client, article)
    )
    assert response.status_code == 303
    assert Comment.objects.get().status == "pending", "held for a moderator"


def _minutes_away(moment):
    return (moment - timezone.now()).total_seconds() / 60


def test_the_worker_sends_the_digest_on_its_schedule(
    database_tasks, settings, client, moderator, mailoutbox
):
    settings.COMMENTS_DIGEST_EVERY_MINUTES = 30
    article = make_article()
    assert not _digest_runs().exists(), "nothing to moderate, nothing scheduled"

    _post_comment(client, article)
    [run] = _digest_runs()
    assert 29 < _minutes_away(run.run_after) <= 30

    database_tasks()
    assert mailoutbox == [], "not due yet"

    # Half an hour later (moved, not waited).
    _digest_runs().update(run_after=timezone.now())
    database_tasks()
    [digest] = mailoutbox
    assert digest.subject == "[Newsroom] 1 comment to moderate, 0 reported"
    assert digest.to == [moderator.email]
    [following] = _digest_runs()
    assert following.pk != run.pk
    assert 29 < _minutes_away(following.run_after) <= 30
    assert DigestSchedule.objects.get().next_task_id == str(following.pk)


def test_more_comments_and_reports_never_queue_a_second_run(database_tasks, client, moderator):
    article = make_article()
    _post_comment(client, article)
    approved = make_comment(article=article)
    response = client.post(
        reverse("comments:report", args=[approved.pk]), {"reason": "spam", "text": ""}
    )
    assert response.status_code == 303
    digest_schedule_start()
    assert _digest_runs().count() == 1


def test_a_stray_second_run_leaves_one_run_waiting(database_tasks, moderator, mailoutbox):
    digest_schedule_start()
    # A run queued by hand beside the schedule's own, both due now.
    digest_run.enqueue()
    _digest_runs().update(run_after=timezone.now())
    make_comment(article=make_article(), status="pending")

    database_tasks()
    assert len(mailoutbox) == 1, "the second run found nothing new to send"
    assert _digest_runs().count() == 1


def test_migrate_starts_the_schedule_when_comments_wait(database_tasks):
    call_command("migrate", verbosity=0)
    assert not _digest_runs().exists()

    make_comment(article=make_article(), status="pending")
    call_command("migrate", verbosity=0)
    assert _digest_runs().count() == 1


def test_every_minutes_0_leaves_the_digest_to_the_command(database_tasks, settings, client):
    settings.COMMENTS_DIGEST_EVERY_MINUTES = 0
    _post_comment(client, make_article())
    assert not _digest_runs().exists()


def _lock_waits():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize("first_ever", [True, False], ids=["first-digest-ever", "schedule-row"])
@pytest.mark.django_db(transaction=True)
def test_two_digests_at_the_same_moment_send_once(monkeypatch, mailoutbox, moderator, first_ever):
    if connection.vendor != "postgresql":
        pytest.skip(
            "two digests at once need PostgreSQL (DATABASE_URL): SQLite serialises writes, and "
            "its in-memory test database is not shared between threads"
        )
    if not first_ever:
        DigestSchedule.objects.create(pk=DigestSchedule.ONLY)
    make_comment(article=make_article(), status="pending")
    inside, go_on = threading.Event(), threading.Event()
    queue_emails = notifications.send_later

    def first_one_holds(messages, *, kind):
        rows = queue_emails(messages, kind=kind)
        inside.set()
        assert go_on.wait(timeout=30)
        return rows

    monkeypatch.setattr(notifications, "send_later", first_one_holds)
    results = {}

    def digest(name):
        try:
            results[name] = digest_send()
        finally:
            connection.close()

    first = threading.Thread(target=digest, args=["first"])
    first.start()
    assert inside.wait(timeout=30), "the first digest reached its emails"
    second = threading.Thread(target=digest, args=["second"])
    second.start()
    # The second digest waits for the first one's lock: see it do so, then let the first end.
    deadline = time.monotonic() + 30
    while not _lock_waits():
        assert time.monotonic() < deadline, "the second digest never waited for the first"
    go_on.set()
    first.join(timeout=30)
    second.join(timeout=30)

    assert results["first"] is not None
    assert results["second"] is None, "it saw the first digest and had nothing new"
    assert DigestLog.objects.count() == 1
    assert len(mailoutbox) == 1
