"""The curated front page: editors choose the lead, the top stories, each section's pinned
stories and the breaking-news banner in the admin; readers get them at once, only while each
story is public, and never the same story twice."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.front import TOP_STORIES_LIMIT
from articles.models import Article, FrontPage, SectionPin, TopStory
from tests.admin_forms import form_data, form_errors
from tests.factories import (
    make_article,
    make_draft,
    make_scheduled,
    make_section,
    make_topic,
    make_user,
)
from tests.query_budgets import READERS

pytestmark = pytest.mark.django_db

CHANGE = reverse("admin:articles_frontpage_change", args=[1])


def _headlines(html):
    return re.findall(r'<h[23] class="card__headline"><a href="[^"]+">([^<]+)</a>', html)


def _block(html, start, end=None):
    """Return the part of the page from the first ``start`` to the next ``end``."""
    begin = html.index(start)
    stop = html.find(end, begin + len(start)) if end else -1
    return html[begin : stop if stop != -1 else len(html)]


def _story(headline, section, hours_old):
    return make_article(
        headline=headline,
        section=section,
        published_at=timezone.now() - timedelta(hours=hours_old),
    )


@pytest.fixture
def desk():
    """Two sections of stories, newest first by their number."""
    world = make_section(name="World", slug="world")
    sport = make_section(name="Sport", slug="sport")
    stories = {
        **{f"world {n}": _story(f"World story {n}", world, n) for n in range(1, 8)},
        **{f"sport {n}": _story(f"Sport story {n}", sport, n + 0.5) for n in range(1, 8)},
    }
    return world, sport, stories


def _curate(*, lead=None, top=(), pins=(), **banner):
    front = FrontPage.current()
    front.lead = lead
    for name, value in banner.items():
        setattr(front, name, value)
    front.save()
    for position, article in enumerate(top, start=1):
        TopStory.objects.create(front_page=front, article=article, position=position)
    for position, article in enumerate(pins, start=1):
        SectionPin.objects.create(
            front_page=front, section=article.section, article=article, position=position
        )
    return front


# What readers see


def test_the_editors_lead_and_top_stories_come_before_newer_stories(client, desk):
    _world, _sport, stories = desk
    _curate(lead=stories["world 6"], top=[stories["sport 5"], stories["world 4"]])

    html = client.get("/").content.decode()

    assert _headlines(_block(html, 'class="front-lead"', "</section>")) == ["World story 6"]
    top = _block(html, 'class="front-top"', "</section>")
    assert "Top stories" in top
    assert _headlines(top) == ["Sport story 5", "World story 4"]
    # Below them the sections fill by recency, without any story shown above.
    world_block = _block(html, 'id="front-world"', 'class="front-section"')
    assert _headlines(world_block) == [f"World story {n}" for n in (1, 2, 3, 5)]
    assert all(html.count(f">{story.headline}<") <= 1 for story in stories.values())


def test_the_newest_story_leads_when_the_chosen_lead_is_not_public(client, desk):
    world, _, _stories = desk
    draft = make_draft(headline="A draft chosen as lead", section=world)
    _curate(lead=draft)
    html = client.get("/").content.decode()
    assert _headlines(_block(html, 'class="front-lead"', "</section>")) == ["World story 1"]
    assert "A draft chosen as lead" not in html


def test_a_pinned_story_heads_its_section_block_and_page_once(client, desk, settings):
    _world, _sport, stories = desk
    _curate(pins=[stories["world 7"], stories["world 5"]])

    front = client.get("/").content.decode()
    world_block = _block(front, 'id="front-world"', 'class="front-section"')
    # World story 1 leads the page, so the block starts below it.
    assert _headlines(world_block) == [
        "World story 7",
        "World story 5",
        "World story 2",
        "World story 3",
    ]

    page = client.get("/world/").content.decode()
    headlines = _headlines(page)
    assert headlines[:2] == ["World story 7", "World story 5"]
    assert headlines.count("World story 7") == 1 and headlines.count("World story 5") == 1
    assert headlines[2:] == [f"World story {n}" for n in (1, 2, 3, 4, 6)]


def test_the_section_pages_after_the_first_list_the_rest_without_the_pins(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    world = make_section(slug="world")
    stories = [_story(f"World story {n}", world, n) for n in range(1, 6)]
    _curate(pins=[stories[4]])

    seen = []
    for number in (1, 2):
        seen += _headlines(client.get(f"/world/?page={number}").content.decode())
    assert seen == [f"World story {n}" for n in (5, 1, 2, 3, 4)]
    assert client.get("/world/?page=3").status_code == 404


def test_a_story_that_is_not_public_leaves_its_slot_empty(client, desk):
    world, sport, stories = desk
    scheduled = make_scheduled(headline="A scheduled top story", section=world)
    embargoed = make_article(
        headline="An embargoed pin",
        section=world,
        embargo_until=timezone.now() + timedelta(hours=2),
    )
    expired = make_article(
        headline="An expired top story",
        section=sport,
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    _curate(top=[scheduled, expired, stories["sport 3"]], pins=[embargoed])
    html = client.get("/").content.decode()
    assert _headlines(_block(html, 'class="front-top"', "</section>")) == ["Sport story 3"]
    for headline in ("A scheduled top story", "An embargoed pin", "An expired top story"):
        assert headline not in html
    assert "An embargoed pin" not in client.get("/world/").content.decode()


# The banner


def test_the_banner_shows_on_every_public_page_and_links_to_its_story(client, desk):
    _world, _, stories = desk
    topic = make_topic(name="Elections")
    story = stories["world 2"]
    story.topics.set([topic])
    _curate(banner_text="Live: the run-off results as they come in", banner_article=story)

    for url in (
        "/",
        story.get_absolute_url(),
        "/world/",
        "/search/?q=world",
        topic.get_absolute_url(),
    ):
        html = client.get(url).content.decode()
        banner = _block(html, 'class="breaking-news"', "</section>")
        assert 'aria-label="Breaking news"' in banner, url
        assert f'href="{story.get_absolute_url()}"' in banner, url
        assert "Live: the run-off results as they come in" in banner, url
        # Above the page's main content, and no style or script of its own (the CSP).
        assert html.index('class="breaking-news"') < html.index("<main"), url
        assert "style=" not in banner and "<script" not in banner, url


def test_no_banner_without_a_public_story_or_after_its_end(client, desk):
    world, _, stories = desk
    draft = make_draft(section=world)
    front = _curate(banner_text="Breaking: a draft", banner_article=draft)
    assert "breaking-news" not in client.get("/world/").content.decode()
    front.banner_article = stories["world 1"]
    front.banner_ends_at = timezone.now() - timedelta(minutes=1)
    front.save()
    assert "breaking-news" not in client.get("/world/").content.decode()
    assert "breaking-news" not in client.get("/").content.decode()


def test_the_banner_does_not_reach_the_admin(desk, editor_client):
    _, _, stories = desk
    _curate(banner_text="Breaking: results", banner_article=stories["world 1"])
    html = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "breaking-news" not in html


# Through the page cache


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit, as a real request's transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.mark.page_cache
def test_the_banner_ends_at_its_time_in_cached_pages_too(desk, committed):
    _, _, stories = desk
    ends_at = timezone.now() + timedelta(seconds=90)
    with committed():
        _curate(
            banner_text="Breaking: results",
            banner_article=stories["world 1"],
            banner_ends_at=ends_at,
        )
    for url in ("/", "/world/"):
        assert "Breaking: results" in Client().get(url).content.decode()
        assert Client().get(url)["X-Cache"] == "hit"
    with mock.patch("django.utils.timezone.now", return_value=ends_at + timedelta(seconds=1)):
        for url in ("/", "/world/"):
            response = Client().get(url)
            assert response["X-Cache"] == "miss", url
            assert "Breaking: results" not in response.content.decode(), url


@pytest.mark.page_cache
def test_the_banner_goes_from_cached_pages_when_its_story_is_withdrawn(desk, committed):
    _, _, stories = desk
    story = stories["sport 4"]
    with committed():
        _curate(banner_text="Breaking: results", banner_article=story)
    assert "Breaking: results" in Client().get("/world/").content.decode()
    with committed():
        story.status = Article.Status.WITHDRAWN
        story.withdrawn_reason = "A court order."
        story.save()
    assert "Breaking: results" not in Client().get("/world/").content.decode()


@pytest.mark.page_cache
def test_a_withdrawn_lead_drops_out_of_the_cached_front_page_at_once(desk, committed):
    _, _, stories = desk
    lead = stories["world 5"]
    with committed():
        _curate(lead=lead)
    html = Client().get("/").content.decode()
    assert _headlines(_block(html, 'class="front-lead"', "</section>")) == ["World story 5"]
    with committed():
        lead.status = Article.Status.WITHDRAWN
        lead.withdrawn_reason = "A court order."
        lead.save()
    html = Client().get("/").content.decode()
    assert "World story 5" not in html
    assert _headlines(_block(html, 'class="front-lead"', "</section>")) == ["World story 1"]


# The admin


def _front_page_form(client, **changes):
    page = client.get(CHANGE)
    assert page.status_code == 200
    data = form_data(page, "frontpage_form")
    for name, value in changes.items():
        data[name] = [value] if isinstance(value, str) else value
    return data


def _slots(prefix, rows, **extra):
    """Return the inline form's fields for these rows: (article, position[, section])."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for n, row in enumerate(rows):
        data[f"{prefix}-{n}-article"] = str(row[0].pk)
        data[f"{prefix}-{n}-position"] = str(row[1])
        if len(row) > 2:
            data[f"{prefix}-{n}-section"] = str(row[2].pk)
    return {**data, **extra}


