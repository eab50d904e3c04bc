"""An embargoed story is nowhere before its time and everywhere after it, with no cron job; an
expired one is gone from everywhere and its address answers 410. Lifting an embargo early is an
editor's act, with a reason on record."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, FrontPage, SectionPin
from tests.admin_forms import change_form_data
from tests.factories import (
    make_article,
    make_author,
    make_correction,
    make_draft,
    make_section,
    make_topic,
    make_user,
    relate,
)

pytestmark = pytest.mark.django_db

HEADLINE = "Report on the harbour finally published"


@pytest.fixture
def world():
    section = make_section(name="Coast", slug="coast")
    topic = make_topic(name="Harbour")
    author = make_author(name="Ines Duarte", slug="ines-duarte")
    neighbour = make_article(headline="The harbour, a year on", section=section, topics=[topic])
    return {"section": section, "topic": topic, "author": author, "neighbour": neighbour}


def _story(world, **fields):
    story = make_article(
        headline=HEADLINE,
        section=world["section"],
        topics=[world["topic"]],
        primary_topic=world["topic"],
        authors=[world["author"]],
        body="<p>The harbour report says the breakwater needs rebuilding.</p>",
        **fields,
    )
    make_correction(article=story, text="The report's date was given wrongly.")
    relate(world["neighbour"], story)
    # The editors have placed it already: the lead, pinned to its section, and the banner's
    # story. No slot may show it before readers may see it.
    front = FrontPage.current()
    front.lead = story
    front.banner_text, front.banner_article = "The harbour report is out", story
    front.save()
    SectionPin.objects.create(front_page=front, section=world["section"], article=story)
    return story


def _surfaces(world):
    """Return every public list that would show the story, by name."""
    return {
        "front page": "/",
        "section": world["section"].get_absolute_url(),
        "topic": world["topic"].get_absolute_url(),
        "author": world["author"].get_absolute_url(),
        "site feed": reverse("articles:feed"),
        "section feed": reverse("articles:section_feed", args=["coast"]),
        "topic feed": reverse("articles:topic_feed", args=[world["topic"].slug]),
        "sitemap": "/sitemap-articles.xml",
        "news sitemap": "/sitemap-news.xml",
        "search": "/search/?q=breakwater",
        "corrections": "/corrections/",
        "related block": world["neighbour"].get_absolute_url(),
        # A page that lists nothing of the story's: only the banner could show it.
        "banner": "/search/?q=lighthouse",
    }


def _shown_on(world, story):
    """Return the surfaces that show the story, and the status of its own address."""
    client = Client()
    found = set()
    for name, url in _surfaces(world).items():
        response = client.get(url)
        assert response.status_code == 200, name
        text = response.content.decode()
        if HEADLINE in text or story.get_absolute_url() in text:
            found.add(name)
    return found, client.get(story.get_absolute_url()).status_code


def test_an_embargoed_story_is_nowhere_before_its_time_and_everywhere_after(world):
    until = timezone.now() + timedelta(hours=2)
    story = _story(world, embargo_until=until)
    assert _shown_on(world, story) == (set(), 404)
    # Nothing runs at that time: readers simply see it from then.
    with mock.patch("django.utils.timezone.now", return_value=until + timedelta(seconds=1)):
        assert _shown_on(world, story) == (set(_surfaces(world)), 200)


def test_an_embargo_holds_whatever_the_state_and_publish_time(world):
    story = _story(world, embargo_until=timezone.now() + timedelta(days=3))
    assert story.status == Article.Status.PUBLISHED
    assert story.published_at < timezone.now()
    assert not Article.objects.published().filter(pk=story.pk).exists()
    # Nor can a reader comment on it.
    response = Client().post(reverse("comments:post", args=[story.pk]), {"body": "Early"})
    assert response.status_code == 404


def test_an_expired_story_is_gone_from_everywhere_and_answers_410(world):
    story = _story(world, expires_at=timezone.now() - timedelta(minutes=1))
    found, status = _shown_on(world, story)
    assert (found, status) == (set(), 410)
    html = Client().get(story.get_absolute_url()).content.decode()
    assert "This article is no longer available" in html
    assert "withdrew" not in html


def test_a_story_expires_at_its_time_with_nothing_to_run(world):
    when = timezone.now() + timedelta(days=30)
    story = _story(world, expires_at=when)
    assert _shown_on(world, story) == (set(_surfaces(world)), 200)
    with mock.patch("django.utils.timezone.now", return_value=when):
        assert _shown_on(world, story) == (set(), 410)


@pytest.mark.page_cache
def test_no_cached_page_outlives_an_embargo_or_an_expiry(world, django_capture_on_commit_callbacks):
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        embargoed = _story(world, embargo_until=start + timedelta(minutes=5))
        leaving = make_article(
            headline="A licensed photo essay", expires_at=start + timedelta(minutes=8)
        )
    reader = Client()
    first = reader.get("/")
    assert HEADLINE not in first.text and "A licensed photo essay" in first.text
    # Kept no longer than until the embargo ends...
    assert "s-maxage=300" in first["Cache-Control"]
    assert reader.get("/")["X-Cache"] == "hit"
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=6)):
        after_embargo = reader.get("/")
        assert after_embargo["X-Cache"] == "miss"
        assert HEADLINE in after_embargo.text
        assert embargoed.get_absolute_url() in after_embargo.text
    # ...and then no longer than until the expiry.
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=9)):
        after_expiry = reader.get("/")
        assert after_expiry["X-Cache"] == "miss"
        assert "A licensed photo essay" not in after_expiry.text
        assert reader.get(leaving.get_absolute_url()).status_code == 410


# The editors' side


def _change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_the_article_list_shows_embargoed_and_expired_stories_with_their_times(editor_client):
    embargoed = make_article(
        headline="Embargoed budget", embargo_until=timezone.now() + timedelta(days=1)
    )
    make_article(headline="Expired essay", expires_at=timezone.now() - timedelta(hours=1))
    make_article(headline="Ordinary story")
    changelist = reverse("admin:articles_article_changelist")
    html = editor_client.get(changelist).content.decode()
    assert "Under embargo until" in html and "Expired on" in html
    listed = editor_client.get(changelist, {"state": "embargoed"}).content.decode()
    assert "Embargoed budget" in listed and "Ordinary story" not in listed
    assert "Expired essay" not in listed
    expired = editor_client.get(changelist, {"state": "expired"}).content.decode()
    assert "Expired essay" in expired and "Embargoed budget" not in expired
    form = editor_client.get(_change_url(embargoed)).content.decode()
    assert "Under embargo until" in form
    assert reverse("admin:articles_article_lift_embargo", args=[embargoed.pk]) in form


def test_lifting_an_embargo_early_needs_a_reason_and_is_recorded(editor_client, editor):
    story = make_article(embargo_until=timezone.now() + timedelta(days=1))
    url = reverse("admin:articles_article_lift_embargo", args=[story.pk])
    assert editor_client.get(url).status_code == 200
    refused = editor_client.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert "Say why" in refused.content.decode()
    assert Article.objects.get(pk=story.pk).is_embargoed()

    response = editor_client.post(url, {"reason": "The ministry published it at 9:00."})
    assert response.status_code == 302
    story.refresh_from_db()
    assert not story.is_embargoed() and story.embargo_until is None
    assert story.embargo_lifted_by == editor
    assert story.embargo_lift_reason == "The ministry published it at 9:00."
    assert timezone.now() - story.embargo_lifted_at < timedelta(minutes=1)
    revision = story.revisions.first()
    assert revision.note.startswith("Embargo lifted early")
    assert "The ministry published it at 9:00." in revision.note
    assert Client().get(story.get_absolute_url()).status_code == 200
    form = editor_client.get(_change_url(story)).content.decode()
    assert "Lifted early by" in form and "The ministry published it at 9:00." in form


def _time(field, moment):
    """Return the admin's two boxes (date, time) for a moment, or empty ones for None."""
    local = timezone.localtime(moment) if moment else None
    return {
        f"{field}_0": local.strftime("%Y-%m-%d") if local else "",
        f"{field}_1": local.strftime("%H:%M:%S") if local else "",
    }


