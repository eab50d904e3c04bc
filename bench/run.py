"""Every benchmark in one run, beside the anchors, written to bench/RESULTS.md (run by hand).

    .venv/bin/python bench/run.py            about 40 minutes on 2 cores
    .venv/bin/python bench/run.py --quick    a few minutes: short runs, 10,000 articles

Needs PostgreSQL and Redis on 127.0.0.1 (as CI has them), and wrk, nginx, varnish and
varnish-modules from apt-get. In order, it:

1. runs ../shared/bench-anchors/run_all.sh (Wagtail, a plain Django view, cache_page and
   nginx on the same ~1,000-word article), with the same wrk settings as below;
2. builds a PostgreSQL database with the demo content plus generated stories, 1,000 articles
   and 10,000 comments in all, and serves it as production does (DJANGO_DEBUG=0, granian
   started by deploy/serve.py, Redis): one server with the page cache, one without, and
   Varnish (deploy/varnish/newsroom.vcl) in front of the first;
3. measures the reference story uncached, from Django's cache, as a 304 and through Varnish,
   the front page, search and comment posts, with wrk in interleaved repetitions, and each
   worker's memory;
4. runs a two-minute big-news storm on a copy of that database (bench/storm.py);
5. fills the database to 100,000 articles and 1,000,000 comments and measures again, with
   the moderation desk's first page;
6. writes bench/RESULTS.md: every figure, the anchors beside them, the targets met or missed
   by how much, and where the time goes (profiles).

Knobs as for the anchors: DUR=10s REPS=3 CONNS=8. Scratch space: $BENCH_WORK
(/tmp/newsroom-bench); the anchors' is $ANCHORS (/tmp/anchors).
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import appserver
import report
import servers
import storm
import wrk

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
ANCHORS_DIR = Path(os.environ.get("BENCH_ANCHORS_DIR", ROOT.parent / "shared" / "bench-anchors"))
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
DATABASE = "newsroom_bench"
REFERENCE_SLUG = "trump-putin-agree-ukraine-ceasefire-talks"
SEARCH = "housing"
API_LIST = "/api/v1/articles/"

CACHED, UNCACHED, RERENDER, VARNISH = 8010, 8011, 8012, 6081
# The live coverage measured has this many entries (the demo's story, filled up).
LIVE_ENTRIES = 1_000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs and 10,000 articles")
    parser.add_argument("--skip-anchors", action="store_true", help="use the last anchors run")
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()

    knobs = {
        "DUR": os.environ.get("DUR", "3s" if args.quick else "10s"),
        "REPS": int(os.environ.get("REPS", 1 if args.quick else 3)),
        "CONNS": int(os.environ.get("CONNS", 8)),
    }
    big = (10_000, 100_000) if args.quick else (100_000, 1_000_000)
    check_tools()
    work = Path(os.environ.get("BENCH_WORK", "/tmp/newsroom-bench"))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    work.chmod(0o755)  # varnishd reads its VCL as its own unprivileged user

    started = time.monotonic()
    results = {
        "command": " ".join(["bench/run.py", *sys.argv[1:]]),
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "knobs": knobs,
        "machine": machine(),
    }
    results["anchors"] = anchors(knobs, skip=args.skip_anchors)

    env = newsroom_env(work)
    step("Building the 1,000-article database")
    seconds = prepare_database(env)
    results["build_small_s"] = seconds
    reference = find_reference(env)
    results["small"] = measure_phase("1,000 articles", env, work, reference, knobs)
    step("App servers side by side (reference story, 1,000 articles)")
    results["appservers"] = appserver.compare(env, work, reference["path"], knobs)
    results["storm"] = storm.run_on_copy(env, work, reference, seconds=30 if args.quick else 120)

    step(f"Filling to {big[0]:,} articles and {big[1]:,} comments")
    results["big_size"] = big
    results["fill_big_s"] = fill(env, big[0] - 1_000, big[1] - 10_000)
    results["big"] = measure_phase(
        f"{big[0]:,} articles", env, work, reference, knobs, moderation=True
    )
    results["profiles"] = profiles(env, reference, results)
    results["minutes"] = round((time.monotonic() - started) / 60, 1)

    (work / "results.json").write_text(json.dumps(results, indent=1))
    output = Path(args.output)
    kept = report.sections_by_hand(output.read_text()) if output.exists() else ""
    output.write_text(report.render(results) + kept)
    step(f"Wrote {args.output} (raw figures: {work / 'results.json'})")


def step(message):
    print(f"\n== {message}", flush=True)


def check_tools():
    missing = [tool for tool in ["wrk", "nginx", "varnishd"] if not shutil.which(tool)]
    if missing:
        sys.exit(f"Missing {', '.join(missing)}: apt-get install wrk nginx varnish varnish-modules")
    for name, port in [("PostgreSQL", 5432), ("Redis", 6379)]:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        except OSError:
            sys.exit(f"{name} is not answering on 127.0.0.1:{port}; the benchmarks need it.")
    if not (ANCHORS_DIR / "run_all.sh").exists():
        sys.exit(f"No anchors at {ANCHORS_DIR}; set BENCH_ANCHORS_DIR to the bench-anchors folder.")


def machine():
    versions = subprocess.run(
        [PYTHON, "-c", "import django, granian; print(django.__version__, granian.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {
        "cores": len(os.sched_getaffinity(0)),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": versions[0],
        "granian": versions[1],
        "postgres": psql("SHOW server_version").strip(),
        "varnish": subprocess.run(
            ["varnishd", "-V"], capture_output=True, text=True
        ).stderr.splitlines()[0],
    }


def anchors(knobs, *, skip):
    where = Path(os.environ.get("ANCHORS", "/tmp/anchors"))
    if not skip:
        step("Anchors: ../shared/bench-anchors/run_all.sh")
        env = {**os.environ, "ANCHORS": str(where), **{k: str(v) for k, v in knobs.items()}}
        subprocess.run(["bash", str(ANCHORS_DIR / "run_all.sh")], env=env, check=True)
    found = where / "results"
    inprocess = {}
    for line in (found / "inprocess.jsonl").read_text().splitlines():
        row = json.loads(line)
        inprocess[row["label"]] = row
    return {
        "wrk": json.loads((found / "wrk-summary.json").read_text()),
        "inprocess": inprocess,
        "versions": (found / "versions.txt").read_text().strip(),
    }


def psql(sql, database="postgres"):
    return subprocess.run(
        ["psql", f"{POSTGRES}/{database}", "-XAtqc", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def newsroom_env(work, *, database=DATABASE, redis_url=REDIS_URL):
    """Production settings, on plain HTTP on the loopback, with limits a load test needs."""
    return {
        **os.environ,
        "DATABASE_URL": f"{POSTGRES}/{database}",
        "REDIS_URL": redis_url,
        "DJANGO_CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "NEWSROOM_BASE_URL": f"http://127.0.0.1:{CACHED}",
        # Thousands of readers post and read the API from one address here: lift the per-IP
        # limits, keep the rest.
        "COMMENTS_RATE_LIMIT_PER_IP": "100000000/60",
        "API_ANONYMOUS_RATE": "100000000/60",
        "GRANIAN_LOG_ACCESS_ENABLED": "false",
        "GRANIAN_LOG_LEVEL": "warning",
    }


def manage(env, *arguments, capture=False):
    done = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *arguments],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=capture,
        text=True,
    )
    return done.stdout


def prepare_database(env, database=DATABASE):
    started = time.monotonic()
    psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    psql(f"CREATE DATABASE {database}")
    manage(env, "migrate", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "seed")
    counts = json.loads(manage(env, "shell", "-v0", "-c", COUNTS, capture=True))
    fill(env, 1_000 - counts["articles"], 10_000 - counts["comments"])
    manage(env, "shell", "-v0", "-c", LIVE_FILL)
    return round(time.monotonic() - started, 1)


# The demo's live coverage, filled to LIVE_ENTRIES entries, as a story followed all day.
LIVE_FILL = f"""
from datetime import timedelta
from articles.models import Article, LiveEntry
article = Article.objects.get(is_live=True)
have = article.entries.count()
first = article.entries.order_by("published_at").first().published_at
LiveEntry.objects.bulk_create(
    LiveEntry(
        article=article,
        title="" if n % 7 else f"Update {{n}}",
        body=f"<p>Count update {{n}}: the tally moves on in the districts reported so far.</p>",
        is_key_event=n % 50 == 0,
        published_at=first - timedelta(minutes=n),
    )
    for n in range(1, {LIVE_ENTRIES} - have + 1)
)
"""


COUNTS = """
import json
from django.db.models import Count
from articles.models import Article
from comments.models import Comment
print(json.dumps({
    "articles": Article.objects.count(),
    "comments": Comment.objects.count(),
    "statuses": dict(Comment.objects.values_list("status").annotate(n=Count("pk")).order_by()),
}))
"""


def fill(env, articles, comments):
    started = time.monotonic()
    manage(
        env,
        "fill_database",
        f"--articles={articles}",
        f"--comments={comments}",
        "--seed=7",
        "--force",
    )
    return round(time.monotonic() - started, 1)


def find_reference(env):
    """Return the reference story, and a typical generated one: no editors' picks, so its
    related block is worked out from topics that grow with the archive."""
    code = f"""
