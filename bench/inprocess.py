"""Time one page inside Django, without a server: queries, bytes, milliseconds (used by run.py).

    python bench/inprocess.py page /some/path/          JSON: queries, bytes, median ms
    python bench/inprocess.py rerender /story/path/     the same, each request after a comment
                                                        decision (the page's other parts stored)
    python bench/inprocess.py profile /some/path/       the heaviest functions, as text
    python bench/inprocess.py profile moderation        the same for the moderation desk
    python bench/inprocess.py profile-rerender /story/  the same for the page made again
    python bench/inprocess.py moderation                JSON: the moderation desk's first pages

Pages are timed as the anchors' measure_inprocess.py times them: each request through
Django's WSGI handler (what the app server calls), the median of 200 after 20 warm-ups. The
database and settings come from the environment, as for manage.py; run.py sets them.
"""

import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
# The origin's own work, every time; "rerender" turns the cache on for the stored parts.
os.environ["PAGE_CACHE_ENABLED"] = "1" if "rerender" in sys.argv[1:2][0] else "0"

import django

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def time_get(client, path, repeat, before=None):
    """Return (median ms, p90 ms, queries, bytes) over ``repeat`` requests after warm-ups.

    ``before()``, if given, runs ahead of each request, outside the time taken.
    """
    get = _wsgi_get if client is None else lambda path: client.get(path)
    for _ in range(20):
        if before:
            before()
        get(path)
    timings = []
    for _ in range(repeat):
        if before:
            before()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = get(path)
            timings.append(1000 * (time.perf_counter() - started))
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p90_ms": round(timings[int(len(timings) * 0.9) - 1], 2),
        "queries": len(queries),
        "bytes": len(response.content),
        "n": repeat,
    }


_handler = None


@dataclass
class _Answer:
    status_code: int
    headers: dict
    content: bytes


def _wsgi_get(path):
    """GET the path through Django's WSGI handler, as a server would call it."""
    global _handler
    if _handler is None:
        _handler = WSGIHandler()
    environ = RequestFactory()._base_environ(
        PATH_INFO=path.split("?")[0],
        QUERY_STRING=path.partition("?")[2],
        REQUEST_METHOD="GET",
        SERVER_NAME="testserver",
        SERVER_PORT="80",
        HTTP_HOST="testserver",
    )
    answer = {}

    def start_response(status, headers, *args):
        answer.update(status=int(status.split()[0]), headers=dict(headers))

    content = b"".join(_handler(environ, start_response))
    return _Answer(answer["status"], answer["headers"], content)


def page(path, repeat=200):
    print(json.dumps({"path": path, **time_get(None, path, repeat)}))


def rerender(path, repeat=200, *, profiled=False):
    """Time the story's page made again after a decision on one of its comments: only the
    thread's key changed, so the story, cards, metadata and site parts come from the cache."""
    from articles.cache_keys import comments
    from articles.models import Article
    from caching import store

    article = Article.objects.get(slug=path.rstrip("/").rsplit("/", 1)[1])

    def decided():
        store.mark_changed([comments(article.pk)])
        # A clock tick, so the page stored by the request before is older than the change.
        time.sleep(0.001)

    if profiled:
        return profile(path, before=decided)
    figures = time_get(None, path, repeat, before=decided)
    if _wsgi_get(path).headers.get("X-Cache") != "hit":
        sys.exit("the page was not stored after its re-render")
    print(json.dumps({"path": path, **figures}))


def profile_rerender(path):
    rerender(path, profiled=True)


def profile(path, repeat=100, before=None):
    client = Client()
    if path == "moderation":
        client, path = moderator_client(), f"{DESK}?queue=pending"
    client.get(path)
    profiler = cProfile.Profile()
    for _ in range(repeat):
        if before:
            before()
        profiler.enable()
        client.get(path)
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(20)
    # Keep the table, not pstats' preamble; shorten paths to what names the code.
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    site = str(Path(django.__file__).parent.parent) + "/"
    here = str(Path(__file__).resolve().parent.parent) + "/"
    total = sum(row[2] for row in stats.stats.values())
    print(f"{repeat} requests to {path}: {1000 * total / repeat:.1f} ms each under the profiler.")
    print(
        "Own time by layer: "
        + ", ".join(f"{layer} {share:.0%}" for layer, share in _layers(stats, total))
    )
    print("Own time per function (tottime), top 20:")
    for line in lines[start:]:
        if line.strip():
            print(line.replace(site, "").replace(here, ""))


# Where a function's own time goes, by the file it is in; the first match wins.
LAYERS = [
    ("waiting on the database", ("psycopg/", "sqlite3")),
    # Django's engine (the admin's pages), Jinja2 and the readers' compiled templates.
    ("templates", ("django/template/", "django/templatetags/", "/jinja2/", "markupsafe/")),
    ("ORM: building queries and rows", ("django/db/",)),
    ("Redis", ("redis/",)),
    ("the rest of Django (URLs, request handling, utilities)", ("django/",)),
    ("Newsroom's own code", ("/articles/", "/comments/", "/images/", "/newsroom/")),
]


def _layers(stats, total):
    """Return (layer, share of own time), largest first.

    Built-ins (getattr, str.join…) and the standard library count for the layer that called
    them, in proportion to the time each caller spent in them.
    """

    def layer_of(filename):
        return next(
            (name for name, marks in LAYERS if any(mark in filename for mark in marks)), None
        )

    shares = {}
    for (filename, _, _), row in stats.stats.items():
        own, callers = row[2], row[4]
        layer = layer_of(filename)
        if layer is None and callers:
            spent = sum(caller[2] for caller in callers.values()) or 1.0
            for (caller_file, _, _), caller in callers.items():
                name = layer_of(caller_file) or "Python itself (built-ins, standard library)"
                shares[name] = shares.get(name, 0.0) + own * caller[2] / spent / total
            continue
        name = layer or "Python itself (built-ins, standard library)"
        shares[name] = shares.get(name, 0.0) + own / total
    return sorted(shares.items(), key=lambda item: -item[1])


DESK = "/admin/comments/comment/desk/"


def moderator_client():
    from django.contrib.auth.models import Group, User

    moderator, _ = User.objects.get_or_create(
        username="bench-moderator", defaults={"is_staff": True}
    )
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client = Client()
    client.force_login(moderator)
    return client


def moderation(repeat=5):
    client = moderator_client()
    results = {}
    for queue in ["pending", "reported"]:
        results[queue] = time_get(client, f"{DESK}?queue={queue}", repeat)
    print(json.dumps(results))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    commands = {
        "page": page,
        "rerender": rerender,
        "profile": profile,
        "profile-rerender": profile_rerender,
        "moderation": moderation,
    }
    commands[command](*args)
