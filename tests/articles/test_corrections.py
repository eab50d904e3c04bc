"""Dated corrections and updates: added in the admin, shown on the article, in its JSON-LD and
on the public record."""

import json
from datetime import timedelta

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.admin_forms import change_form_data
from tests.factories import make_article, make_correction, make_draft

pytestmark = pytest.mark.django_db


def _news_article(response):
    tree = lxml.html.fromstring(response.content.decode())
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        data = json.loads(script.text)
        if data["@type"] == "NewsArticle":
            return data
    raise AssertionError("no NewsArticle JSON-LD")


def test_editor_adds_a_correction_that_readers_see(editor_client, editor, reader):
    story = make_article(headline="Rail fares to rise by 4%")
    data = change_form_data(
        editor_client,
        story,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-published_at_0": timezone.localdate().isoformat(),
            "corrections-0-published_at_1": timezone.localtime().strftime("%H:%M:%S"),
            "corrections-0-text": "An earlier version said fares rise by 5%. The rise is 4%.",
        },
    )
    response = editor_client.post(reverse("admin:articles_article_change", args=[story.pk]), data)
    assert response.status_code == 302
    note = story.corrections.get()
    assert note.created_by == editor

    html = reader.get(story.get_absolute_url()).content.decode()
    assert "Corrections and updates" in html
    assert "An earlier version said fares rise by 5%. The rise is 4%." in html


def test_notes_show_in_order_with_their_dates_and_escaped(client):
    story = make_article()
    now = timezone.now()
    make_correction(article=story, text="First <b>fix</b>.", published_at=now - timedelta(hours=2))
    make_correction(article=story, kind="update", text="Second note.", published_at=now)
    html = client.get(story.get_absolute_url()).content.decode()
    assert html.index("First &lt;b&gt;fix&lt;/b&gt;.") < html.index("Second note.")
    assert "<strong>Update, " in html


def test_json_ld_modified_date_follows_the_latest_note(client):
    story = make_article()
    later = timezone.now()  # after the article's own last change
    make_correction(article=story, text="The minister's name was misspelt.", published_at=later)
    data = _news_article(client.get(story.get_absolute_url()))
    assert data["dateModified"] == later.isoformat()
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "The minister's name was misspelt.",
            "datePublished": later.isoformat(),
        }
    ]


def test_a_note_dated_in_the_future_waits(client):
    story = make_article()
    make_correction(article=story, text="Not yet.", published_at=timezone.now() + timedelta(days=1))
    assert "Not yet." not in client.get(story.get_absolute_url()).content.decode()
    assert "Not yet." not in client.get("/corrections/").content.decode()


def test_public_record_lists_notes_of_published_articles_only(client):
    story = make_article(headline="Harbour fire update")
    make_correction(article=story, text="The fire started at 2am, not 3am.")
    make_correction(article=make_draft(), text="A note on a draft.")
    response = client.get(reverse("articles:corrections"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The fire started at 2am, not 3am." in html
    assert f'href="{story.get_absolute_url()}"' in html
    assert "A note on a draft." not in html
    assert 'href="/corrections/"' in client.get("/").content.decode()  # linked in the footer


def test_corrections_slug_is_reserved_for_the_public_record():
    from articles.validators import reserved_section_slugs

    assert "corrections" in reserved_section_slugs()
