"""Readers share cached pages; every change drops exactly the pages that show it."""

import http.server
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import preview
from articles.models import Article
from caching import local, schedule, store
from comments.services import comment_decide
from tests.factories import (
    comment_form_data,
    make_article,
    make_author,
    make_comment,
    make_correction,
    make_live_entry,
    make_scheduled,
    make_section,
    make_topic,
    relate,
)
from tests.query_budgets import READERS

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]


@pytest.fixture
def story(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # made and committed beforehand
        return _story()


def _story():
    world = make_section(name="World News", slug="world")
    topic = make_topic(name="Diplomacy")
    author = make_author(name="Lena Marsh", slug="lena-marsh")
    article = make_article(
        headline="Talks resume in Istanbul",
        section=world,
        topics=[topic],
        primary_topic=topic,
        authors=[author],
    )
    return article


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit, as a real request's transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _get(url, **headers):
    return Client().get(url, **headers)


def _pages(story):
    topic = story.topics.get()
    return [
        "/",
        story.get_absolute_url(),
        story.section.get_absolute_url(),
        topic.get_absolute_url(),
        story.bylines.get().author.get_absolute_url(),
        reverse("articles:feed"),
        "/sitemap-news.xml",
        reverse("articles:search") + "?q=istanbul",
    ]


def _made_again(url):
    """GET the page after a change, and return it with the page's own queries (not the
    schedule's, asked again once after any change, nor the database cache's)."""
    schedule.next_change()
    with CaptureQueriesContext(connection) as queries:
        page = _get(url)
    made = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and "newsroom_cache" not in query["sql"]
    ]
    return page, made


def test_a_second_reader_gets_the_stored_page(story):
    first = _get(story.get_absolute_url())
    assert first["X-Cache"] == "miss"
    second = _get(story.get_absolute_url())
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    # Each query string is a page of its own.
    assert _get("/?page=1")["X-Cache"] == "miss"


def test_shared_pages_tell_caches_how_long_and_what_they_show(story):
    other = make_article(headline="An earlier round of talks")
    relate(story, other)
    response = _get(story.get_absolute_url())
    cache_control = set(response["Cache-Control"].split(", "))
    assert cache_control == {
        "public",
        "max-age=60",
        "s-maxage=600",
        "stale-while-revalidate=30",
    }
    keys = set(response["Surrogate-Key"].split())
    assert {f"article-{story.pk}", f"article-{other.pk}", "site"} <= keys
    assert response["Last-Modified"]


def test_editing_an_article_refreshes_every_page_that_shows_it(story, committed):
    neighbour = make_article(section=story.section)
    relate(neighbour, story)
    pages = [*_pages(story), neighbour.get_absolute_url()]
    for url in pages:
        _get(url)
        assert _get(url)["X-Cache"] == "hit", url

    with committed():
        story.headline = "Talks in Istanbul end early"
        story.save()
    for url in pages:
        response = _get(url)
        assert response["X-Cache"] == "miss", url
        if "search" not in url:
            assert "Talks in Istanbul end early" in response.content.decode(), url


def test_a_change_elsewhere_leaves_the_page_cached(story, committed):
    with committed():
        elsewhere = make_section(name="Sport")
    url = story.get_absolute_url()
    _get(url)
    with committed():
        make_article(section=elsewhere)  # another section, topic and author
    assert _get(url)["X-Cache"] == "hit"


def test_unpublishing_takes_the_article_off_at_once(story, committed):
    url = story.get_absolute_url()
    _get(url)
    _get("/")
    with committed():
        story.status = Article.Status.UNPUBLISHED
        story.save()
    assert _get(url).status_code == 404
    assert "Talks resume in Istanbul" not in _get("/").content.decode()


def test_a_correction_refreshes_the_article(story, committed):
    url = story.get_absolute_url()
    _get(url)
    with committed():
        make_correction(article=story, text="The talks began on Monday, not Tuesday.")
    assert "The talks began on Monday" in _get(url).content.decode()


def test_approving_a_comment_refreshes_its_article_but_a_held_one_does_not(
    story, committed, moderator
):
    url = story.get_absolute_url()
    _get(url)
    with committed():
        comment = make_comment(article=story, status="pending", body="Held for a moderator.")
    assert _get(url)["X-Cache"] == "hit"
    with committed():
        comment_decide(comment=comment, status="approved", moderator=moderator)
    response = _get(url)
    assert response["X-Cache"] == "miss"
    assert "Held for a moderator." in response.content.decode()


def test_a_scheduled_article_appears_at_its_time_not_at_the_next_expiry(story):
    due = make_scheduled(headline="Embargoed budget story", section=story.section)
    assert "Embargoed budget story" not in _get("/").content.decode()
    assert _get("/")["X-Cache"] == "hit"
    later = due.published_at + timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = _get("/")
    assert response["X-Cache"] == "miss"
    assert "Embargoed budget story" in response.content.decode()