@pytest.mark.page_cache
def test_an_editor_sets_the_front_page_and_readers_see_it_at_once(
    desk, editor, editor_client, committed
):
    _world, sport, stories = desk
    assert "World story 6" not in _block(
        Client().get("/").content.decode(), 'class="front-lead"', "</section>"
    )
    assert Client().get("/")["X-Cache"] == "hit"
    Client().get("/sport/")

    data = _front_page_form(
        editor_client,
        lead=str(stories["world 6"].pk),
        banner_text="Live: the run-off results",
        banner_article=str(stories["world 2"].pk),
        **_slots("top_stories", [(stories["sport 6"], 1), (stories["world 7"], 2)]),
        **_slots("pins", [(stories["sport 5"], 1, sport)]),
    )
    with committed():
        response = editor_client.post(CHANGE, data)
    assert response.status_code == 302, form_errors(response)

    front = FrontPage.objects.get()
    assert front.updated_by == editor
    html = Client().get("/").content.decode()
    assert _headlines(_block(html, 'class="front-lead"', "</section>")) == ["World story 6"]
    assert _headlines(_block(html, 'class="front-top"', "</section>")) == [
        "Sport story 6",
        "World story 7",
    ]
    assert (
        _headlines(_block(html, 'id="front-sport"', 'class="front-section"'))[0] == "Sport story 5"
    )
    assert "Live: the run-off results" in html
    sport_page = Client().get("/sport/")
    assert sport_page["X-Cache"] == "miss"
    assert _headlines(sport_page.content.decode())[0] == "Sport story 5"