def test_the_form_cannot_end_an_embargo_early(editor_client):
    until = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    story = make_article(embargo_until=until)
    for earlier in [None, until - timedelta(hours=1)]:
        data = change_form_data(editor_client, story, **_time("embargo_until", earlier))
        response = editor_client.post(_change_url(story), data)
        assert response.status_code == 200
        assert "use “Lift embargo” above and say why" in response.content.decode()
        story.refresh_from_db()
        assert story.embargo_until == until
    data = change_form_data(
        editor_client, story, **_time("embargo_until", until + timedelta(hours=1))
    )
    assert editor_client.post(_change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.embargo_until > until


def test_embargo_and_expiry_are_the_editors_to_set(client):
    client.force_login(make_user(group="Writers"))
    draft = make_draft()
    html = client.get(_change_url(draft)).content.decode()
    assert 'name="embargo_until"' not in html and 'name="expires_at"' not in html
    assert "Embargoed until" in html  # shown, read-only


def test_embargoing_or_expiring_a_live_story_asks_for_confirmation(editor_client):
    story = make_article()
    soon = timezone.now() + timedelta(days=1)
    gone = timezone.now() - timedelta(minutes=1)
    for field, value, words in [
        ("embargo_until", soon, "Embargo it: readers lose it at once"),
        ("expires_at", gone, "Expire it: readers lose it at once"),
    ]:
        data = change_form_data(editor_client, story, **_time(field, value))
        response = editor_client.post(_change_url(story), data)
        assert words in response.content.decode()
        story.refresh_from_db()
        assert story.is_published()