def test_a_page_is_kept_for_shared_caches_only_until_the_next_publication(story):
    make_scheduled(published_at=timezone.now() + timedelta(seconds=90))
    response = _get("/")
    s_maxage = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 80 <= s_maxage <= 90


def test_staff_and_readers_with_a_pending_comment_bypass_the_shared_cache(story, editor_client):
    _get(story.get_absolute_url())
    staff = editor_client.get(story.get_absolute_url())
    assert "X-Cache" not in staff
    assert "private" in staff["Cache-Control"]

    reader = Client()
    data = comment_form_data(reader, story, body="My own pending words.")
    reader.post(reverse("comments:post", args=[story.pk]), data)
    mine = reader.get(story.get_absolute_url())
    assert "private" in mine["Cache-Control"]
    assert "My own pending words." in mine.content.decode()
    assert "My own pending words." not in _get(story.get_absolute_url()).content.decode()


def test_changes_are_purged_from_the_front_caches(story, committed, settings):
    received = []

    class FrontCache(http.server.BaseHTTPRequestHandler):
        def do_PURGE(self):  # the HTTP verb names the method
            received.append((self.command, self.headers["xkey-purge"]))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), FrontCache)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.NEWSROOM_FRONT_CACHES = [f"http://127.0.0.1:{server.server_port}/"]
    try:
        with committed():
            story.standfirst = "A new standfirst."
            story.save()
    finally:
        server.shutdown()
    ((method, keys),) = received
    assert method == "PURGE"
    assert {f"article-{story.pk}", f"section-{story.section_id}", "front", "feeds"} <= set(
        keys.split()
    )


def test_an_unreachable_front_cache_does_not_stop_the_save(story, committed, settings):
    settings.NEWSROOM_FRONT_CACHES = ["http://127.0.0.1:9/"]
    with committed():
        story.headline = "Saved whatever the front cache says"
        story.save()
    assert "Saved whatever the front cache says" in _get(story.get_absolute_url()).content.decode()


def test_a_conditional_request_gets_304_until_the_page_changes(story, committed):
    url = story.get_absolute_url()
    first = _get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert _get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert _get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    with committed():
        story.headline = "Talks in Istanbul end early"
        story.save()
    changed = _get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_stored_page_goes_out_with_every_header_it_was_made_with(story):
    url = story.get_absolute_url()
    made = _get(url)
    stored = _get(url)
    assert stored["X-Cache"] == "hit"
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Surrogate-Key",
        "ETag",
        "Last-Modified",
        "Content-Type",
    ):
        assert stored[header] == made[header], header
    # A reader whose copy still matches gets 304 from the stored page too.
    assert _get(url, HTTP_IF_NONE_MATCH=made["ETag"]).status_code == 304


def _copies_of_this_process():
    copies = local.pages(cache)
    assert copies.listening.wait(5), "the process never started hearing changes"
    return copies


def test_a_page_asked_for_again_is_served_from_this_process_memory(story, redis_client):
    _copies_of_this_process()
    url = story.get_absolute_url()
    _get(url)
    # Even with the shared copy gone from Redis, this process still has its own.
    shared = list(redis_client.scan_iter(match=cache.make_key("page-cache:page:*")))
    redis_client.delete(*shared)
    assert _get(url)["X-Cache"] == "hit"


def test_a_copy_is_not_served_while_a_change_counted_elsewhere_is_not_heard_yet(
    story, redis_client
):
    copies = _copies_of_this_process()
    url = story.get_absolute_url()
    _get(url)
    assert _get(url)["X-Cache"] == "hit"
    shared = list(redis_client.scan_iter(match=cache.make_key("page-cache:page:*")))
    redis_client.delete(*shared)
    # Another process has counted a change whose message is still on its way here.
    redis_client.incr(copies.counter)
    assert _get(url)["X-Cache"] == "miss"


def test_a_change_made_by_another_process_drops_this_process_copy(story, redis_client, settings):
    _copies_of_this_process()
    url = story.get_absolute_url()
    _get(url)
    assert _get(url)["X-Cache"] == "hit"
    # Another worker marks the story changed, through Redis alone.
    code = (
        "import django; django.setup(); from caching import store; "
        f"store.mark_changed(['article-{story.pk}'])"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
    }
    subprocess.run([sys.executable, "-c", code], env=environment, check=True, timeout=60)
    deadline = time.monotonic() + 5
    while _get(url)["X-Cache"] == "hit":
        assert time.monotonic() < deadline, "the change made elsewhere was never heard"


