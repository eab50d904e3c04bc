"""Email and renditions are the task worker's: queued with the change, kept while no worker runs,
made once one does; a failed send is tried again later, and staff see what failed and why."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments.models import Comment
from comments.notifications import digest_send
from images.models import Image
from newsroom.models import OutgoingEmail
from tests.factories import comment_form_data, make_article, make_comment, make_user, upload


class FlakyMailServer(EmailBackend):
    """The console of a mail server that refuses the first ``refusals`` sends."""

    refusals = 0

    def send_messages(self, messages):
        if FlakyMailServer.refusals:
            FlakyMailServer.refusals -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings, mailoutbox):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_worker.FlakyMailServer"}}
    yield FlakyMailServer
    FlakyMailServer.refusals = 0


def _digest_waiting():
    make_user(group="Moderators", email="desk@example.org")
    make_comment(article=make_article(), status=Comment.Status.PENDING)
    return digest_send()


def _make_due():
    # The worker's retry waits minutes; the test moves its time forward instead of waiting.
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_an_email_waits_for_the_worker_and_goes_once_it_runs(database_tasks, mailoutbox):
    assert _digest_waiting() is not None
    email = OutgoingEmail.objects.get()
    assert (email.to, email.status, len(mailoutbox)) == ("desk@example.org", "queued", 0)

    database_tasks()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 1)
    assert [m.to for m in mailoutbox] == [["desk@example.org"]]
    database_tasks()
    assert len(mailoutbox) == 1, "a second worker run sends nothing twice"


def test_a_comment_posted_with_no_worker_gets_its_email_once_one_runs(
    database_tasks, client, mailoutbox
):
    article = make_article()
    data = comment_form_data(client, article, email="maria@example.org", notify="on")
    assert client.post(reverse("comments:post", args=[article.pk]), data).status_code == 303
    assert Comment.objects.filter(email="maria@example.org").exists()
    assert mailoutbox == []
    assert OutgoingEmail.objects.get().status == "queued"

    database_tasks()
    assert [m.subject for m in mailoutbox] == [
        "[Newsroom] Confirm that you want emails about replies"
    ]


def test_a_picture_uploaded_with_no_worker_gets_its_renditions_once_one_runs(
    database_tasks, editor_client
):
    response = editor_client.post(
        reverse("admin:images_image_add"),
        {"file": upload("wide.jpg", size=(1000, 500)), "alt_text": "A ferry at dawn"}
        | {"caption": "", "credit": "", "focal_x": "0.5", "focal_y": "0.5"},
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert not image.renditions.exists()

    database_tasks()
    assert image.renditions.filter(spec="w960", format="webp").exists()
    image.refresh_from_db()
    assert image.rendition_index, "pages now point at the renditions"


def test_a_refused_send_is_tried_again_after_a_wait(database_tasks, flaky_mail):
    flaky_mail.refusals = 1
    _digest_waiting()
    database_tasks()
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == ("queued", 1)
    assert email.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    wait = email.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(seconds=60)

    database_tasks()
    assert len(mail.outbox) == 0, "the retry is not due yet"
    _make_due()
    database_tasks()
    email.refresh_from_db()
    assert (email.status, email.attempts, len(mail.outbox)) == ("sent", 2, 1)


def test_after_the_last_attempt_staff_see_the_error_and_can_send_it_again(
    database_tasks, flaky_mail, settings, editor_client
):
    settings.EMAIL_ATTEMPTS = 3
    flaky_mail.refusals = 3
    _digest_waiting()
    for _ in range(3):
        _make_due()
        database_tasks()
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == ("failed", 3)
    assert not DBTaskResult.objects.filter(status="READY").exists(), "no fourth attempt"

    listing = editor_client.get(
        reverse("admin:newsroom_outgoingemail_changelist"), {"status": "failed"}
    )
    assert listing.status_code == 200
    assert "desk@example.org" in listing.text
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in listing.text

    response = editor_client.post(
        reverse("admin:newsroom_outgoingemail_changelist"),
        {"action": "send_again", "_selected_action": [email.pk]},
        follow=True,
    )
    assert "1 queued to be sent again" in response.text
    database_tasks()
    email.refresh_from_db()
    assert (email.status, email.attempts, len(mail.outbox)) == ("sent", 1, 1)


def test_a_task_that_failed_shows_its_error_to_editors(database_tasks, editor_client):
    image = Image.objects.create(file=upload("photo.jpg"), alt_text="A harbour")
    # The picture's file is lost before the worker gets to its renditions.
    image.file.storage.delete(image.file.name)
    database_tasks()
    failed = DBTaskResult.objects.get(status="FAILED")
    page = editor_client.get(
        reverse("admin:django_tasks_database_dbtaskresult_change", args=[failed.pk])
    )
    assert page.status_code == 200
    assert "FileNotFoundError" in page.text


def test_pruning_the_outbox_deletes_old_sent_emails_only(db):
    from io import StringIO

    from django.core.management import CommandError, call_command

    old = timezone.now() - timedelta(days=31)
    rows = {
        status: OutgoingEmail.objects.create(
            kind="test", to="a@example.org", subject=status, body="…", status=status
        )
        for status in ("sent", "failed", "queued")
    }
    OutgoingEmail.objects.update(sent_at=old)
    recent = OutgoingEmail.objects.create(
        kind="test",
        to="a@example.org",
        subject="recent",
        body="…",
        status="sent",
        sent_at=timezone.now(),
    )
    out = StringIO()
    call_command("prune_outbox", stdout=out)
    assert out.getvalue().startswith("Deleted 1 emails sent before")
    kept = set(OutgoingEmail.objects.values_list("pk", flat=True))
    assert kept == {rows["failed"].pk, rows["queued"].pk, recent.pk}
    with pytest.raises(CommandError, match="between 1 and 36,500"):
        call_command("prune_outbox", "--days", "0")
