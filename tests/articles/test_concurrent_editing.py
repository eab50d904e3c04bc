"""Two editors on one story: the second save is refused, shown the first, and loses nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.revisions import record_revision
from tests.admin_forms import change_form_data, form_data
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def _editor(name):
    client = Client()
    client.force_login(make_user(group="Editors", first_name=name, last_name="Editor"))
    return client


def test_second_save_is_refused_with_the_other_changes_and_keeps_the_text():
    story = make_article(
        headline="Floods close the valley road",
        body="<p>The road was shut at dawn.</p>",
    )
    record_revision(article=story, note="Created")  # as the admin's add form does
    url = reverse("admin:articles_article_change", args=[story.pk])
    anna, ben = _editor("Anna"), _editor("Ben")

    # Both open the story; Anna saves first.
    annas_form = change_form_data(anna, story, headline="Floods close the valley road for a week")
    bens_form = change_form_data(
        ben, story, body="<p>The road was shut at dawn. Schools are closed too.</p>"
    )
    assert anna.post(url, annas_form).status_code == 302

    # Ben saves over a version he never saw: refused, told by whom and what, text kept.
    refused = ben.post(url, bens_form)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Anna Editor saved this article" in html
    assert "nothing of yours has been saved yet" in html
    assert "<ins> for a week</ins>" in html  # what Anna changed, shown to Ben
    assert "Schools are closed too." in html  # Ben's text, still on his form
    story.refresh_from_db()
    assert story.headline == "Floods close the valley road for a week"
    assert "Schools" not in story.body

    # Having seen Anna's change, Ben brings it in and saves again: now it goes through.
    again = form_data(refused, "article_form")
    again["headline"] = ["Floods close the valley road for a week"]
    assert ben.post(url, again).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Floods close the valley road for a week"
    assert "Schools are closed too." in story.body
    assert [revision.note for revision in story.revisions.all()] == ["Edited", "Edited", "Created"]


def test_saving_twice_in_a_row_alone_is_never_refused(editor_client):
    story = make_article()
    url = reverse("admin:articles_article_change", args=[story.pk])
    for headline in ("First take", "Second take"):
        response = editor_client.post(
            url, change_form_data(editor_client, story, headline=headline)
        )
        assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "Second take"
    assert story.version == 2


def test_a_bulk_publish_counts_as_someone_elses_save():
    story = make_article(status="draft", published_at=None)
    url = reverse("admin:articles_article_change", args=[story.pk])
    anna, ben = _editor("Anna"), _editor("Ben")
    bens_form = change_form_data(ben, story, standfirst="A new standfirst from Ben.")
    anna.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [story.pk], "index": 0},
    )
    refused = ben.post(url, bens_form)
    assert refused.status_code == 200
    assert "Anna Editor saved this article" in refused.content.decode()
    assert "A new standfirst from Ben." in refused.content.decode()
