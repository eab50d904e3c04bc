"""Comments under load with nothing lost, then with the database stopped mid-run (run by hand).

One script, longer than our usual module: its two phases share the cluster, the servers and
the counting, and it is read top to bottom as the run goes.

    .venv/bin/python bench/load.py                   2,000 posts from 20 clients, then the outage
    .venv/bin/python bench/load.py --skip-outage     the first phase only

Serves Newsroom as production does (DJANGO_DEBUG=0, granian started by deploy/serve.py,
Redis on 127.0.0.1:6379 as the cache) against a PostgreSQL cluster of its own: initdb into a
temporary folder, on a free port, so that stopping it disturbs nothing else on the machine.
The demo content is loaded with `manage.py seed`.

Phase 1: the clients post comments, each with a text of its own; one form in ten is sent
twice, as an impatient reader does (half one after the other, half at the same moment), while
readers load pages, mostly from the page cache, some (searches never made before) not.
Every answer is counted, then the database is read back: each accepted post (303) must be
stored exactly once.

Phase 2: the same load, and the cluster is stopped (pg_ctl stop -m fast) for some seconds,
then started again. Readers must get the cached page or the 503 page, never a 500; a post
answered 503 is sent again every second, as the page asks, until it is accepted; the app
server's workers must reconnect by themselves, without a restart.

Exits 1 if any target is missed. Needs PostgreSQL's server programs (found as bench/postgres.py
says; as root they run as the postgres user) and Redis.
"""

import argparse
import http.client
import json
import os
import queue
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run
from postgres import PrivatePostgres, free_port
from servers import stop_process

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
# PostgreSQL's server programs: $BENCH_PG_BIN, or as bench/postgres.py finds them.
PG_BIN = Path(os.environ["BENCH_PG_BIN"]) if os.environ.get("BENCH_PG_BIN") else None
DATABASE = "newsroom_load"

# The 503 page (jinja2/503.html): a reader's, and a poster's in its two wordings.
READER_PAGE = b"is briefly unavailable"
COMMENT_NOT_SAVED = b"Your comment was not saved"
COMMENT_MAYBE_SAVED = b"Your comment may not have been saved"
POST_HEADERS = {
    "Content-Type": "application/x-www-form-urlencoded",
    # What a browser sends with a form posted from the site's own page (comments/views.py).
    "Sec-Fetch-Site": "same-origin",
    "User-Agent": "newsroom-load/1",
}
RESEND_EVERY = 1.0  # seconds a poster waits before sending a refused comment again
RECOVERY_GRACE = 2.0  # seconds after PostgreSQL is back before every answer must be right


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000, help="comments to post in phase 1")
    parser.add_argument("--clients", type=int, default=20, help="clients posting at once")
    parser.add_argument("--readers", type=int, default=10, help="clients reading pages at once")
    parser.add_argument("--outage-seconds", type=float, default=10.0)
    parser.add_argument("--skip-outage", action="store_true", help="phase 1 only")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()

    missed = []
    with ExitStack() as stack:
        work = Path(tempfile.mkdtemp(prefix="newsroom-load-"))
        work.chmod(0o755)  # the postgres user keeps its cluster inside
        if not args.keep:
            stack.callback(shutil.rmtree, work, ignore_errors=True)
        else:
            print(f"Scratch folder: {work}")
        cluster = PrivatePostgres(work / "postgres", database=DATABASE, binaries=PG_BIN)
        stack.callback(cluster.remove)
        step(f"A private PostgreSQL cluster on port {cluster.port}")
        cluster.create()
        cluster.start()

        site_port = free_port()
        env = site_env(work, cluster, site_port)
        stack.callback(forget_cache, env)
        step("Migrating and loading the demo content")
        run.manage(env, "migrate", "-v0")
        run.manage(env, "collectstatic", "--noinput", "-v0")
        run.manage(env, "seed")
        pages = json.loads(run.manage(env, "shell", "-v0", "-c", PAGES, capture=True))

        site = Site.start(stack, env, site_port, work / "server.log")
        site.warm(pages)
        run_id = secrets.token_hex(3)

        phase = Phase(site, pages, f"Load {run_id} phase 1", args.clients, args.readers)
        step(f"Phase 1: {args.posts:,} posts from {args.clients} clients, {args.readers} readers")
        workers = site.workers()
        phase.post_all(args.posts)
        missed += report_first(phase, cluster, workers == site.workers())

        if not args.skip_outage:
            phase = Phase(site, pages, f"Load {run_id} phase 2", args.clients, args.readers)
            step(f"Phase 2: PostgreSQL stopped for {args.outage_seconds:g} s under the same load")
            workers = site.workers()
            phase.post_through_outage(cluster, args.outage_seconds)
            missed += report_outage(phase, cluster, workers == site.workers())

        print(f"\nserver log: {site.log_summary()}")
    if missed:
        print("\nTargets missed:\n" + "\n".join(f"- {target}" for target in missed))
        sys.exit(1)
    print("\nEvery target met.")


