"""Several app servers and caches on one machine, with one piece killed at a time (run by hand).

    .venv/bin/python bench/cluster.py                        five phases of 30 s, granian
    .venv/bin/python bench/cluster.py --app-server gunicorn  the same with gunicorn
    .venv/bin/python bench/cluster.py --write                and put the figures in RESULTS.md

Everything runs on the loopback, each engine started for real:

- a PostgreSQL primary and a streaming replica of it (bench/postgres.py), with the demo content;
- Redis on 127.0.0.1:6379 (this run's own key prefix), shared by every process;
- two app servers, A and B, on the primary and the replica (DATABASE_REPLICA_URLS), and the
  task worker (manage.py db_worker);
- two Varnish instances (deploy/varnish/newsroom.vcl), each balancing over A and B with health
  probes on /healthz; the app purges both.

Readers load pages through both caches (articles, section pages, and searches nobody made
before, which need the database), and commenters post through them, each form sent again after
a refused or unanswered send until it is accepted, as the 503 page asks. Five phases: all up;
app server A killed (SIGKILL, its whole process group); A started again; the replica stopped
(pg_ctl stop -m immediate); the replica started again. At the end of each phase an editor's
change (a headline saved on the primary, as the admin saves it) is looked for through both
caches on the next request.

Printed for each phase: readers' requests and errors (5xx or no answer), on pages the cache
held and on the rest, and for the kill, the errors after both caches' probes had marked A sick
and how long that took; comments sent, accepted, then read back from the primary (stored
once, twice, or refused yet stored); the change, seen through each cache or not.

Targets: no 5xx on cached pages; no error on any GET once the probes marked the dead server;
every accepted comment stored exactly once; the change seen through both caches on the next
request. Exits 1 if one is missed. Needs PostgreSQL's server programs, Redis, and varnish and
varnish-modules from apt-get (and gunicorn, `pip install ".[bench]"`, for --app-server gunicorn).
"""

import argparse
import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load
import report
import run
from load import step
from postgres import PrivatePostgres, free_port
from servers import stop_process, vcl_for, wait_for

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DATABASE = "newsroom_cluster"
RESULTS = ROOT / "bench" / "RESULTS.md"
PHASES = (
    "all up",
    "app server A killed",
    "A started again",
    "the replica stopped",
    "the replica started again",
)
READY_SHELL = "import sys; print('ready', flush=True); exec(sys.stdin.read())"
HEADLINE = re.compile(rb"<h1[^>]*>(.*?)</h1>", re.S)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="length of each phase")
    parser.add_argument("--readers", type=int, default=12, help="readers at once")
    parser.add_argument("--commenters", type=int, default=4, help="commenters at once")
    parser.add_argument("--app-server", choices=["granian", "gunicorn"], default="granian")
    parser.add_argument("--write", action="store_true", help=f"update {RESULTS.name}")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()

    started = time.monotonic()
    with ExitStack() as stack:
        work = Path(tempfile.mkdtemp(prefix="newsroom-cluster-"))
        work.chmod(0o755)  # the postgres user and varnishd read inside
        if args.keep:
            print(f"Scratch folder: {work}")
        else:
            stack.callback(shutil.rmtree, work, ignore_errors=True)
        cluster = Cluster.start(stack, work, args.app_server)
        load_ = Load(cluster, args.readers, args.commenters)
        results = {
            "command": " ".join(["bench/cluster.py", *sys.argv[1:]]),
            "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "app_server": args.app_server,
            "seconds_per_phase": args.seconds,
            "readers": args.readers,
            "commenters": args.commenters,
            "phases": [],
        }
        load_.start()
        try:
            for number, name in enumerate(PHASES):
                step(f"Phase {number + 1}: {name}")
                results["phases"].append(cluster.phase(number, load_, args.seconds))
        finally:
            load_.stop()
        results["reads"] = summarise_reads(results, load_.reads)
        results["comments"] = load_.read_back(cluster.primary)
        results["minutes"] = round((time.monotonic() - started) / 60, 1)

    (work_results := Path(tempfile.gettempdir()) / "newsroom-cluster.json").write_text(
        json.dumps(results, indent=1)
    )
    text = render(results)
    print("\n" + text)
    print(f"(raw figures: {work_results})")
    if args.write:
        write_section(results, text)
        print(f"Wrote the cluster section of {RESULTS}")
    missed = targets_missed(results)
    if missed:
        print("\nTargets missed:\n" + "\n".join(f"- {target}" for target in missed))
        sys.exit(1)
    print("\nEvery target met.")


