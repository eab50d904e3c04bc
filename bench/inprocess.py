"""Time one page inside Django, without a server: queries, bytes, milliseconds (used by run.py).

    python bench/inprocess.py page /some/path/          JSON: queries, bytes, median ms
    python bench/inprocess.py profile /some/path/       the heaviest functions, as text
    python bench/inprocess.py profile moderation        the same for the moderation desk
    python bench/inprocess.py moderation                JSON: the moderation desk's first pages

The database and settings come from the environment, as for manage.py; run.py sets them.
"""

import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
os.environ["PAGE_CACHE_ENABLED"] = "0"  # the origin's own work, every time

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def time_get(client, path, repeat):
    """Return (median ms, p90 ms, queries, bytes) over `repeat` requests after one warm-up."""
    client.get(path)
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
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


def page(path, repeat=200):
    print(json.dumps({"path": path, **time_get(Client(), path, repeat)}))


def profile(path, repeat=100):
    client = Client()
    if path == "moderation":
        client, path = moderator_client(), f"{DESK}?queue=pending"
    client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
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
    {"page": page, "profile": profile, "moderation": moderation}[command](*args)