def test_an_approved_comment_makes_only_the_thread_again(story, committed, moderator):
    with committed():
        for n in range(4):
            relate(story, make_article(headline=f"Earlier talks, round {n}", section=story.section))
    url = story.get_absolute_url()
    _get(url)
    with committed():
        comment = make_comment(article=story, status="pending", body="A point well made.")
    with committed():
        comment_decide(comment=comment, status="approved", moderator=moderator)
    page, made = _made_again(url)
    html = page.content.decode()
    assert page["X-Cache"] == "miss"
    assert "A point well made." in html and "1 Comment" in html
    # The rest of the page is as it was, from its stored parts.
    assert "Talks resume in Istanbul" in html and "Earlier talks, round 3" in html
    assert "Lena Marsh" in html and "application/ld+json" in html
    tables = " ".join(made)
    for untouched in ("articles_byline", "articles_relatedlink", "articles_taggedarticle"):
        assert untouched not in tables
    assert len(made) == READERS["article, new thread only"]
    assert _get(url).content == page.content


def test_staff_and_preview_links_are_never_given_the_readers_stored_parts(story, editor_client):
    url = story.get_absolute_url()
    _get(url)
    # A change that bypasses every signal: only a story made afresh can show it.
    Article.objects.filter(pk=story.pk).update(body="<p>The delegations flew overnight.</p>")
    assert "The delegations flew overnight." not in _get(url + "?utm_source=x").content.decode()
    assert "The delegations flew overnight." in editor_client.get(url).content.decode()
    token = preview.make_token(story, hours=1)
    shared = Client().get(reverse("articles:preview", args=[token])).content.decode()
    assert "The delegations flew overnight." in shared


def test_a_new_live_entry_makes_only_the_entries_again(committed):
    with committed():
        live = make_article(headline="Count goes on through the night", is_live=True)
        relate(live, make_article(headline="How the count works"))
        make_live_entry(article=live, body="<p>Polls have closed.</p>")
    url = live.get_absolute_url()
    _get(url)
    with committed():
        make_live_entry(article=live, body="<p>The first district has reported.</p>")
    page, made = _made_again(url)
    html = page.content.decode()
    assert page["X-Cache"] == "miss"
    assert "The first district has reported." in html and "Polls have closed." in html
    assert "How the count works" in html and "Count goes on through the night" in html
    tables = " ".join(made)
    for untouched in ("articles_byline", "articles_relatedlink", "comments_comment"):
        assert untouched not in tables
    assert len(made) == READERS["live coverage, new entry only"]


def test_a_page_made_while_what_it_shows_changed_is_kept_by_no_cache(story, committed):
    url = story.get_absolute_url()
    real = store.put

    def changed_meanwhile(name, entry, *, until):
        # The story changes (and its purge goes out) after the page read it, before it is kept.
        store.mark_changed([f"article-{story.pk}"])
        return real(name, entry, until=until)

    with mock.patch.object(store, "put", changed_meanwhile):
        made = _get(url)
    assert "s-maxage=0" in made["Cache-Control"] and "max-age=0" in made["Cache-Control"]
    assert _get(url)["X-Cache"] == "miss"


def test_a_missing_page_is_shared_until_the_address_comes_to_exist(story, committed, settings):
    settings.COMMENTS_PER_PAGE = 1
    url = story.get_absolute_url()
    with committed():
        make_comment(article=story, body="The first word.")
    later = _get(url + "?cpage=2")
    assert later.status_code == 404
    assert "public" in later["Cache-Control"]
    assert {"missing", f"comments-{story.pk}"} <= set(later["Surrogate-Key"].split())
    assert _get(url + "?cpage=2")["X-Cache"] == "hit"
    with committed():
        make_comment(article=story, body="A second thread starts.")
    assert "A second thread starts." in _get(url + "?cpage=2").content.decode()

    ahead = story.get_absolute_url().replace(story.slug, "talks-move-to-geneva")
    assert _get(ahead).status_code == 404
    with committed():
        make_article(
            headline="Talks move to Geneva",
            slug="talks-move-to-geneva",
            section=story.section,
            published_at=story.published_at,
        )
    assert _get(ahead).status_code == 200


def test_a_live_entry_leaves_the_lists_stored(committed):
    with committed():
        live = make_article(headline="Count goes on through the night", is_live=True)
    for url in ("/", live.section.get_absolute_url(), reverse("articles:feed")):
        _get(url)
    with committed():
        make_live_entry(article=live, body="<p>The first district has reported.</p>")
    for url in ("/", live.section.get_absolute_url(), reverse("articles:feed")):
        assert _get(url)["X-Cache"] == "hit", url
    assert "The first district has reported." in _get(live.get_absolute_url()).content.decode()