import json
from articles.models import Article
article = Article.objects.get(slug={REFERENCE_SLUG!r})
typical = (
    Article.objects.published().filter(slug__startswith="fill", related_links__isnull=True)
    .order_by("-published_at").first()
)
live = Article.objects.get(is_live=True)
print(json.dumps({{
    "path": article.get_absolute_url(), "id": article.pk, "typical": typical.get_absolute_url(),
    "live": live.get_absolute_url(), "live_entries": live.entries.count(),
}}))
"""
    return json.loads(manage(env, "shell", "-v0", "-c", code, capture=True))


def measure_phase(label, env, work, reference, knobs, *, moderation=False):
    step(f"Newsroom at {label}")
    article, search = reference["path"], f"/search/?q={SEARCH}"
    counts = json.loads(manage(env, "shell", "-v0", "-c", COUNTS, capture=True))
    inprocess = {
        "article": run_inprocess(env, "page", article),
        "article, made again after a comment": run_inprocess(env, "rerender", article),
        "typical article": run_inprocess(env, "page", reference["typical"]),
        "front": run_inprocess(env, "page", "/"),
        "search": run_inprocess(env, "page", search),
        "live coverage": run_inprocess(env, "page", reference["live"]),
    }
    if moderation:
        inprocess["moderation"] = json.loads(run_inprocess_raw(env, "moderation"))
    with servers.Stack() as stack:
        cached = stack.app_server(env, CACHED, page_cache=True, front_cache=VARNISH)
        uncached = stack.app_server(env, UNCACHED, page_cache=False)
        # Every request follows a decision on one of the story's comments (bench/rerender.py).
        rerender = stack.app_server(
            {**env, "BENCH_CHANGED_KEY": f"comments-{reference['id']}"},
            RERENDER,
            page_cache=True,
            app="bench.rerender:application",
        )
        stack.varnish(work, backend_port=CACHED, port=VARNISH)
        etag = servers.etag(f"{cached.url}{article}")
        api_detail = f"/api/v1/articles/{reference['id']}/"
        subjects = [
            wrk.Subject("article_uncached", f"{uncached.url}{article}"),
            wrk.Subject("typical_uncached", f"{uncached.url}{reference['typical']}"),
            wrk.Subject("article_rerender", f"{rerender.url}{article}"),
            wrk.Subject("article_cached", f"{cached.url}{article}"),
            wrk.Subject("article_304", f"{cached.url}{article}", headers={"If-None-Match": etag}),
            wrk.Subject("article_varnish", f"http://127.0.0.1:{VARNISH}{article}"),
            wrk.Subject("front_uncached", f"{uncached.url}/"),
            wrk.Subject("front_cached", f"{cached.url}/"),
            wrk.Subject("search_uncached", f"{uncached.url}{search}"),
            wrk.Subject("search_one_reader", f"{uncached.url}{search}", connections=1),
            wrk.Subject("live_uncached", f"{uncached.url}{reference['live']}"),
            # The content API beside the page: the newest stories, and the reference story.
            wrk.Subject("api_list_uncached", f"{uncached.url}{API_LIST}"),
            wrk.Subject("api_detail_uncached", f"{uncached.url}{api_detail}"),
            wrk.Subject("api_list_varnish", f"http://127.0.0.1:{VARNISH}{API_LIST}"),
            wrk.Subject("api_detail_varnish", f"http://127.0.0.1:{VARNISH}{api_detail}"),
            wrk.Subject(
                "comment_post",
                f"{uncached.url}/comments/post/{reference['id']}/",
                script=ROOT / "bench" / "post_comment.lua",
            ),
        ]
        figures = wrk.measure(subjects, work / "wrk" / label.split()[0].replace(",", ""), knobs)
        memory = {
            "cached": servers.worker_memory(cached.process.pid),
            "uncached": servers.worker_memory(uncached.process.pid),
        }
        stored = json.loads(manage(env, "shell", "-v0", "-c", COUNTS, capture=True))
    return {
        "counts": counts,
        "inprocess": inprocess,
        "wrk": figures,
        "memory": memory,
        "comments_stored": stored["comments"] - counts["comments"],
        "comments_stored_by_status": {
            status: n - counts["statuses"].get(status, 0)
            for status, n in stored["statuses"].items()
            if n != counts["statuses"].get(status, 0)
        },
    }


def run_inprocess_raw(env, *arguments):
    return subprocess.run(
        [PYTHON, str(ROOT / "bench" / "inprocess.py"), *arguments],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def run_inprocess(env, *arguments):
    return json.loads(run_inprocess_raw(env, *arguments))


def profiles(env, reference, results):
    """Where the time goes: always for the article page, and for any latency target missed."""
    step("Profiles")
    found = {
        "article page, uncached": run_inprocess_raw(env, "profile", reference["path"]),
        "article page, made again after a comment": run_inprocess_raw(
            env, "profile-rerender", reference["path"]
        ),
    }
    missed = {key for key, target in report.targets(results).items() if not target["met"]}
    for name, path, keys in [
        ("front page, uncached", "/", ("front",)),
        ("search", f"/search/?q={SEARCH}", ("search", "search_rate")),
        ("live coverage, uncached", reference["live"], ("live",)),
        ("moderation desk", "moderation", ("moderation",)),
    ]:
        if any(key.split(" at ")[0] in keys for key in missed):
            found[name] = run_inprocess_raw(env, "profile", path)
    return found


if __name__ == "__main__":
    main()