# The machines


@dataclass
class AppServer:
    name: str
    port: int
    env: dict
    kind: str
    log: Path
    process: subprocess.Popen = None

    def start(self):
        env = {**self.env, "GRANIAN_PORT": str(self.port)}
        if self.kind == "granian":
            command = [PYTHON, str(ROOT / "deploy" / "serve.py")]
        else:
            command = [
                GUNICORN,
                f"--bind=127.0.0.1:{self.port}",
                "--workers=2",
                "--threads=2",
                "--worker-class=gthread",
                "--log-level=warning",
                "newsroom.wsgi",
            ]
        with self.log.open("a") as output:
            # A session of its own, so that killing it kills its workers too.
            self.process = subprocess.Popen(
                command, env=env, cwd=ROOT, stdout=output, stderr=output, start_new_session=True
            )
        wait_for(f"http://127.0.0.1:{self.port}/healthz", self.process)

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            stop_process(self.process)


@dataclass
class Varnish:
    name: str
    port: int
    folder: Path
    process: subprocess.Popen = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, stack, backends):
        self.folder.mkdir()
        vcl = self.folder / "newsroom.vcl"
        vcl.write_text(vcl_for(backends))
        self.process = subprocess.Popen(
            [
                "varnishd", "-F", "-n", str(self.folder / "state"), "-a", f"127.0.0.1:{self.port}",
                "-f", str(vcl), "-s", "malloc,256m", "-p", "vcc_allow_inline_c=off",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        stack.callback(stop_process, self.process)

    def sick(self):
        """Return the names of the app servers this cache's probes mark sick."""
        done = subprocess.run(
            ["varnishadm", "-n", str(self.folder / "state"), "backend.list"],
            capture_output=True,
            text=True,
        )
        return {
            line.split()[0].rsplit(".", 1)[-1]
            for line in done.stdout.splitlines()[1:]
            if line.split() and "sick" in line
        }


@dataclass
class Cluster:
    primary: PrivatePostgres
    replica: PrivatePostgres
    env: dict
    apps: dict
    caches: list
    worker: subprocess.Popen
    pages: dict
    work: Path

    @classmethod
    def start(cls, stack, work, kind):
        primary = PrivatePostgres(work / "primary", database=DATABASE)
        stack.callback(primary.remove)
        step(f"PostgreSQL primary on port {primary.port}, with the demo content")
        primary.create()
        primary.start()
        ports = {"A": free_port(), "B": free_port(), "cache 1": free_port(), "cache 2": free_port()}
        env = {
            **run.newsroom_env(work, redis_url=run.REDIS_URL),
            "DATABASE_URL": primary.url,
            "NEWSROOM_BASE_URL": f"http://127.0.0.1:{ports['cache 1']}",
            "NEWSROOM_FRONT_CACHES": "",  # none runs while the content is loaded
            "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
            "PAGE_CACHE_ENABLED": "1",
            "GRANIAN_WORKERS": "2",
            "COMMENTS_RATE_LIMIT_PER_EMAIL": "100000000/60",
        }
        stack.callback(load.forget_cache, env)
        run.manage(env, "migrate", "-v0")
        run.manage(env, "collectstatic", "--noinput", "-v0")
        run.manage(env, "seed")
        pages = json.loads(run.manage(env, "shell", "-v0", "-c", load.PAGES, capture=True))

        replica = PrivatePostgres(work / "replica", database=DATABASE, primary=primary)
        stack.callback(replica.remove)
        step(f"Its streaming replica on port {replica.port}")
        replica.create()
        replica.start()
        env["DATABASE_REPLICA_URLS"] = replica.url
        # Every app server, the worker and the editor purge both caches.
        env["NEWSROOM_FRONT_CACHES"] = ",".join(
            f"http://127.0.0.1:{ports[name]}/" for name in ("cache 1", "cache 2")
        )

        step(f"App servers A and B ({kind}), the task worker, two Varnish instances")
        apps = {}
        for name in ("A", "B"):
            app = AppServer(name, ports[name], env, kind, work / f"app-{name}.log")
            stack.callback(app.stop)
            app.start()
            apps[name] = app
        with (work / "worker.log").open("w") as output:
            worker = subprocess.Popen(
                [PYTHON, "manage.py", "db_worker", "--no-reload"],
                env=env,
                cwd=ROOT,
                stdout=output,
                stderr=output,
            )
        stack.callback(stop_process, worker)
        backends = [(f"app_{name.lower()}", app.port) for name, app in apps.items()]
        caches = []
        for number in (1, 2):
            cache = Varnish(f"cache {number}", ports[f"cache {number}"], work / f"varnish-{number}")
            cache.start(stack, backends)
            caches.append(cache)
        for cache in caches:
            wait_for(f"{cache.url}/robots.txt", cache.process)
        cluster = cls(primary, replica, env, apps, caches, worker, pages, work)
        cluster.wait_until(lambda: not any(cache.sick() for cache in caches), "probes healthy")
        for cache in caches:
            for path in [*pages["listings"], *(article["url"] for article in pages["articles"])]:
                with urllib.request.urlopen(cache.url + path, timeout=30) as response:
                    response.read()
        return cluster

    def wait_until(self, condition, what, seconds=120):
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise SystemExit(f"gave up waiting for {what}")
            time.sleep(0.1)
        return time.monotonic()

    def phase(self, number, load_, seconds):
        """Run one phase: its fault, the load for ``seconds``, then a change looked for."""
        load_.phase = number
        began = time.monotonic()
        result = {"name": PHASES[number], "began": began}
        shell = self.ready_shell()  # Django starts in seconds: before the clock matters
        if number == 1:
            killed_at = time.monotonic()
            self.apps["A"].kill()
            marked = self.wait_until(
                lambda: all("app_a" in cache.sick() for cache in self.caches), "A marked sick"
            )
            result["killed_at"], result["marked_at"] = killed_at, marked
            print(f"   both caches' probes marked A sick {marked - killed_at:.1f} s after the kill")
        elif number == 2:
            self.apps["A"].start()
            self.wait_until(
                lambda: not any(cache.sick() for cache in self.caches), "A marked healthy"
            )
        elif number == 3:
            result["stopped_at"] = time.monotonic()
            self.replica.stop(mode="immediate")
        elif number == 4:
            self.replica.start()
        before = self.transactions()
        time.sleep(max(0.0, seconds - (time.monotonic() - began)))
        after = self.transactions()
        result["transactions"] = {
            name: after[name] - before[name]
            if None not in (before[name], after[name]) and after[name] >= before[name]
            else None
            for name in before
        }
        result["readiness"] = {name: readiness(app) for name, app in self.apps.items()}
        result["change"] = self.publish_change(shell, number)
        result["ended"] = time.monotonic()
        return result

    def transactions(self):
        """Return how many transactions each database has run so far (None: not running)."""
        counts = {}
        for name, cluster in (("primary", self.primary), ("replica", self.replica)):
            try:
                rows = cluster.query(
                    "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s",
                    DATABASE,
                )
                counts[name] = int(rows[0][0])
            except Exception:  # psycopg's errors: a stopped server does not answer
                counts[name] = None
        return counts

    def ready_shell(self):
        process = subprocess.Popen(
            [PYTHON, "manage.py", "shell", "-v0", "-c", READY_SHELL],
            env=self.env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        if process.stdout.readline().strip() != "ready":
            raise SystemExit(f"the shell did not start:\n{process.stderr.read()}")
        return process

    def publish_change(self, shell, number):
        """Save a new headline as an editor would; return what each cache shows next."""
        article = self.pages["articles"][0]
        headline = f"Phase {number + 1}: talks resume ({secrets.token_hex(3)})"
        code = (
            "from articles.models import Article\n"
            f"article = Article.objects.get(pk={article['id']})\n"
            f"article.headline = {headline!r}\n"
            "article.save()\n"
        )
        _, errors = shell.communicate(code, timeout=120)
        if shell.returncode:
            raise SystemExit(f"the change failed:\n{errors}")
        seen = {}
        for cache in self.caches:
            request = urllib.request.Request(cache.url + article["url"])
            with urllib.request.urlopen(request, timeout=30) as response:
                body = response.read()
                front = response.headers.get("X-Front-Cache", "")
            found = HEADLINE.search(body)
            shown = found.group(1).decode().strip() if found else ""
            seen[cache.name] = {"shows_change": headline in shown, "front_cache": front}
        return {"headline": headline, "seen": seen}


def readiness(app):
    """Return the app server's /readyz answer (status and checks), or why there was none."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{app.port}/readyz", timeout=5) as answer:
            return {"status": answer.status, "body": json.loads(answer.read())}
    except urllib.error.HTTPError as error:
        return {"status": error.code, "body": json.loads(error.read() or b"{}")}
    except OSError as error:
        return {"status": 0, "body": {"error": type(error).__name__}}


# The load


@dataclass
class Read:
    phase: int
    at: float
    status: int
    front_cache: str
    kind: str  # "article", "listing" or "search"


@dataclass
class Load:
    cluster: Cluster
    readers: int
    commenters: int
    phase: int = 0
    reads: list = field(default_factory=list)
    forms: list = field(default_factory=list)  # (phase first sent in, load.Form)
    running: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    threads: list = field(default_factory=list)

    def start(self):
        self.running.set()
        self.threads = [
            *(threading.Thread(target=self._reader, args=(n,)) for n in range(self.readers)),
            *(threading.Thread(target=self._commenter, args=(n,)) for n in range(self.commenters)),
        ]
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.running.clear()
        for thread in self.threads:
            thread.join()

    def _browsers(self):
        return [load.Browser(cache.port) for cache in self.cluster.caches]

    def _reader(self, seed):
        chooser, browsers, n = random.Random(seed), self._browsers(), 0
        articles = [article["url"] for article in self.cluster.pages["articles"]]
        fresh = secrets.token_hex(2)
        while self.running.is_set():
            n += 1
            roll = chooser.random()
            if roll < 0.1:
                kind, path = "search", f"/search/?q=talks+{fresh}x{seed}x{n}"
            elif roll < 0.3:
                kind, path = "listing", chooser.choice(self.cluster.pages["listings"])
            else:
                kind, path = "article", chooser.choice(articles)
            phase = self.phase
            answer = browsers[n % 2].send("GET", path, headers={"User-Agent": "newsroom-cluster"})
            with self.lock:
                self.reads.append(Read(phase, answer.at, answer.status, answer.front_cache, kind))

    def _commenter(self, seed):
        browsers, n = self._browsers(), 0
        articles = self.cluster.pages["articles"]
        while self.running.is_set():
            n += 1
            phase = self.phase
            form = load.Form(
                seed * 1_000_000 + n,
                articles[(seed + n) % len(articles)],
                f"Cluster run, commenter {seed}, comment {n}: the minutes should be published.",
            )
            with self.lock:
                self.forms.append((phase, form))
            give_up = None
            # Sent again after a refusal or no answer, as a reader would, until accepted; the
            # same form is the same submission, so it cannot be stored twice.
            while form.send(browsers[n % 2]).status != 303:
                if not self.running.is_set():
                    give_up = give_up or time.monotonic() + 60
                    if time.monotonic() > give_up:
                        break
                time.sleep(load.RESEND_EVERY)

    def read_back(self, primary):
        """Return the comments sent in each phase and what the primary holds of them."""
        rows = primary.query(
            "SELECT body, count(*) FROM comments_comment WHERE body LIKE %s GROUP BY body",
            "Cluster run, commenter %",
        )
        counts = dict(rows)
        by_phase = []
        for number in range(len(PHASES)):
            forms = [form for phase, form in self.forms if phase == number]
            accepted = [form for form in forms if form.accepted]
            sends = [answer for form in forms for answer in form.answers]
            by_phase.append(
                {
                    "comments": len(forms),
                    "sends": len(sends),
                    "accepted": len(accepted),
                    "stored once": sum(1 for form in accepted if counts.get(form.text) == 1),
                    "stored twice or more": sum(
                        1 for form in forms if counts.get(form.text, 0) > 1
                    ),
                    "refused yet stored": sum(
                        1 for form in forms if not form.accepted and form.text in counts
                    ),
                    "answers": dict(Counter(answer.reason for answer in sends)),
                }
            )
        return by_phase


# The report


def summarise_reads(results, reads):
    """Return each phase's reader figures."""
    summaries = []
    for number, phase in enumerate(results["phases"]):
        mine = [read for read in reads if read.phase == number]
        errors = [read for read in mine if read.status == 0 or read.status >= 500]
        cached = [read for read in mine if read.front_cache == "hit"]
        summary = {
            "requests": len(mine),
            "errors": len(errors),
            "cached": len(cached),
            "cached 5xx": sum(1 for read in cached if read.status >= 500),
            "errors by kind": dict(Counter(read.kind for read in errors)),
            "statuses": dict(Counter(str(read.status) for read in mine)),
        }
        if "marked_at" in phase:
            summary["errors before marked"] = sum(
                1 for read in errors if read.at < phase["marked_at"]
            )
            summary["errors after marked"] = sum(
                1 for read in errors if read.at >= phase["marked_at"]
            )
            summary["seconds to mark"] = round(phase["marked_at"] - phase["killed_at"], 1)
        summaries.append(summary)
    return summaries


def render(results):
    """Return the run's figures as the Markdown section of RESULTS.md."""
    lines = [
        _marker(results, "begin"),
        f"## Several app servers and caches, {results['app_server']} (`bench/cluster.py`)",
        "",
        f"Run {results['started']}: `{results['command']}`, {results['minutes']} minutes. Two "
        f"{results['app_server']} app servers (A, B; 2 workers each) and the task worker share "
        "a PostgreSQL primary, its streaming replica and Redis; two Varnish instances each "
        "balance over A and B with probes on `/healthz` (every second, sick after 2 failures "
        "in 3), and the app purges both. "
        f"{results['readers']} readers and {results['commenters']} commenters go through both "
        f"caches for {results['seconds_per_phase']:g} s per phase; a tenth of the reads are "
        "searches nobody made before, which need the database.",
        "",
        "| phase | reader requests | of them made by an app server | errors | 5xx on cached "
        "pages | transactions on the replica / the primary | comments sent | accepted "
        "| stored once | stored twice | refused yet stored | change seen next request |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for phase, reads, comments in zip(
        results["phases"], results["reads"], results["comments"], strict=True
    ):
        seen = ", ".join(
            f"{name}: {'yes' if view['shows_change'] else 'NO'}"
            for name, view in phase["change"]["seen"].items()
        )
        transactions = " / ".join(
            "stopped" if count is None else f"{count:,}"
            for count in (phase["transactions"]["replica"], phase["transactions"]["primary"])
        )
        lines.append(
            f"| {phase['name']} | {reads['requests']:,} | {reads['requests'] - reads['cached']:,} "
            f"| {reads['errors']:,} | {reads['cached 5xx']:,} | {transactions} "
            f"| {comments['comments']:,} "
            f"| {comments['accepted']:,} | {comments['stored once']:,} "
            f"| {comments['stored twice or more']:,} | {comments['refused yet stored']:,} "
            f"| {seen} |"
        )
    lines.append("")
    for phase, reads, comments in zip(
        results["phases"], results["reads"], results["comments"], strict=True
    ):
        notes = []
        if "seconds to mark" in reads:
            notes.append(
                f"both caches marked A sick {reads['seconds to mark']} s after the kill; reader "
                f"errors before that: {reads['errors before marked']:,}, after: "
                f"{reads['errors after marked']:,}"
            )
        if reads["errors"]:
            notes.append(f"errors by page kind: {_figures(reads['errors by kind'])}")
        refused = {
            reason: n for reason, n in comments["answers"].items() if reason != "303 accepted"
        }
        if refused:
            notes.append(
                f"comment sends not accepted at first (each sent again): {_figures(refused)}"
            )
        ready = "; ".join(
            f"{name} {_readiness(answer)}" for name, answer in phase["readiness"].items()
        )
        notes.append(f"`/readyz` at the end: {ready}")
        lines.append(f"- **{phase['name']}**: " + "; ".join(notes) + ".")
    lines += [
        "",
        "How to read it: the request and transaction counts are noisy, since the readers, both "
        "caches, both app servers, the worker and both databases share two cores, and a phase's "
        "count follows what else ran then. The targets are in the other columns: errors (a 5xx "
        "or no answer), comments read back from the primary, the change seen through both "
        "caches. Varnish asks the next app server for a reader's page when one fails, but never "
        "sends a form twice (it may have been received): a comment sent to A as it died is "
        "answered 503, sent again by the commenter, as the page asks, and stored once. The "
        "replica's transactions are the readers' pages made from it, and each app process's "
        "check of its lag (one a second).",
        "",
        _marker(results, "end"),
    ]
    return "\n".join(lines)


def _figures(counter):
    return ", ".join(f"{n:,} {kind}" for kind, n in sorted(counter.items()))


def _readiness(answer):
    body = answer["body"]
    if answer["status"] == 0:
        return f"no answer ({body.get('error')})"
    replicas = body.get("checks", {}).get("replicas") or []
    states = ", ".join(f"{replica['name']} {replica['state']}" for replica in replicas)
    return f"{answer['status']}" + (f" ({states})" if states else "")


def targets_missed(results):
    missed = []
    for phase, reads, comments in zip(
        results["phases"], results["reads"], results["comments"], strict=True
    ):
        name = phase["name"]
        if reads["cached 5xx"]:
            missed.append(f"{name}: {reads['cached 5xx']:,} 5xx on cached pages")
        # While A is dead and not yet marked sick, a reader's request may meet it.
        after = reads.get("errors after marked", reads["errors"])
        if after:
            missed.append(f"{name}: {after:,} reader errors with the dead server marked")
        if comments["accepted"] != comments["comments"]:
            missed.append(f"{name}: {comments['comments'] - comments['accepted']:,} never accepted")
        if comments["stored once"] != comments["accepted"]:
            missed.append(f"{name}: accepted comments not stored exactly once")
        if comments["stored twice or more"] or comments["refused yet stored"]:
            missed.append(f"{name}: comments stored twice, or refused yet stored")
        if not all(view["shows_change"] for view in phase["change"]["seen"].values()):
            missed.append(f"{name}: the change was not seen through both caches")
    return missed


def _marker(results, end):
    # Each app server's run has its own part of RESULTS.md, which run.py keeps.
    return report.BY_HAND.format(script="bench/cluster.py", part=results["app_server"], end=end)


def write_section(results, text):
    """Put the run's part in RESULTS.md, in place of the last run's with this app server."""
    start, end = _marker(results, "begin"), _marker(results, "end")
    current = RESULTS.read_text()
    if start in current:
        head, rest = current.split(start, 1)
        _, tail = rest.split(end, 1)
        RESULTS.write_text(head + text + tail)
    else:
        RESULTS.write_text(current.rstrip("\n") + "\n\n" + text + "\n")


if __name__ == "__main__":
    main()
