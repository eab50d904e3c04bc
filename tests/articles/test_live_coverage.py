"""A live coverage: its page of entries, its updates address, its JSON-LD, and the editors'
coverage page in the admin."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import live
from articles.models import Article, LiveEntry, LiveEntryRevision
from tests.admin_forms import change_form_data, form_errors
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_correction,
    make_live_entry,
    make_section,
    make_user,
)
from tests.query_budgets import READERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def coverage():
    author = make_author(name="Anya Korsun", slug="anya-korsun")
    return make_article(
        headline="Romania votes: live",
        section=make_section(name="World News", slug="world"),
        authors=[author],
        is_live=True,
    )


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _updates_url(article, after=0):
    return f"{article.get_absolute_url()}updates/?after={after}"


def _entry_ids(html):
    return [int(n) for n in re.findall(r'<article class="live-entry[^"]*" id="entry-(\d+)"', html)]


def _json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


# The reader's page


def test_entries_come_newest_first_with_author_time_and_permalink(client, coverage):
    author = coverage.bylines.get().author
    first = make_live_entry(article=coverage, title="Polls open", author=author)
    second = make_live_entry(article=coverage, body="<p>Turnout is <em>high</em>.</p>")
    html = _html(client, coverage.get_absolute_url())
    assert _entry_ids(html) == [second.pk, first.pk]
    assert '<p class="live-label">' in html
    assert f'href="{coverage.get_absolute_url()}#entry-{first.pk}"' in html
    assert re.search(rf'id="entry-{first.pk}".*?<time datetime="[^"]+">', html, re.S)
    assert "Turnout is <em>high</em>." in html
    assert 'By <a rel="author" href="/author/anya-korsun/">Anya Korsun</a>' in html
    # Each entry is shared at its own address.
    assert f"%23entry-{second.pk}" in html
    assert 'aria-label="Share the update of' in html
    assert 'aria-live="polite"' in html
    assert 'data-poll-seconds="20"' in html
    assert f'data-live-after="{second.pk}"' in html


def test_key_events_list_at_the_top_and_the_pinned_entry_once(client, coverage):
    closed = make_live_entry(article=coverage, title="Polls close", is_key_event=True)
    pinned = make_live_entry(article=coverage, title="Summary", is_pinned=True)
    later = make_live_entry(article=coverage)
    html = _html(client, coverage.get_absolute_url())
    events = html.split('id="key-events-heading"')[1].split("</nav>")[0]
    assert f'href="#entry-{closed.pk}"' in events and "Polls close" in events
    assert _entry_ids(html) == [pinned.pk, later.pk, closed.pk]
    assert html.count(f'id="entry-{pinned.pk}"') == 1
    assert 'class="live__pinned"' in html.split(f'id="entry-{later.pk}"')[0]


def test_an_entry_shows_its_own_corrections(client, coverage):
    entry = make_live_entry(article=coverage)
    make_correction(article=coverage, entry=entry, text="The turnout figure was for noon.")
    html = _html(client, coverage.get_absolute_url())
    notes = html.split(f'id="entry-{entry.pk}"')[1].split("</article>")[0]
    assert "The turnout figure was for noon." in notes


def test_older_entries_are_on_the_next_page(client, coverage):
    entries = [make_live_entry(article=coverage) for _ in range(live.ENTRIES_PER_PAGE + 3)]
    first = _html(client, coverage.get_absolute_url())
    assert len(_entry_ids(first)) == live.ENTRIES_PER_PAGE
    assert '<a rel="next" href="?page=2#live-heading">Older updates</a>' in first
    second = _html(client, coverage.get_absolute_url() + "?page=2")
    assert _entry_ids(second) == [entry.pk for entry in reversed(entries[:3])]
    assert client.get(coverage.get_absolute_url() + "?page=9").status_code == 404
    # Only the first page takes new entries on top.
    assert "data-live-updates" in first and "data-live-updates" not in second


def test_an_entry_still_to_come_is_not_shown(client, coverage):
    make_live_entry(article=coverage, published_at=timezone.now() + timedelta(hours=1))
    assert _entry_ids(_html(client, coverage.get_absolute_url())) == []
    assert live.next_entry_due() is not None


@pytest.mark.parametrize("count", [5, 5000])
def test_the_page_costs_the_same_queries_however_long_the_coverage(
    client, coverage, django_assert_num_queries, count
):
    author = make_author()
    now = timezone.now()
    LiveEntry.objects.bulk_create(
        LiveEntry(
            article=coverage,
            body=f"<p>Entry {n}</p>",
            author=author,
            is_key_event=n % 7 == 0,
            published_at=now - timedelta(seconds=n),
        )
        for n in range(count)
    )
    pinned = LiveEntry.objects.filter(article=coverage).first()
    LiveEntry.objects.filter(pk=pinned.pk).update(is_pinned=True)
    make_correction(article=coverage, entry=pinned)
    make_comment(article=coverage)
    with django_assert_num_queries(READERS["live coverage"]):
        response = client.get(coverage.get_absolute_url())
    assert response.status_code == 200


def test_an_ended_coverage_is_an_archive(client, coverage):
    make_live_entry(article=coverage)
    Article.objects.filter(pk=coverage.pk).update(coverage_ended_at=timezone.now())
    html = _html(client, coverage.get_absolute_url())
    assert "Coverage ended <time" in html
    assert 'class="live-label"' not in html
    assert "data-live-updates" not in html and "live.js" not in html


def test_cards_of_a_live_story_say_live(client, coverage):
    html = _html(client, coverage.section.get_absolute_url())
    assert '<p class="card__live">' in html
    Article.objects.filter(pk=coverage.pk).update(coverage_ended_at=timezone.now())
    assert '<p class="card__live">' not in _html(client, coverage.section.get_absolute_url())


# The updates address


def test_updates_bring_only_newer_entries(client, coverage):
    old = make_live_entry(article=coverage)
    new = make_live_entry(article=coverage, title="Exit polls")
    answer = client.get(_updates_url(coverage, old.pk)).json()
    assert answer["count"] == 1 and answer["newest"] == new.pk and answer["ended"] is False
    assert _entry_ids(answer["html"]) == [new.pk]
    assert "<li" in answer["html"] and "Exit polls" in answer["html"]
    nothing = client.get(_updates_url(coverage, new.pk)).json()
    assert nothing == {
        "ended": False,
        "ended_at": None,
        "count": 0,
        "shown": 0,
        "newest": new.pk,
        "html": "",
    }


@pytest.mark.parametrize("after", ["x", "-1", "9" * 30, "1\x00"])
def test_updates_refuse_a_bad_after(client, coverage, after):
    assert client.get(coverage.get_absolute_url() + "updates/", {"after": after}).status_code == 404


def test_updates_of_a_story_that_is_not_live_are_not_found(client):
    story = make_article()
    assert client.get(_updates_url(story)).status_code == 404


def test_updates_say_when_the_coverage_has_ended(client, coverage):
    Article.objects.filter(pk=coverage.pk).update(coverage_ended_at=timezone.now())
    answer = client.get(_updates_url(coverage)).json()
    assert answer["ended"] is True and answer["ended_at"]


@pytest.mark.page_cache
def test_updates_answer_304_until_an_entry_is_posted(coverage, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = make_live_entry(article=coverage)
    url = _updates_url(coverage, first.pk)
    answer = Client().get(url)
    assert answer["X-Cache"] == "miss" and f"article-{coverage.pk}" in answer["Surrogate-Key"]
    etag = answer["ETag"]
    repeated = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert repeated.status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        second = make_live_entry(article=coverage)
    changed = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["X-Cache"] == "miss"
    assert changed.json()["newest"] == second.pk


# JSON-LD


def test_the_page_is_a_live_blog_posting(client, coverage):
    author = coverage.bylines.get().author
    entry = make_live_entry(
        article=coverage, title="Result", author=author, body="<p>Dan wins </script><b>x</b></p>"
    )
    data = _json_ld(_html(client, coverage.get_absolute_url()))[0]
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"] == coverage.published_at.isoformat()
    assert "coverageEndTime" not in data
    [update] = data["liveBlogUpdate"]
    assert update["@type"] == "BlogPosting"
    assert update["headline"] == "Result"
    assert update["url"].endswith(f"{coverage.get_absolute_url()}#entry-{entry.pk}")
    assert update["articleBody"] == "Dan wins x"
    assert update["author"]["name"] == "Anya Korsun"
    assert update["datePublished"]
    Article.objects.filter(pk=coverage.pk).update(coverage_ended_at=timezone.now())
    assert "coverageEndTime" in _json_ld(_html(client, coverage.get_absolute_url()))[0]


def test_a_story_that_is_not_live_stays_a_news_article(client):
    story = make_article()
    assert _json_ld(_html(client, story.get_absolute_url()))[0]["@type"] == "NewsArticle"


# The editors' coverage page


def _coverage_page(article):
    return reverse("admin:articles_article_live", args=[article.pk])


def test_an_editor_posts_an_entry_without_leaving_the_coverage(client, coverage):
    editor = make_user(group="Editors")
    author = make_author(user=editor, name="Priya Lindqvist")
    client.force_login(editor)
    response = client.post(
        _coverage_page(coverage),
        {"title": "Polls close", "body": "<p>Voting has ended.</p>", "is_key_event": "on"},
        follow=True,
    )
    assert response.redirect_chain == [(_coverage_page(coverage), 302)]
    entry = coverage.entries.get()
    assert (entry.title, entry.is_key_event, entry.created_by, entry.author) == (
        "Polls close",
        True,
        editor,
        author,
    )
    html = response.content.decode()
    assert "Posted: readers see it now" in html
    # The entries below the form, as readers see them, with their own tools.
    assert f'id="entry-{entry.pk}"' in html and "Voting has ended." in html
    assert reverse("admin:articles_liveentry_change", args=[entry.pk]) in html
    [revision] = LiveEntryRevision.objects.all()
    assert (revision.version, revision.note, revision.created_by) == (1, "Posted", editor)
    assert revision.data["title"] == "Polls close"


def test_the_change_form_links_to_the_coverage(editor_client, coverage):
    change = reverse("admin:articles_article_change", args=[coverage.pk])
    assert _coverage_page(coverage) in editor_client.get(change).content.decode()


def test_moderators_may_not_post_entries(moderator_client, coverage):
    data = {"body": "<p>Not theirs to say.</p>"}
    assert moderator_client.get(_coverage_page(coverage)).status_code == 403
    assert moderator_client.post(_coverage_page(coverage), data).status_code == 403
    assert not coverage.entries.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"body": ""}, "body", "Write the entry's text"),
        ({"body": "<script>alert(1)</script>"}, "body", "nothing readable is left"),
        ({"body": "<p>Fine\x00</p>"}, "body", "Null characters are not allowed"),
        ({"title": "x\x00", "body": "<p>Fine</p>"}, "title", "Null characters are not allowed"),
        ({"title": "T" * 500, "body": "<p>Fine</p>"}, "title", "120 characters or fewer"),
    ],
)
def test_bad_input_gets_a_clear_error_and_keeps_the_text(
    editor_client, coverage, data, field, message
):
    response = editor_client.post(_coverage_page(coverage), data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not coverage.entries.exists()
    kept = response.context["form"].data
    assert all(kept[name] == value for name, value in data.items())


def test_a_script_in_the_text_is_taken_out(editor_client, coverage):
    body = '<p>Results <script>alert("x")</script><a href="javascript:alert(1)">in</a></p>'
    editor_client.post(_coverage_page(coverage), {"body": body})
    saved = coverage.entries.get().body
    assert "<script" not in saved and "javascript:" not in saved and "Results" in saved


def test_a_story_that_is_not_live_sends_the_editor_to_its_form(editor_client):
    story = make_article()
    response = editor_client.get(_coverage_page(story))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[story.pk])


def test_editing_and_deleting_an_entry_are_recorded(editor_client, editor, coverage):
    editor_client.post(_coverage_page(coverage), {"body": "<p>First words.</p>"})
    entry = coverage.entries.get()
    change = reverse("admin:articles_liveentry_change", args=[entry.pk])
    page = editor_client.get(change)
    assert page.status_code == 200
    response = editor_client.post(
        change,
        {
            "title": "Corrected",
            "body": "<p>Better words.</p>",
            "published_at_0": timezone.localtime(entry.published_at).strftime("%Y-%m-%d"),
            "published_at_1": timezone.localtime(entry.published_at).strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302 and response["Location"] == _coverage_page(coverage)
    history = editor_client.get(reverse("admin:articles_liveentry_history", args=[entry.pk]))
    assert "Better words." in history.content.decode()
    editor_client.post(reverse("admin:articles_liveentry_delete", args=[entry.pk]), {"post": "yes"})
    assert not LiveEntry.objects.exists()
    notes = list(
        LiveEntryRevision.objects.order_by("version").values_list("version", "note", "entry")
    )
    assert notes == [(1, "Posted", None), (2, "Changed", None), (3, "Deleted", None)]
    last = LiveEntryRevision.objects.get(version=3)
    assert last.entry_number == entry.pk and last.data["title"] == "Corrected"
    assert last.created_by == editor


def test_an_editor_ends_and_resumes_the_coverage(editor_client, coverage):
    response = editor_client.post(_coverage_page(coverage), {"coverage": "end"}, follow=True)
    assert "The coverage has ended" in response.content.decode()
    coverage.refresh_from_db()
    assert coverage.coverage_ended_at is not None and not coverage.is_live_now()
    assert coverage.revisions.filter(note="Ended the live coverage").exists()
    editor_client.post(_coverage_page(coverage), {"coverage": "resume"})
    coverage.refresh_from_db()
    assert coverage.is_live_now()


def test_a_correction_is_tied_to_an_entry_of_the_same_coverage_only(editor_client, coverage):
    entry = make_live_entry(article=coverage)
    other = make_live_entry(article=make_article(is_live=True))
    change = reverse("admin:articles_article_change", args=[coverage.pk])
    data = change_form_data(
        editor_client,
        coverage,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-text": "The turnout was for noon, not for the close.",
            "corrections-0-published_at_0": "2025-05-18",
            "corrections-0-published_at_1": "20:00:00",
            "corrections-0-entry": str(other.pk),
        },
    )
    refused = editor_client.post(change, data)
    assert "belongs to another live coverage" in " ".join(form_errors(refused))
    data["corrections-0-entry"] = [str(entry.pk)]
    assert editor_client.post(change, data).status_code == 302
    assert entry.corrections.get().text.startswith("The turnout was for noon")


@pytest.mark.parametrize("number", ["0", "9" * 30, "abc"])
def test_the_history_of_no_such_entry_is_not_found(editor_client, number):
    url = reverse("admin:articles_liveentry_history", args=[number])
    assert editor_client.get(url).status_code in (302, 400, 404)