def test_the_list_goes_straight_to_the_one_front_page(editor_client):
    response = editor_client.get(reverse("admin:articles_frontpage_changelist"))
    assert response.status_code == 302 and response["Location"] == CHANGE
    page = editor_client.get(CHANGE)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="deletelink"' not in html
    assert editor_client.get(reverse("admin:articles_frontpage_add")).status_code == 403
    assert not FrontPage.objects.exists()  # Opening the page writes nothing.


def test_each_slot_says_when_its_story_is_not_showing_and_why(desk, editor_client):
    world, _, stories = desk
    scheduled = make_scheduled(headline="Tomorrow's story", section=world)
    embargoed = make_article(section=world, embargo_until=timezone.now() + timedelta(hours=3))
    draft = make_draft(section=world)
    _curate(lead=draft, top=[scheduled, embargoed, stories["world 3"]])
    html = editor_client.get(CHANGE).content.decode()
    assert "Not showing: draft; it shows once published." in html
    assert "Not showing: scheduled for" in html
    assert "Not showing: under embargo until" in html
    assert "Showing now." in html


@pytest.mark.parametrize("group", ["Writers", "Moderators"])
def test_writers_and_moderators_may_not_open_or_change_the_front_page(client, desk, group):
    _, _, stories = desk
    client.force_login(make_user(group=group))
    assert client.get(CHANGE).status_code == 403
    assert client.get(reverse("admin:articles_frontpage_changelist")).status_code == 403
    response = client.post(
        CHANGE,
        {"lead": str(stories["world 3"].pk), **_slots("top_stories", []), **_slots("pins", [])},
    )
    assert response.status_code == 403
    assert not FrontPage.objects.exists()


