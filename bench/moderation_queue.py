"""Time the moderation desk's queues with many comments (run by hand, not in CI).

    .venv/bin/python bench/moderation_queue.py --comments 1000000

It builds a throwaway SQLite database (or uses DATABASE_URL), fills it with comments spread
over 200 articles (2% pending, 1% reported, the rest decided), and prints how long each queue
page takes to render and how many queries it runs.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=200_000)
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

    from comments.models import Comment
    from tests.factories import make_article, make_section, make_user

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    section = make_section()
    articles = [make_article(section=section) for _ in range(200)]
    rng = random.Random(1)
    statuses = ["approved"] * 80 + ["rejected"] * 10 + ["spam"] * 8 + ["pending"] * 2
    started = time.perf_counter()
    batch = []
    for n in range(args.comments):
        email = f"reader{rng.randrange(20_000)}@example.org"
        batch.append(
            Comment(
                article=rng.choice(articles),
                name=f"Reader {n}",
                email=email,
                email_normalised=email,
                body=f"Comment {n} with some words about the story.",
                body_fingerprint=f"{n:064x}",
                status=rng.choice(statuses),
                is_reported=rng.random() < 0.01,
            )
        )
        if len(batch) == 10_000:
            Comment.objects.bulk_create(batch)
            batch.clear()
    Comment.objects.bulk_create(batch)
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
