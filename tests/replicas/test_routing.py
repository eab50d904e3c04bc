"""Which requests may read from a replica, decided without one (tests/replicas/ has the real
replica): a reader's plain page may; staff, the admin, API keys, forms and a reader who just
wrote may not; and a request reads from the primary once it writes."""

import time

import pytest
from django.http import HttpResponse

from articles.models import Article
from newsroom import checks, replicas

ROUTER = replicas.ReplicaRouter()


@pytest.fixture
def one_replica(settings, monkeypatch):
    """A configured replica that is always chosen when a request may use one."""
    settings.NEWSROOM_REPLICAS = ["replica1"]
    monkeypatch.setattr(replicas, "pick", lambda: "replica1")


def _read_from(rf, request=None, *, then_write=False):
    """Return (alias the view read from, after a write if asked; the response)."""
    request = request or rf.get("/world/")
    seen = {}

    def view(request):
        seen["first"] = ROUTER.db_for_read(Article)
        if then_write:
            ROUTER.db_for_write(Article)
            seen["after write"] = ROUTER.db_for_read(Article)
        return HttpResponse("page")

    response = replicas.ReplicaMiddleware(view)(request)
    return seen, response


def test_a_readers_page_reads_from_the_replica(one_replica, rf):
    seen, response = _read_from(rf)

    assert seen == {"first": "replica1"}
    assert replicas.STICKY_COOKIE not in response.cookies


@pytest.mark.parametrize(
    "why, make",
    [
        ("a form", lambda rf: rf.post("/comments/post/1/")),
        ("a session", lambda rf: rf.get("/world/", headers={"Cookie": "sessionid=abc"})),
        ("an API key", lambda rf: rf.get("/api/v1/articles/", HTTP_AUTHORIZATION="Bearer k")),
        ("the admin", lambda rf: rf.get("/admin/login/")),
        (
            "a reader who wrote a moment ago",
            lambda rf: rf.get(
                "/world/", headers={"Cookie": f"{replicas.STICKY_COOKIE}={time.time() + 5:.0f}"}
            ),
        ),
    ],
)
def test_these_requests_read_from_the_primary(one_replica, rf, why, make):
    seen, _ = _read_from(rf, make(rf))

    assert seen == {"first": "default"}, why


@pytest.mark.parametrize("cookie", ["1", "not-a-time", ""])
def test_an_old_or_garbled_wrote_cookie_is_ignored(one_replica, rf, cookie):
    request = rf.get("/world/", headers={"Cookie": f"{replicas.STICKY_COOKIE}={cookie}"})

    assert _read_from(rf, request)[0] == {"first": "replica1"}


def test_a_request_that_writes_reads_from_the_primary_after_and_is_kept_there(one_replica, rf):
    seen, response = _read_from(rf, then_write=True)

    assert seen == {"first": "replica1", "after write": "default"}
    cookie = response.cookies[replicas.STICKY_COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"]


def test_outside_a_request_everything_reads_from_the_primary(one_replica):
    # The task worker, management commands, the tests' own set-up.
    assert ROUTER.db_for_read(Article) == "default"


def test_replicas_without_redis_or_postgresql_are_refused_at_start_up(settings, monkeypatch):
    settings.NEWSROOM_REPLICAS = ["replica1"]
    monkeypatch.setitem(
        settings.DATABASES, "replica1", {"ENGINE": "django.db.backends.sqlite3", "NAME": "x"}
    )
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }

    found = {error.id for error in checks.replicas_need_postgresql_and_redis(None)}

    assert found == {"newsroom.E001", "newsroom.E002"}
