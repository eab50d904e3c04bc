"""Articles move draft → in review → scheduled / published → unpublished, as permissions allow;
changes readers would notice ask for confirmation first."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleRedirect
from tests.admin_forms import change_form_data, form_data
from tests.factories import make_article, make_draft, make_section, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer_client(client):
    client.force_login(make_user(group="Writers"))
    return client


def _change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def _save(client, article, **changes):
    return client.post(_change_url(article), change_form_data(client, article, **changes))


def _status_choices(client, article):
    html = client.get(_change_url(article)).content.decode()
    select = re.search(r'<select name="status".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\w+)"', select)


def _local(moment):
    """The admin's date and time inputs for a moment, in the site's time zone."""
    local = timezone.localtime(moment)
    return {
        "published_at_0": local.strftime("%Y-%m-%d"),
        "published_at_1": local.strftime("%H:%M:%S"),
    }


def test_writer_submits_a_draft_for_review_but_cannot_publish(writer_client):
    draft = make_draft(headline="Harbour strike enters second week")
    assert _status_choices(writer_client, draft) == ["draft", "review"]

    response = _save(writer_client, draft, status="review")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.REVIEW
    assert draft.revisions.first().note == "Submitted for review"

    # A forged POST for a state the page did not offer is refused, and nothing changes.
    forged = _save(writer_client, draft, status="published")
    assert forged.status_code == 200
    assert "Select a valid choice" in forged.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.REVIEW


def test_a_live_story_is_read_only_for_writers_and_open_to_editors(editor_client):
    writer_client = Client()
    writer_client.force_login(make_user(group="Writers"))
    story = make_article(headline="Harbour strike ends")
    editor_form = change_form_data(editor_client, story, headline="Harbour strike ends in a deal")
    page = writer_client.get(_change_url(story)).content.decode()
    assert "View article" in page
    assert 'name="_save"' not in page
    # The editor's own form, sent by a writer, changes nothing.
    assert writer_client.post(_change_url(story), editor_form).status_code == 403
    story.refresh_from_db()
    assert story.headline == "Harbour strike ends"

    editor_client.post(_change_url(story), editor_form)
    story.refresh_from_db()
    assert story.headline == "Harbour strike ends in a deal"


def test_writer_cannot_set_a_publish_time(writer_client):
    draft = make_draft()
    data = change_form_data(writer_client, draft, **_local(timezone.now()))
    writer_client.post(_change_url(draft), data)
    draft.refresh_from_db()
    assert draft.published_at is None


def test_editor_schedules_an_article_in_review(editor_client, reader):
    story = make_draft(headline="Budget to be unveiled on Friday", status=Article.Status.REVIEW)
    assert _status_choices(editor_client, story) == ["draft", "review", "published"]
    when = timezone.now() + timedelta(days=2)
    response = _save(editor_client, story, status="published", **_local(when))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.is_scheduled()
    assert story.revisions.first().note == "Scheduled"

    changelist = editor_client.get(
        reverse("admin:articles_article_changelist") + "?state=scheduled"
    )
    html = changelist.content.decode()
    assert "Budget to be unveiled on Friday" in html
    assert "Scheduled for" in html
    assert "Budget to be unveiled" not in reader.get("/").content.decode()


@pytest.mark.parametrize(
    ("state", "shown", "hidden"),
    [
        ("draft", "A draft", "In review story"),
        ("review", "In review story", "A draft"),
        ("unpublished", "Taken down for now", "A draft"),
        ("published", "Live story", "Taken down for now"),
        ("scheduled", "Due on Friday", "Live story"),
    ],
)
def test_changelist_filters_by_state(editor_client, state, shown, hidden):
    make_draft(headline="A draft")
    make_draft(headline="In review story", status=Article.Status.REVIEW)
    make_article(headline="Taken down for now", status=Article.Status.UNPUBLISHED)
    make_article(headline="Live story")
    make_article(headline="Due on Friday", published_at=timezone.now() + timedelta(days=3))
    html = editor_client.get(
        reverse("admin:articles_article_changelist") + f"?state={state}"
    ).content.decode()
    assert shown in html
    assert hidden not in html


def test_unpublishing_a_live_article_asks_first_then_takes_it_off_the_site(editor_client, reader):
    story = make_article(headline="Council approves the new bridge")
    url = story.get_absolute_url()

    first = _save(editor_client, story, status="unpublished")
    assert first.status_code == 200
    html = first.content.decode()
    assert "Unpublish it: readers lose it at once" in html
    assert 'name="confirm"' in html
    # The editor's own choices are still on the form.
    assert re.search(r'<option value="unpublished" selected>', html)
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED

    data = form_data(first, "article_form")
    data["confirm"] = ["on"]
    assert editor_client.post(_change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.status == Article.Status.UNPUBLISHED
    assert reader.get(url).status_code == 404


def test_bulk_unpublish_shows_what_will_happen_before_doing_it(editor_client):
    live = make_article(headline="Ferry timetable changes")
    changelist = reverse("admin:articles_article_changelist")
    ask = editor_client.post(
        changelist, {"action": "unpublish_selected", "_selected_action": [live.pk], "index": 0}
    )
    assert ask.status_code == 200
    assert "Readers lose these articles at once" in ask.content.decode()
    live.refresh_from_db()
    assert live.status == Article.Status.PUBLISHED

    done = editor_client.post(
        changelist,
        {"action": "unpublish_selected", "_selected_action": [live.pk], "confirm": "yes"},
        follow=True,
    )
    assert "Unpublished 1 article" in done.content.decode()
    live.refresh_from_db()
    assert live.status == Article.Status.UNPUBLISHED


def test_clearing_the_time_of_a_scheduled_article_asks_first(editor_client):
    story = make_article(published_at=timezone.now() + timedelta(days=1))
    response = _save(editor_client, story, published_at_0="", published_at_1="")
    assert response.status_code == 200
    assert "the article will be published now, not at its scheduled time" in (
        response.content.decode()
    )
    story.refresh_from_db()
    assert story.is_scheduled()


def test_moving_a_live_article_asks_first_and_leaves_a_permanent_redirect(editor_client, reader):
    story = make_article(slug="bridge-vote-delayed")
    old_url = story.get_absolute_url()
    elsewhere = make_section(name="Local", slug="local")

    ask = _save(editor_client, story, slug="bridge-vote-postponed", section=str(elsewhere.pk))
    assert ask.status_code == 200
    assert f"its address changes from {old_url}" in ask.content.decode()

    data = form_data(ask, "article_form")
    data["confirm"] = ["on"]
    assert editor_client.post(_change_url(story), data).status_code == 302
    story.refresh_from_db()
    new_url = story.get_absolute_url()
    assert new_url.startswith("/local/") and new_url.endswith("/bridge-vote-postponed/")

    moved = reader.get(old_url)
    assert moved.status_code == 301
    assert moved["Location"] == new_url
    assert reader.get(new_url).status_code == 200


def test_moving_back_to_an_old_address_does_not_loop(editor_client, reader):
    story = make_article(slug="first-name")
    first_url = story.get_absolute_url()
    for slug in ("second-name", "first-name"):
        data = change_form_data(editor_client, story, slug=slug, confirm="on")
        assert editor_client.post(_change_url(story), data).status_code == 302
    assert reader.get(first_url).status_code == 200
    assert not ArticleRedirect.objects.filter(old_path=first_url).exists()


def test_drafts_move_freely_without_confirmation(editor_client):
    draft = make_draft(slug="early-name")
    assert _save(editor_client, draft, slug="better-name").status_code == 302
    assert not ArticleRedirect.objects.exists()
