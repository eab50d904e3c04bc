"""Editors hear about work waiting for them: a story submitted for review emails each Editor
(through the worker), and the admin's home page lists the stories in review, oldest first."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from newsroom.models import OutgoingEmail
from tests.admin_forms import change_form_data
from tests.factories import make_api_key, make_article, make_draft, make_section, make_user
from tests.query_budgets import staff

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.NEWSROOM_BASE_URL = "https://news.example"
    settings.NEWSROOM_SITE_NAME = "Newsroom"


@pytest.fixture
def writer():
    return make_user(group="Writers", first_name="Ana", last_name="Reporter")


@pytest.fixture
def writer_client(writer):
    client = Client()
    client.force_login(writer)
    return client


@pytest.fixture
def editors():
    return [make_user(group="Editors"), make_user(group="Editors")]


def _change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def _save(client, article, **changes):
    response = client.post(_change_url(article), change_form_data(client, article, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    return response


def test_submitting_a_draft_emails_each_active_editor_with_an_address(
    writer_client, editors, mailoutbox
):
    make_user(group="Editors", is_active=False)
    make_user(group="Editors", email="")
    make_user(group="Moderators")
    make_user(group="Writers")
    ports = make_section(name="Ports")
    draft = make_draft(headline="Harbour strike enters second week", section=ports)

    _save(writer_client, draft, status="review")

    assert sorted(address for m in mailoutbox for address in m.to) == sorted(
        editor.email for editor in editors
    )
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mailoutbox)
    message = mailoutbox[0]
    assert message.subject == "[Newsroom] For review: Harbour strike enters second week"
    assert "Ana Reporter submitted a story for review" in message.body
    assert "“Harbour strike enters second week”" in message.body
    assert "Section: Ports" in message.body
    assert f"https://news.example/admin/articles/article/{draft.pk}/change/" in message.body
    # Through the outbox and the worker, as every email.
    assert set(OutgoingEmail.objects.values_list("kind", "status")) == {("review-request", "sent")}


def test_saving_a_story_that_stays_in_review_emails_nobody(writer_client, editors, mailoutbox):
    draft = make_draft()
    _save(writer_client, draft, status="review")
    mailoutbox.clear()

    _save(writer_client, draft, headline="A sharper headline")
    assert draft.headline == "A sharper headline"
    assert mailoutbox == []


def test_sent_back_to_draft_and_submitted_again_is_a_new_request(
    writer_client, editors, mailoutbox
):
    draft = make_draft()
    _save(writer_client, draft, status="review")
    first_submission = draft.submitted_at
    _save(writer_client, draft, status="draft")
    mailoutbox.clear()

    _save(writer_client, draft, status="review")
    assert len(mailoutbox) == len(editors)
    assert draft.submitted_at > first_submission


def test_an_editor_asking_for_a_second_look_tells_the_other_editors_only(
    editor_client, editor, editors, mailoutbox
):
    draft = make_draft()
    _save(editor_client, draft, status="review")
    recipients = {address for m in mailoutbox for address in m.to}
    assert recipients == {other.email for other in editors}
    assert editor.email not in recipients
    assert draft.submitted_by == editor


def test_the_subject_is_one_line_and_the_text_is_not_html_escaped(
    writer_client, editors, mailoutbox
):
    draft = make_draft()
    _save(writer_client, draft, status="review", headline="Fish & chips <b>\r\nprices</b> rise")
    message = mailoutbox[0]
    assert message.subject == "[Newsroom] For review: Fish & chips <b> prices</b> rise"
    assert "Fish & chips <b> prices</b> rise" in message.body
    assert "&amp;" not in message.body


def test_a_save_refused_with_an_error_emails_nobody(writer_client, editors, mailoutbox):
    draft = make_draft()
    data = change_form_data(writer_client, draft, status="review", headline="")
    response = writer_client.post(_change_url(draft), data)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert mailoutbox == []
    assert not OutgoingEmail.objects.exists()


def test_agency_copy_from_the_api_waits_on_the_home_page_without_an_email(
    client, editor_client, editors, mailoutbox
):
    make_section(name="Wire", slug="wire", position=0)
    _, key = make_api_key(can_ingest=True)
    item = {
        "uri": "urn:agency:story:77",
        "version": "1",
        "type": "text",
        "headlines": [{"role": "main", "value": "Agency: port reopens"}],
        "bodies": [{"contenttype": "text/plain", "value": "The port reopened at dawn."}],
    }
    response = client.post(
        "/api/v1/ingest/",
        json.dumps(item),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 201, response.content
    assert mailoutbox == []
    assert "Agency: port reopens" in _block(editor_client.get(HOME).content.decode())


def _waiting(*, writer, minutes_ago, headline):
    return make_draft(
        status=Article.Status.REVIEW,
        headline=headline,
        submitted_by=writer,
        submitted_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def _block(html):
    match = re.search(r'<div class="module" id="waiting-for-review">.*?</div>', html, re.S)
    return match.group(0) if match else None


def test_the_home_page_lists_the_stories_waiting_for_review_oldest_first(
    editor_client, django_assert_num_queries
):
    writers = [make_user(group="Writers", first_name=f"Writer{n}") for n in range(6)]
    stories = [
        _waiting(writer=w, minutes_ago=10 * (n + 1), headline=f"Story waiting {n}")
        for n, w in enumerate(writers)
    ]
    make_draft(headline="A draft nobody submitted")
    make_article(headline="A published story")

    with django_assert_num_queries(staff("admin home")):
        response = editor_client.get(HOME)

    block = _block(response.content.decode())
    assert "Waiting for review" in block
    oldest_first = list(reversed(stories))
    assert re.findall(r"Story waiting \d", block) == [s.headline for s in oldest_first]
    for story, writer in zip(stories, writers, strict=True):
        assert f'href="{_change_url(story)}"' in block
        assert writer.first_name in block
    assert "A draft nobody submitted" not in block
    assert "A published story" not in block


def test_a_long_queue_shows_the_oldest_twenty_and_links_to_all(editor_client):
    writer = make_user(group="Writers")
    for n in range(23):
        _waiting(writer=writer, minutes_ago=100 - n, headline=f"Queued story {n:02d}")

    block = _block(editor_client.get(HOME).content.decode())
    assert re.findall(r"Queued story \d\d", block) == [f"Queued story {n:02d}" for n in range(20)]
    assert "3 more not shown" in block
    assert "all 23 stories in review" in block
    assert "?state=review" in block


def test_the_block_is_for_those_who_may_publish(client, writer):
    _waiting(writer=writer, minutes_ago=5, headline="Waiting for an editor")
    for user, sees in [
        (writer, False),
        (make_user(group="Moderators"), False),
        (make_user(group="Editors"), True),
        (make_user(is_staff=True, is_superuser=True), True),
    ]:
        client.force_login(user)
        block = _block(client.get(HOME).content.decode())
        assert (block is not None and "Waiting for an editor" in block) == sees, user


def test_an_empty_queue_says_so(editor_client):
    block = _block(editor_client.get(HOME).content.decode())
    assert "No story is waiting for review." in block
