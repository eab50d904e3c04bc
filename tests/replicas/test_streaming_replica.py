"""Readers read from a real streaming replica; writers, staff and the changes readers must see
come from the primary; a replica that lags or stops is left out until it is back.

Each test that needs to tell the two apart pauses the replica's replay (``replay_paused``) and
then changes the primary: whoever is shown the old text was read from the replica.
"""

import html
import json
import re
import secrets
import time
from unittest.mock import ANY

from newsroom.replicas import STICKY_COOKIE
from tests.replicas.conftest import Visitor


def _section_page(visitor):
    """Return the story's headline as a reader of its section's page sees it.

    Each time at an address no one asked for yet, so that no stored page answers it; the
    section page is made whole, of no stored parts (the article page keeps its story's part).
    """
    page = visitor.get(f"/world/?probe={secrets.token_hex(6)}")
    assert page.status == 200, page.status
    found = re.search(r'<h[23] class="card__headline">\s*<a[^>]*>(.*?)</a>', page.text, re.S)
    assert found, page.text[:2000]
    return html.unescape(found.group(1).strip())


def _headline(page):
    found = re.search(r"<h1[^>]*>(.*?)</h1>", page.text, re.S)
    assert found, page.text[:500]
    return html.unescape(found.group(1).strip())


def _replica_headline(site):
    return site.replica.query("SELECT headline FROM articles_article WHERE id = %s", site.article)[
        0
    ][0]


def _post_comment(visitor, site, body):
    page = visitor.get(site.article_url)
    action = html.unescape(
        re.search(r'class="comment-form" method="post" action="([^"#]+)', page.text).group(1)
    )
    return visitor.post(
        action,
        {
            "body": body,
            "name": "Dana Reader",
            "email": f"dana-{secrets.token_hex(3)}@example.com",
            "website": "",
            "parent": "",
            "token": secrets.token_urlsafe(24),
            "homepage": "",
        },
    )


def _until(condition, seconds=20, what="the condition"):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds} s"
        time.sleep(0.05)
    return found


def test_an_anonymous_reader_is_served_from_the_replica_and_staff_from_the_primary(
    replay_paused, visitor
):
    site = replay_paused
    before = _replica_headline(site)
    site.headline(f"Talks resume in Geneva {secrets.token_hex(3)}")

    assert _section_page(visitor) == before

    editor = Visitor(site)
    editor.log_in("ines")
    assert _section_page(editor) != before


def test_a_readers_own_pending_comment_shows_right_after_posting(replay_paused, visitor):
    site = replay_paused
    body = f"Both delegations should publish the agenda {secrets.token_hex(4)}."

    posted = _post_comment(visitor, site, body)

    assert posted.status == 303
    page = visitor.get(posted.headers["Location"].split("#")[0])
    assert body in page.text
    assert "Your comment is awaiting moderation." in page.text
    # The replica has not replayed it: the page came from the primary.
    assert site.replica.query("SELECT count(*) FROM comments_comment WHERE body = %s", body) == [
        (0,)
    ]
    assert body not in Visitor(site).get(site.article_url).text


def test_a_reader_who_wrote_reads_from_the_primary_for_a_while(replay_paused, visitor):
    site = replay_paused
    assert _post_comment(visitor, site, "A question about the ceasefire lines.").status == 303
    assert visitor.cookie(STICKY_COOKIE)
    # Only the cookie that says they wrote: no session any more.
    visitor.forget_cookies_but(STICKY_COOKIE)
    before = _replica_headline(site)
    site.headline(f"Ceasefire lines drawn {secrets.token_hex(3)}")

    assert _section_page(visitor) != before
    assert _section_page(Visitor(site)) == before


def test_a_change_is_never_cached_from_a_replica_that_has_not_replayed_it(replica_site, visitor):
    site = replica_site
    visitor.get(site.article_url)  # made and stored, if no one asked for it before
    assert visitor.get(site.article_url).headers["X-Cache"] == "hit"
    headline = f"Prisoner exchange completed {secrets.token_hex(3)}"
    run = site.shell_ready()

    with site.replay_paused():
        # Saved as the admin saves: the story's pages are dropped once it commits.
        run(
            "from articles.models import Article\n"
            f"article = Article.objects.get(pk={site.article})\n"
            f"article.headline = {headline!r}\n"
            "article.save()\n"
        )
        assert _replica_headline(site) != headline
        made = visitor.get(site.article_url)
        stored = visitor.get(site.article_url)

    assert _headline(made) == headline
    assert stored.headers["X-Cache"] == "hit"
    assert _headline(stored) == headline


def test_a_lagging_replica_is_skipped_until_it_catches_up(replica_site):
    with replica_site.serving(DATABASE_REPLICA_MAX_LAG_SECONDS="1") as site:
        visitor = Visitor(site)
        _until(lambda: _reads_from_replica(site), what="reading from the replica")

        with site.replay_paused():
            after = f"Summit postponed {secrets.token_hex(3)}"
            site.headline(after)
            # A second behind, it is left out: readers get the primary's text.
            _until(lambda: _section_page(visitor) == after, what="reading from the primary")
            assert "Read replica 1 (replica1) is now lagging" in site.server_log()
            ready = visitor.get("/readyz")
            assert ready.status == 200
            (replica,) = json.loads(ready.text)["checks"]["replicas"]
            assert replica["name"] == "replica 1" and replica["state"] == "lagging"
            assert replica["lag_seconds"] > 1

        _until(lambda: _reads_from_replica(site), what="reading from the replica again")


def test_a_replica_that_stops_between_checks_costs_readers_nothing(replica_site):
    # Checked every five seconds: the replica stops while the server believes it is up, and the
    # readers' queries that fail on it are run again on the primary.
    with replica_site.serving(DATABASE_REPLICA_CHECK_SECONDS="5") as site:
        visitor = Visitor(site)
        assert _reads_from_replica(site)
        site.replica.stop(mode="immediate")
        try:
            pages = [visitor.get(f"/world/?probe={secrets.token_hex(6)}") for _ in range(10)]
            ready = visitor.get("/readyz")
        finally:
            site.replica.start()

        assert [page.status for page in pages] == [200] * 10
        assert "Read replica 1 (replica1) is now down" in site.server_log()
        # Readers are served from the primary meanwhile: degraded, not unavailable.
        assert ready.status == 200
        answer = json.loads(ready.text)
        assert answer["status"] == "degraded"
        assert answer["checks"]["replicas"] == [
            {"name": "replica 1", "state": "down", "lag_seconds": None, "seconds": ANY}
        ]
        assert answer["checks"]["primary"]["state"] == "ok"
        _until(lambda: _reads_from_replica(site), what="reading from the replica again")


def _reads_from_replica(site):
    """Return True if an anonymous reader is served from the replica now."""
    with site.replay_paused():
        before = _replica_headline(site)
        site.headline(f"Probe {secrets.token_hex(3)}")
        return _section_page(Visitor(site)) == before
