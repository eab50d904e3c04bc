"""Time the moderation desk's queues with many comments (run by hand, not in CI).

    .venv/bin/python bench/moderation_queue.py --comments 1000000

It builds a throwaway SQLite database (or uses DATABASE_URL), fills it with ``manage.py
fill_database`` (threads spread over 200 articles: 5% pending, about 1% reported, the rest
decided), and prints how long each queue page takes to render and how many queries it runs.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="newsroom-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_user

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    # --force: DATABASE_URL may name a database that already holds other test content.
    call_command(
        "fill_database",
        articles=args.articles,
        comments=args.comments,
        seed=1,
        images=0,
        force=True,
        verbosity=0,
    )
    print(f"created {args.comments:,} comments in {time.perf_counter() - started:.1f} s")

    client = Client()
    client.force_login(make_user(group="Moderators"))
    for queue in ["pending", "reported", "approved", "spam"]:
        timings = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(f"/admin/comments/comment/desk/?queue={queue}")
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200
        timings.sort()
        print(
            f"{queue:>9}: median {1000 * timings[len(timings) // 2]:7.1f} ms, "
            f"best {1000 * timings[0]:7.1f} ms, {len(queries)} queries"
        )


if __name__ == "__main__":
    main()