def _bad_inputs(stories, world, sport):
    many = [(stories[f"world {n}"], n) for n in range(1, 8)] + [
        (stories[f"sport {n}"], n + 7) for n in range(1, 3)
    ]
    return {
        "the same story twice": (
            _slots("top_stories", [(stories["world 2"], 1), (stories["world 2"], 2)]),
            "is in the top stories twice",
        ),
        "the lead in the top stories": (
            {
                "lead": str(stories["world 3"].pk),
                **_slots("top_stories", [(stories["world 3"], 1)]),
            },
            "is the lead story: it cannot be a top story as well",
        ),
        "too many top stories": (
            _slots("top_stories", many),
            f"at most {TOP_STORIES_LIMIT} top stories",
        ),
        "a pin to another section": (
            _slots("pins", [(stories["world 2"], 1, sport)]),
            "can only be pinned to the top of its own section",
        ),
        "banner text without a story": (
            {"banner_text": "Breaking: no link"},
            "Choose the story the banner leads to.",
        ),
        "a banner end already past": (
            {
                "banner_text": "Breaking: too late",
                "banner_article": str(stories["world 1"].pk),
                "banner_ends_at_0": "2020-01-01",
                "banner_ends_at_1": "10:00:00",
            },
            "This time has already passed.",
        ),
        "a NUL in the banner": (
            {"banner_text": "Breaking\x00news", "banner_article": str(stories["world 1"].pk)},
            "Null characters are not allowed.",
        ),
        "a banner too long": (
            {"banner_text": "Breaking " * 200, "banner_article": str(stories["world 1"].pk)},
            "Ensure this value has at most 160 characters",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "the same story twice",
        "the lead in the top stories",
        "too many top stories",
        "a pin to another section",
        "banner text without a story",
        "a banner end already past",
        "a NUL in the banner",
        "a banner too long",
    ],
)
def test_bad_input_gets_a_clear_error_and_saves_nothing(desk, editor_client, case):
    world, sport, stories = desk
    changes, message = _bad_inputs(stories, world, sport)[case]
    data = _front_page_form(editor_client, **_slots("top_stories", []), **_slots("pins", []))
    data.update({name: [value] for name, value in changes.items()})
    response = editor_client.post(CHANGE, data)
    assert response.status_code == 200
    assert any(message in error for error in form_errors(response)), form_errors(response)
    assert not FrontPage.objects.exists()
    assert not TopStory.objects.exists() and not SectionPin.objects.exists()


# Queries


def _many_slots(count):
    """Make a site with ``count`` top stories and ``count`` pins in each of four sections."""
    sections = [make_section() for _ in range(4)]
    topic = make_topic()
    stories = {
        section.pk: [
            make_article(section=section, image=True, topics=[topic], primary_topic=topic)
            for _ in range(count * 2 + 5)
        ]
        for section in sections
    }
    pins = [story for section in sections for story in stories[section.pk][:count]]
    top = [stories[sections[n % 4].pk][count + n // 4] for n in range(count)]
    _curate(
        lead=stories[sections[0].pk][-1],
        top=top,
        pins=pins,
        banner_text="Breaking: a test",
        banner_article=top[0],
    )
    return sections


@pytest.mark.parametrize("count", [1, TOP_STORIES_LIMIT])
def test_the_front_page_takes_the_same_queries_however_many_slots(
    client, django_assert_num_queries, count
):
    _many_slots(count)
    with django_assert_num_queries(READERS["front"]):
        html = client.get("/").content.decode()
    assert html.count('class="card__headline"') == 1 + count + 4 * 4
    assert "Breaking: a test" in html


@pytest.mark.parametrize("count", [1, TOP_STORIES_LIMIT])
def test_a_section_page_takes_the_same_queries_however_many_pins(
    client, django_assert_num_queries, count
):
    [section, *_] = _many_slots(count)
    with django_assert_num_queries(READERS["section"]):
        html = client.get(section.get_absolute_url()).content.decode()
    assert "Breaking: a test" in html