def step(message):
    print(f"\n== {message}", flush=True)


# The database


# The site


def site_env(work, cluster, port):
    """Production settings, as bench/run.py sets them, against the private cluster."""
    return {
        **run.newsroom_env(work),
        "DATABASE_URL": cluster.url,
        "NEWSROOM_BASE_URL": f"http://127.0.0.1:{port}",
        "GRANIAN_PORT": str(port),
        "PAGE_CACHE_ENABLED": "1",
        "NEWSROOM_FRONT_CACHES": "",
        # Every post comes from 127.0.0.1 and many in a minute; each text and address is new,
        # so the other rules of comments/policy.py still apply to every post.
        "COMMENTS_RATE_LIMIT_PER_IP": "100000000/60",
        "COMMENTS_RATE_LIMIT_PER_EMAIL": "100000000/60",
        # Workers must come back from the outage on their own: a worker seen before the outage
        # and after it has not been restarted (granian replaces only a worker that dies or
        # outgrows GRANIAN_WORKERS_MAX_RSS).
        "GRANIAN_LOG_LEVEL": "warning",
        "GRANIAN_LOG_ACCESS_ENABLED": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def forget_cache(env):
    """Delete this run's keys from the shared Redis (pages, sessions, rate limits)."""
    import redis

    client = redis.Redis.from_url(env["REDIS_URL"])
    keys = list(client.scan_iter(match=f"{env['DJANGO_CACHE_KEY_PREFIX']}:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])
    client.close()


PAGES = """
import json
from articles.models import Article, Section
articles = Article.objects.published().filter(comments_open=True).select_related("section")
print(json.dumps({
    "articles": [{"id": a.pk, "url": a.get_absolute_url()} for a in articles],
    "listings": ["/", *(s.get_absolute_url() for s in Section.objects.in_navigation())],
}))
"""


@dataclass
class Site:
    process: subprocess.Popen
    port: int
    log: Path

    @classmethod
    def start(cls, stack, env, port, log):
        """Start the app server as production does; its log goes to a file, never a full
        pipe."""
        with log.open("w") as output:
            process = subprocess.Popen(
                [PYTHON, str(ROOT / "deploy" / "serve.py")],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=output,
            )
        stack.callback(stop_process, process)
        site = cls(process, port, log)
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the app server stopped at once:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"{site.url}/robots.txt", timeout=5) as response:
                    response.read()
                    return site
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def warm(self, pages):
        """Load every reader page once, so readers start from a full page cache."""
        for path in [*pages["listings"], *(article["url"] for article in pages["articles"])]:
            with urllib.request.urlopen(f"{self.url}{path}", timeout=30) as response:
                response.read()

    def workers(self):
        """Return the process ids of the app server's workers."""
        pid = self.process.pid
        return set(Path(f"/proc/{pid}/task/{pid}/children").read_text().split())

    def log_summary(self):
        text = self.log.read_text(errors="replace")
        return (
            f"{text.count('Database unavailable, answered 503'):,} outage lines (newsroom.outage),"
            f" {text.count('Service Unavailable:'):,} 503s from the error handler,"
            f" {text.count('Internal Server Error'):,} internal server errors,"
            f" {text.count('Unexpected exit from worker'):,} workers that died"
        )


# Clients


@dataclass
class Answer:
    status: int  # 0: no answer at all
    reason: str
    sent_at: float
    at: float
    location: str = ""
    x_cache: str = ""
    front_cache: str = ""  # Varnish's X-Front-Cache: "hit" or "miss"


class Browser:
    """One client's keep-alive connection, opened again after a failure or a long pause."""

    # Servers and proxies close a keep-alive connection left idle for a few seconds; a browser
    # stops reusing one before that, rather than send a form into a closing socket.
    IDLE_SECONDS = 3.0

    def __init__(self, port):
        self.port = port
        self.connection = None
        self.used_at = 0.0

    def send(self, method, path, body=None, headers=None):
        sent_at = time.monotonic()
        if self.connection is not None and sent_at - self.used_at > self.IDLE_SECONDS:
            self.close()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request(method, path, body=body, headers=headers or {})
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return Answer(0, f"no answer ({type(error).__name__})", sent_at, time.monotonic())
        self.used_at = time.monotonic()
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return Answer(
            response.status,
            describe(response.status, content),
            sent_at,
            self.used_at,
            location=response.getheader("Location", ""),
            x_cache=response.getheader("X-Cache", ""),
            front_cache=response.getheader("X-Front-Cache", ""),
        )

    def close(self):
        if self.connection is not None:
            self.connection.close()
        self.connection = None


def describe(status, content):
    if status == 503 and b"Traceback" not in content:
        if COMMENT_NOT_SAVED in content:
            return "503 page: comment not saved"
        if COMMENT_MAYBE_SAVED in content:
            return "503 page: comment maybe saved"
        if READER_PAGE in content:
            return "503 page"
    return {
        303: "303 accepted",
        400: "400 form refused",
        403: "403 refused",
        429: "429 rate limited",
        500: "500 server error",
    }.get(status, f"{status}")


@dataclass
class Form:
    """One comment as a reader fills it in: sent again as it is, it is the same submission."""

    n: int
    article: dict
    text: str
    token: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    twice: str = ""  # "after", "at once": sent a second time, after the first answer or with it
    answers: list = field(default_factory=list)

    @property
    def encoded(self):
        return urlencode(
            {
                "name": f"Load reader {self.n}",
                "email": f"reader-{self.token[:8].lower()}-{self.n}@example.org",
                "website": "",
                "body": self.text,
                "parent": "",
                "token": self.token,
                "homepage": "",
            }
        )

    @property
    def accepted(self):
        return any(answer.status == 303 for answer in self.answers)

    def send(self, browser):
        answer = browser.send(
            "POST", f"/comments/post/{self.article['id']}/", self.encoded, POST_HEADERS
        )
        self.answers.append(answer)
        return answer


class Phase:
    """Posters and readers against the site, every answer kept for the count."""

    def __init__(self, site, pages, label, clients, readers):
        self.site = site
        self.pages = pages
        self.label = label
        self.fresh = secrets.token_hex(2)  # keeps this phase's searches out of the cache
        self.clients = clients
        self.reader_count = readers
        self.forms = []
        self.reads = []  # (answer, path)
        self.lock = threading.Lock()
        self.reading = threading.Event()
        self.outage = None  # (stopped at, back at) on the monotonic clock
        self.seconds = 0.0

    def new_form(self, n, twice=""):
        articles = self.pages["articles"]
        form = Form(
            n,
            articles[n % len(articles)],
            f"{self.label}, post {n}: the council should publish the full budget before the vote.",
            twice=twice,
        )
        with self.lock:
            self.forms.append(form)
        return form

    # Readers

    def _reader(self, seed):
        browser, chooser, n = Browser(self.site.port), random.Random(seed), 0
        articles = [article["url"] for article in self.pages["articles"]]
        while self.reading.is_set():
            n += 1
            if chooser.random() < 0.1:
                # A search nobody made before: not in the cache, so it needs the database.
                path = f"/search/?q=budget+{self.fresh}x{seed}x{n}"
            elif chooser.random() < 0.2:
                path = chooser.choice(self.pages["listings"])
            else:
                path = chooser.choice(articles)
            answer = browser.send("GET", path, headers={"User-Agent": "newsroom-load/1"})
            with self.lock:
                self.reads.append((answer, path))

    def _with_readers(self, work):
        self.reading.set()
        readers = [
            threading.Thread(target=self._reader, args=(seed,), daemon=True)
            for seed in range(self.reader_count)
        ]
        for thread in readers:
            thread.start()
        started = time.monotonic()
        try:
            work()
        finally:
            self.seconds = time.monotonic() - started
            self.reading.clear()
            for thread in readers:
                thread.join()

    def _run_posters(self, poster):
        threads = [threading.Thread(target=poster, daemon=True) for _ in range(self.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    # Phase 1

    def post_all(self, count):
        todo = queue.Queue()
        for n in range(count):
            # One form in ten is sent twice: alternately after the first answer, and with it.
            twice = ("after", "at once")[n // 10 % 2] if n % 10 == 5 else ""
            todo.put(self.new_form(n, twice))

        def poster():
            browser, second = Browser(self.site.port), Browser(self.site.port)
            while True:
                try:
                    form = todo.get_nowait()
                except queue.Empty:
                    return
                if form.twice == "at once":
                    other = threading.Thread(target=form.send, args=(second,))
                    other.start()
                    form.send(browser)
                    other.join()
                else:
                    form.send(browser)
                    if form.twice == "after":
                        form.send(browser)

        self._with_readers(lambda: self._run_posters(poster))

    # Phase 2

    def post_through_outage(self, cluster, outage_seconds, before=4.0, after=8.0):
        posting = threading.Event()
        posting.set()
        numbers = iter(range(10**9))

        def poster():
            browser = Browser(self.site.port)
            while posting.is_set():
                with self.lock:
                    n = next(numbers)
                form = self.new_form(n)
                give_up = None
                # A refused post is sent again, as the 503 page asks, until it is accepted.
                while form.send(browser).status != 303:
                    if not posting.is_set():
                        give_up = give_up or time.monotonic() + 60
                        if time.monotonic() > give_up:
                            break
                    time.sleep(RESEND_EVERY)

        def timeline():
            threads = [threading.Thread(target=poster, daemon=True) for _ in range(self.clients)]
            for thread in threads:
                thread.start()
            time.sleep(before)
            stopped_at = time.monotonic()
            cluster.stop()
            time.sleep(outage_seconds)
            cluster.start()
            self.outage = (stopped_at, time.monotonic())
            time.sleep(after)
            posting.clear()
            for thread in threads:
                thread.join()

        self._with_readers(timeline)


def stored_texts(phase, cluster):
    """Return how many times each comment text of the phase is in the database."""
    rows = cluster.query(
        "SELECT body, count(*) FROM comments_comment WHERE body LIKE %s GROUP BY body",
        f"{phase.label}, post %",
    )
    return dict(rows)


def read_back(phase, counts):
    """Return (accepted forms, stored of those, duplicated texts, stored though refused)."""
    accepted = [form for form in phase.forms if form.accepted]
    stored = sum(1 for form in accepted if counts.get(form.text) == 1)
    duplicated = sum(1 for n in counts.values() if n > 1)
    refused_but_stored = sum(1 for form in phase.forms if not form.accepted and form.text in counts)
    return len(accepted), stored, duplicated, refused_but_stored


def refusals(forms):
    """Count why forms were not accepted, and double submits that got different answers."""
    reasons = Counter()
    for form in forms:
        if not form.accepted:
            reasons[form.answers[-1].reason] += 1
        elif form.twice and any(answer.status != 303 for answer in form.answers):
            answers = " and ".join(answer.reason for answer in form.answers)
            reasons[f"sent twice ({form.twice}), answered {answers}"] += 1
        elif form.twice and len({answer.location for answer in form.answers}) != 1:
            reasons[f"sent twice ({form.twice}), answered with two different comments"] += 1
    return reasons


def reader_kinds(reads):
    kinds = Counter()
    for answer, _ in reads:
        if answer.status == 200:
            kinds["200 from the cache" if answer.x_cache == "hit" else "200 made"] += 1
        elif answer.reason == "503 page":
            kinds["503 page"] += 1
        else:
            kinds[f"other: {answer.reason}"] += 1
    return kinds


def figures(counter):
    return ", ".join(f"{n:,} {kind}" for kind, n in sorted(counter.items())) or "none"


def report_first(phase, cluster, same_workers):
    accepted, stored, duplicated, refused_but_stored = read_back(
        phase, stored_texts(phase, cluster)
    )
    rejected = refusals(phase.forms)
    doubles = Counter(form.twice for form in phase.forms if form.twice)
    reads = reader_kinds(phase.reads)
    reader_5xx = sum(1 for answer, _ in phase.reads if answer.status >= 500)
    unanswered = sum(1 for answer, _ in phase.reads if answer.status == 0)
    seconds = phase.seconds
    sends = sum(len(form.answers) for form in phase.forms)
    print(
        f"posts: {accepted:,} accepted, {stored:,} stored, {duplicated:,} duplicated, "
        f"{sum(rejected.values()):,} rejected\n"
        f"  sent twice: {doubles['after']:,} after the first answer, {doubles['at once']:,} "
        f"at the same moment; {sends:,} sends in all\n"
        f"  rejected: {figures(rejected)}\n"
        f"  refused yet stored: {refused_but_stored:,}\n"
        f"readers: {len(phase.reads):,} requests, {reader_5xx:,} 5xx, {unanswered:,} unanswered "
        f"({figures(reads)})\n"
        f"time: {seconds:.1f} s, {sends / seconds:.0f} posts/s, "
        f"{len(phase.reads) / seconds:.0f} reader requests/s\n"
        f"workers: {'the same processes throughout' if same_workers else 'some restarted'}",
        flush=True,
    )
    targets = [
        (accepted == len(phase.forms), f"phase 1: {accepted:,} of {len(phase.forms):,} accepted"),
        (stored == accepted, f"phase 1: {accepted - stored:,} accepted posts not stored once"),
        (duplicated == 0, f"phase 1: {duplicated:,} texts stored twice"),
        (not rejected, f"phase 1: rejections: {figures(rejected)}"),
        (reader_5xx == 0, f"phase 1: {reader_5xx:,} reader answers 5xx"),
        (unanswered == 0, f"phase 1: {unanswered:,} reader requests unanswered"),
    ]
    return [message for met, message in targets if not met]


def report_outage(phase, cluster, same_workers):
    stopped_at, back_at = phase.outage
    settled_at = back_at + RECOVERY_GRACE

    def when(answer):
        if answer.at < stopped_at:
            return "before"
        return "during" if answer.at <= settled_at else "after"

    reads = {moment: Counter() for moment in ("before", "during", "after")}
    for answer, path in phase.reads:
        reads[when(answer)].update(reader_kinds([(answer, path)]))
    answers = [answer for form in phase.forms for answer in form.answers]
    refused_in_outage = [
        form
        for form in phase.forms
        if any(a.status == 503 and when(a) == "during" for a in form.answers)
    ]
    later_accepted = sum(1 for form in refused_in_outage if form.accepted)
    after = [form for form in phase.forms if form.answers and form.answers[0].sent_at > settled_at]
    after_texts = {form.text for form in after if form.accepted}
    counts = stored_texts(phase, cluster)
    accepted, stored, duplicated, refused_but_stored = read_back(phase, counts)
    after_stored = sum(1 for text in after_texts if counts.get(text) == 1)
    bad_posts = Counter(
        a.reason for a in answers if a.status not in (303, 503) or a.reason == "503"
    )
    late_503 = sum(1 for a in answers if a.status == 503 and when(a) == "after")
    reader_other = sum(
        n for counter in reads.values() for kind, n in counter.items() if kind.startswith("other")
    )
    reader_late_503 = reads["after"]["503 page"]
    print(
        f"outage: {back_at - stopped_at:.1f} s (pg_ctl stop -m fast, then pg_ctl start), "
        f"{phase.seconds:.1f} s of load in all\n"
        f"readers before the outage: {figures(reads['before'])}\n"
        f"readers during the outage: {figures(reads['during'])}\n"
        f"readers after recovery:    {figures(reads['after'])}\n"
        f"posts: {len(phase.forms):,} comments, {len(answers):,} sends "
        f"({figures(Counter(answer.reason for answer in answers))})\n"
        f"  answered 503 during the outage: {len(refused_in_outage):,} comments "
        f"({sum(1 for a in answers if a.status == 503 and when(a) == 'during'):,} sends), "
        f"{later_accepted:,} of them sent again and accepted after recovery\n"
        f"  first sent after recovery: {len(after):,}, {len(after_texts):,} accepted, "
        f"{after_stored:,} stored\n"
        f"  other answers: {figures(bad_posts)}; 503 after recovery: {late_503:,}\n"
        f"  in all: {accepted:,} accepted, {stored:,} stored, {duplicated:,} duplicated, "
        f"{refused_but_stored:,} refused yet stored\n"
        f"workers: {'the same processes before and after' if same_workers else 'some restarted'}",
        flush=True,
    )
    targets = [
        (reader_other == 0, f"phase 2: {reader_other:,} reader answers neither 200 nor 503 page"),
        (reader_late_503 == 0, f"phase 2: {reader_late_503:,} reader 503s after recovery"),
        (refused_in_outage, "phase 2: no post met the outage (nothing was tested)"),
        (later_accepted == len(refused_in_outage), "phase 2: posts refused and never accepted"),
        (not bad_posts, f"phase 2: post answers other than 303 or the 503 page: {bad_posts}"),
        (late_503 == 0, f"phase 2: {late_503:,} post 503s after recovery"),
        (accepted == len(phase.forms), f"phase 2: {accepted:,} of {len(phase.forms):,} accepted"),
        (stored == accepted, f"phase 2: {accepted - stored:,} accepted posts not stored once"),
        (duplicated == 0, f"phase 2: {duplicated:,} texts stored twice"),
        (after and after_stored == len(after), "phase 2: posts after recovery not all stored"),
        (same_workers, "phase 2: app server workers were restarted"),
    ]
    return [message for met, message in targets if not met]


if __name__ == "__main__":
    main()
