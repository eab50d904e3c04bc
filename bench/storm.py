"""A big-news storm, measured end to end on the production stack (run by run.py, or alone).

    .venv/bin/python bench/storm.py                 builds its own database, a 120 s storm
    .venv/bin/python bench/storm.py --seconds 30    a shorter storm
    .venv/bin/python bench/storm.py --keep          leave the database for a --reuse run

The app server (deploy/serve.py, page cache on) behind Varnish (deploy/varnish/newsroom.vcl),
with PostgreSQL and Redis. For SECONDS, 64 readers (wrk) load the front page, the lead story
and the live coverage through Varnish, while one newsroom process (storm_newsroom.py) posts a
live entry every 5 s, approves a comment on the lead story every 2 s and corrects the lead story
every 20 s, noting when each change committed; 2,000 live readers (storm_clients.py) poll the
coverage's updates address every 15 s with If-None-Match, and a watcher reloads every changed
page every 50 ms to see when each change first reaches a reader. The pollers and the watcher go
on for two poll intervals after the changes stop, so the last ones are seen and the polls of a
quiet coverage show. Printed, and returned to run.py (results["storm"]): the readers' latency
and errors, each change's time to its first reader, renders at the origin per change, the
share of polls answered 304, CPU, and each worker's memory after the storm.

Alone it uses its own database (newsroom_storm), Redis database 3, the app server on 8030 and
Varnish on 6093, so it can run beside run.py; the database is dropped at the end unless --keep.
Scratch space: $STORM_WORK (/tmp/newsroom-storm).
"""

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))

import report
import run
import servers
import wrk

BENCH = Path(__file__).resolve().parent
DATABASE = "newsroom_storm"
REDIS_URL = "redis://127.0.0.1:6379/3"
PORTS = {"origin": 8030, "varnish": 6093}
READERS = 64
POLLERS = 2_000
POLL_SECONDS = 15
WATCH_SECONDS = 0.05
# The changes each page shows (storm_newsroom.py makes them): what purges it.
PURGED_BY = {
    "front": ("entry", "correction"),
    "live coverage": ("entry",),
    "updates": ("entry",),
    "lead story": ("comment", "correction"),
    "comments page": ("comment", "correction"),
}
# Where each kind of change shows, for the watcher.
SHOWN_ON = {
    "entry": ("live coverage",),
    "comment": ("lead story", "comments page"),
    "correction": ("lead story",),
}
VARNISH_COUNTERS = (
    "MAIN.client_req",
    "MAIN.cache_hit",
    "MAIN.cache_miss",
    "MAIN.backend_req",
    "MAIN.busy_sleep",
    "MAIN.busy_wakeup",
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=120, help="how long the changes go on")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use the database a --keep left")
    args = parser.parse_args()
    for tool in ("wrk", "varnishd", "varnishstat"):
        if not shutil.which(tool):
            sys.exit(f"Missing {tool}: apt-get install wrk varnish varnish-modules")
    work = Path(os.environ.get("STORM_WORK", "/tmp/newsroom-storm"))
    env = run.newsroom_env(work, database=DATABASE, redis_url=REDIS_URL)
    exists = run.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'").strip()
    reuse = args.reuse and exists and (work / "media").is_dir()
    # The database's pictures and the static files live in the work folder: a reused
    # database keeps them, the rest is the last storm's.
    for path in work.glob("*") if work.exists() else []:
        if reuse and path.name in ("static", "media"):
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    work.mkdir(parents=True, exist_ok=True)
    if not reuse:
        run.step(f"Building the 1,000-article database {DATABASE}")
        run.prepare_database(env, DATABASE)
    try:
        figures = storm(env, work, run.find_reference(env), seconds=args.seconds)
        (work / "storm.json").write_text(json.dumps(figures, indent=1))
        run.step(f"Raw figures: {work / 'storm.json'}")
    finally:
        forget_cache(env)
        if not args.keep:
            run.psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def run_on_copy(env, work, reference, *, seconds=120):
    """The storm for run.py: on a copy of its database, so the changes it makes (comments,
    entries, corrections on the reference story) do not reach the later phases' figures."""
    source = database_name(env)
    copy = f"{source}_storm"
    run.psql(f"DROP DATABASE IF EXISTS {copy} WITH (FORCE)")
    run.psql(f"CREATE DATABASE {copy} TEMPLATE {source}")
    storm_env = {
        **env,
        "DATABASE_URL": env["DATABASE_URL"].rsplit("/", 1)[0] + f"/{copy}",
        # Pages cached from the original database must not be served from the copy.
        "DJANGO_CACHE_KEY_PREFIX": f"storm-{secrets.token_hex(4)}",
    }
    try:
        return storm(storm_env, work / "storm", reference, seconds=seconds)
    finally:
        forget_cache(storm_env)
        run.psql(f"DROP DATABASE IF EXISTS {copy} WITH (FORCE)")


def forget_cache(env):
    """Delete the run's keys from Redis: the page cache keeps its keys' records for ever."""
    client = redis.Redis.from_url(env["REDIS_URL"])
    for key in client.scan_iter(f"{env['DJANGO_CACHE_KEY_PREFIX']}:*", count=1000):
        client.delete(key)


def storm(env, work, reference, *, seconds=120, ports=PORTS):
    """Run the storm on the database env names; print its summary and return its figures."""
    run.step(f"Big-news storm: {seconds} s of changes, {READERS} readers, {POLLERS:,} pollers")
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)  # varnishd reads its VCL as its own unprivileged user
    run_id = secrets.token_hex(3)
    plan = newsroom_setup(env, run_id, comments=seconds // 2 + 5)
    (work / "plan.json").write_text(json.dumps(plan))
    tail = 2 * POLL_SECONDS + 2
    pages = watched_pages(plan)
    varnish_url = f"http://127.0.0.1:{ports['varnish']}"
    stack_env = {
        **env,
        "PAGE_CACHE_ENABLED": "1",
        "NEWSROOM_FRONT_CACHES": f"{varnish_url}/",
        # Each request the origin answers, and whether Django rendered it (bench/access_log.py).
        "BENCH_ACCESS_LOG": str(work / "access.log"),
    }
    (work / "access.log").write_text("")
    with servers.Stack() as stack:
        origin = stack.app_server(
            stack_env,
            ports["origin"],
            page_cache=True,
            front_cache=ports["varnish"],
            app="bench.access_log:application",
        )
        front = stack.varnish(work, backend_port=ports["origin"], port=ports["varnish"])
        # The readers' pages in Varnish before the start (the later pages of comments do not
        # exist yet: the thread reaches them during the storm).
        updates = f"{plan['live']['path']}updates/?after={plan['live']['newest']}"
        for path in [*reader_pages(plan).values(), updates]:
            servers.etag(f"{varnish_url}{path}")
        start = time.time() + 6  # time for the helpers to start Python and Django
        config = {
            "run": run_id,
            "host": "127.0.0.1",
            "port": ports["varnish"],
            "start": start,
            "storm_end": start + seconds,
            "end": start + seconds + tail,
        }
        helpers = [
            helper(
                stack,
                work,
                "watch",
                {**config, "pages": pages, "links": page_links(plan), "interval": WATCH_SECONDS},
            ),
            helper(
                stack,
                work,
                "poll",
                {
                    **config,
                    "path": f"{plan['live']['path']}updates/",
                    "after": plan["live"]["newest"],
                    "readers": POLLERS,
                    "interval": POLL_SECONDS,
                },
            ),
            newsroom_changes(stack, stack_env, work, start, seconds),
        ]
        readers, cpu, varnish_before, log_start = load(
            work, plan, (origin, front), database_name(env), start, seconds
        )
        for name, process in helpers:
            if process.wait() != 0:
                sys.exit(f"The storm's {name} failed:\n{(work / f'{name}.err').read_text()}")
        varnish_after = varnish_stats(work)
        memory = servers.worker_memory(origin.process.pid)
    figures = summarise(
        work,
        plan,
        seconds=seconds,
        tail=tail,
        readers=readers,
        cpu=cpu,
        varnish={k: varnish_after[k] - varnish_before[k] for k in VARNISH_COUNTERS},
        log_start=log_start,
        memory=memory,
    )
    print(summary(figures), flush=True)
    return figures


def newsroom_setup(env, run_id, *, comments):
    done = subprocess.run(
        [run.PYTHON, str(BENCH / "storm_newsroom.py"), "setup", run_id, str(comments)],
        env=env,
        cwd=run.ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(f"The storm's setup failed:\n{done.stderr}")
    return json.loads(done.stdout)


def reader_pages(plan):
    return {
        "front": "/",
        "lead story": plan["reference"]["path"],
        "live coverage": plan["live"]["path"],
    }


def watched_pages(plan):
    """The pages readers load, and the pages of comments the approved ones will land on."""
    pages = reader_pages(plan)
    for number in plan["comment_pages"]:
        if number > 1:
            pages[f"comments page {number}"] = f"{plan['reference']['path']}?cpage={number}"
    return pages


def page_links(plan):
    """Where the watcher finds each later page of comments: the link on the page before."""
    links = {}
    for number in plan["comment_pages"]:
        if number > 1:
            before = "lead story" if number == 2 else f"comments page {number - 1}"
            links[f"comments page {number}"] = [before, f"cpage={number}#comments"]
    return links


def started(stack, work, name, command, env=None):
    """Start a helper of the storm, stopped with the stack; its errors go to NAME.err."""
    with (work / f"{name}.err").open("w") as errors:
        process = subprocess.Popen(
            command, env=env, cwd=run.ROOT, stdout=subprocess.DEVNULL, stderr=errors
        )
    stack.callback(servers.stop_process, process)
    return name, process


def helper(stack, work, role, config):
    (work / f"{role}.json").write_text(json.dumps(config))
    command = [
        run.PYTHON,
        str(BENCH / "storm_clients.py"),
        role,
        str(work / f"{role}.json"),
        str(work / f"{role}-found.json"),
    ]
    return started(stack, work, role, command)


def newsroom_changes(stack, env, work, start, seconds):
    command = [
        run.PYTHON,
        str(BENCH / "storm_newsroom.py"),
        "changes",
        str(work / "plan.json"),
        str(work / "changes.jsonl"),
        repr(start),
        str(seconds),
    ]
    return started(stack, work, "changes", command, env)


def database_name(env):
    return env["DATABASE_URL"].rsplit("/", 1)[1]


def load(work, plan, stack_servers, database, start, seconds):
    """Run the readers from the start for the storm's length; return their figures, the CPU
    the servers used meanwhile, Varnish's counters and the access log's length at the start."""
    origin, front = stack_servers
    time.sleep(max(0.0, start - time.time()))
    log_start = (work / "access.log").stat().st_size
    varnish_before = varnish_stats(work)
    before = cpu_snapshot(origin, front)
    sampler = BackendSampler(database)
    sampler.start()
    paths = list(reader_pages(plan).values())
    command = [
        "wrk",
        "-t1",
        f"-c{READERS}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(BENCH / "storm_readers.lua"),
        front.url,
        "--",
        *paths,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    after = cpu_snapshot(origin, front)
    sampler.stop()
    (work / "wrk.txt").write_text(output)
    readers = wrk.parse(output)
    readers["socket_error_counts"] = socket_errors(output)
    cpu = {name: round(after[name] - before[name], 2) for name in before}
    cpu["postgres"] = round(sampler.total(), 2)
    cpu["wall"] = round(after["wall"] - before["wall"], 2)
    return readers, cpu, varnish_before, log_start


def socket_errors(output):
    found = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    names = ("connect", "read", "write", "timeout")
    return dict(zip(names, map(int, found.groups()), strict=True)) if found else {}


def varnish_stats(work):
    output = subprocess.run(
        ["varnishstat", "-n", str(work / "varnish"), "-1", "-j"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counters = json.loads(output)
    counters = counters.get("counters", counters)  # the layout of varnishstat 6.5 and later
    return {name: counters[name]["value"] for name in VARNISH_COUNTERS}


# CPU, from /proc

TICKS = os.sysconf("SC_CLK_TCK")


def process_seconds(pid):
    """CPU seconds of a process, with those of its children that have ended (replaced
    workers), and 0 for a process that is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return sum(int(value) for value in fields[11:15]) / TICKS  # utime stime cutime cstime


def children(pid):
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(FileNotFoundError):  # a thread that just ended
            found += (task / "children").read_text().split()
    return found


def tree_seconds(pid):
    return process_seconds(pid) + sum(tree_seconds(child) for child in children(pid))


def machine_busy():
    """Seconds of CPU the whole machine spent busy (all cores), from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle and iowait
    return (sum(values[:8]) - idle) / TICKS


def cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("latin-1")
    except (FileNotFoundError, ProcessLookupError):
        return ""


def cpu_snapshot(origin, front):
    return {
        "wall": time.monotonic(),
        "origin": tree_seconds(origin.process.pid),
        "varnish": tree_seconds(front.process.pid),
        "machine": machine_busy(),
    }


class BackendSampler(threading.Thread):
    """The CPU PostgreSQL's backends for the storm's database use, sampled each half second:
    connections come and go (CONN_MAX_AGE), and a backend's time is lost when it exits."""

    def __init__(self, database):
        super().__init__(daemon=True)
        self.pattern = f" {database} "
        self.first, self.last = {}, {}
        self.stopping = threading.Event()

    def run(self):
        initial = True
        while not self.stopping.is_set():
            for pid in os.listdir("/proc"):
                command = cmdline(pid) if pid.isdigit() else ""
                if command.startswith("postgres: ") and self.pattern in command:
                    seconds = process_seconds(pid)
                    self.first.setdefault(pid, seconds if initial else 0.0)
                    self.last[pid] = seconds
            initial = False
            self.stopping.wait(0.5)

    def stop(self):
        self.stopping.set()
        self.join()

    def total(self):
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


# Reading what happened


def summarise(work, plan, *, seconds, tail, readers, cpu, varnish, log_start, memory):
    changes = [json.loads(line) for line in (work / "changes.jsonl").read_text().splitlines()]
    watched = json.loads((work / "watch-found.json").read_text())
    polled = json.loads((work / "poll-found.json").read_text())
    start = json.loads((work / "watch.json").read_text())["start"]
    kinds = Counter(change["kind"] for change in changes)
    origin = origin_requests(work, plan, log_start)
    watcher_errors = sum(page["errors"] for page in watched["pages"].values())
    watcher_bad = sum(
        n
        for page in watched["pages"].values()
        for status, n in page["statuses"].items()
        if status != "200"
    )
    return {
        "seconds": seconds,
        "tail_seconds": tail,
        "readers": READERS,
        "pollers": POLLERS,
        "poll_seconds": POLL_SECONDS,
        "watch_ms": WATCH_SECONDS * 1000,
        "pages": watched_pages(plan),
        "changes": dict(kinds),
        "newsroom": newsroom_timing(changes),
        "reader_load": readers,
        "errors": {
            "readers": readers["errors"] + sum(readers["socket_error_counts"].values()),
            "pollers": sum(polled["errors"].values())
            + sum(
                n
                for counts in polled["statuses"].values()
                for status, n in counts.items()
                if status not in ("200", "304")
            ),
            "watcher": watcher_errors + watcher_bad,
        },
        "first_errors": {"pollers": polled["first_errors"], "watcher": first_errors(watched)},
        "visible": visibility(changes, watched),
        "shown_on": shown_on(watched),
        "watcher": watched["pages"],
        # When the watcher found the link to each later page of comments, from the start.
        "linked_after_s": {
            page: round(moment - start, 2) for page, moment in watched["linked"].items()
        },
        "purged_by": PURGED_BY,
        "polls": poll_figures(changes, polled),
        "origin": origin,
        "renders_per_change": renders_per_change(origin, kinds),
        "varnish": varnish,
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0)),
        "memory": memory,
    }


def first_errors(watched):
    return [error for page in watched["pages"].values() for error in page["first_errors"]][:5]


def newsroom_timing(changes):
    """How the newsroom process kept to its clock, and how long a commit's purges took."""

    def ms(values):
        return {
            "p50": round(statistics.median(values) * 1000, 1),
            "max": round(max(values) * 1000, 1),
        }

    return {
        "late_ms": ms([c["began"] - c["due"] for c in changes]),
        "change_ms": ms([c["commit"] - c["began"] for c in changes]),
        "purge_ms": ms([c["flushed"] - c["commit"] for c in changes]),
    }


def page_kind(name):
    return "comments page" if name.startswith("comments page") else name


def visibility(changes, watched):
    """Per kind of change: how long after its commit the watcher first saw it on its page."""
    found = {}
    for change in changes:
        sightings = [
            (seen[change["marker"]], page)
            for page, seen in watched["seen"].items()
            if page_kind(page) in SHOWN_ON[change["kind"]] and change["marker"] in seen
        ]
        row = found.setdefault(change["kind"], {"changes": 0, "latencies": [], "slow": []})
        row["changes"] += 1
        if not sightings:
            row["slow"].append({"marker": change["marker"], "seconds": None, "page": None})
            continue
        moment, page = min(sightings)
        latency = moment - change["commit"]
        row["latencies"].append(latency)
        if latency > 1:
            row["slow"].append(slow_row(change, changes, latency, page))
    for row in found.values():
        latencies = row.pop("latencies")
        row["seen"] = len(latencies)
        row["p50_s"] = round(statistics.median(latencies), 3) if latencies else None
        row["max_s"] = round(max(latencies), 3) if latencies else None
    return found


def slow_row(change, changes, latency, page):
    """A change seen late, with when the next change on the same page committed: a page seen
    only after the next purge was kept stale by Varnish after its own."""
    touching = [
        other["commit"] - change["commit"]
        for other in changes
        if other["commit"] > change["commit"] and page_kind(page) in PAGES_OF[other["kind"]]
    ]
    return {
        "marker": change["marker"],
        "seconds": round(latency, 3),
        "page": page,
        "next_change_on_page_s": round(min(touching), 3) if touching else None,
    }


# The pages each kind of change purges (the inverse of PURGED_BY).
PAGES_OF = {
    kind: tuple(page for page, kinds in PURGED_BY.items() if kind in kinds)
    for kind in ("entry", "comment", "correction")
}


def shown_on(watched):
    """Which kinds of change showed on each watched page (the front page shows none)."""
    return {
        page: sorted({marker.split("-")[2] for marker in seen})
        for page, seen in watched["seen"].items()
    }


def poll_figures(changes, polled):
    statuses = {
        phase: {int(status): n for status, n in counts.items()}
        for phase, counts in polled["statuses"].items()
    }
    first, every, got = [], [], []
    for change in changes:
        if change["kind"] != "entry":
            continue
        times = polled["seen"].get(change["marker"], [])
        got.append(len(times))
        if times:
            first.append(min(times) - change["commit"])
            every.append(max(times) - change["commit"])
    return {
        "statuses": statuses,
        "stale": stale_polls(changes, polled["log"]),
        "share_304": {
            phase: round(counts.get(304, 0) / sum(counts.values()), 4) if counts else None
            for phase, counts in statuses.items()
        },
        "polls": sum(sum(counts.values()) for counts in statuses.values()),
        "p50_ms": polled["p50_ms"],
        "p99_ms": polled["p99_ms"],
        "entries": len(got),
        "entries_seen": len(first),
        "fewest_pollers_per_entry": min(got, default=0),
        "first_p50_s": round(statistics.median(first), 3) if first else None,
        "first_max_s": round(max(first), 3) if first else None,
        "last_p50_s": round(statistics.median(every), 3) if every else None,
        "last_max_s": round(max(every), 3) if every else None,
    }


def stale_polls(changes, log, *, grace=1.0):
    """Polls answered without an entry that had committed more than ``grace`` seconds before
    the poll began: the answer came from a copy made before that entry, kept after its purge.
    Returns how many, and the longest an entry had been committed when an answer missed it."""
    entries = sorted((c["id"], c["commit"]) for c in changes if c["kind"] == "entry")
    stale, worst = 0, 0.0
    for began, _after, status, newest in log:
        if status not in (200, 304):
            continue
        missed = [commit for pk, commit in entries if pk > newest and commit < began - grace]
        if missed:
            stale += 1
            worst = max(worst, began - min(missed))
    return {
        "polls": stale,
        "share": round(stale / len(log), 4) if log else 0,
        "worst_s": round(worst, 2),
    }


def origin_requests(work, plan, log_start):
    """Requests that reached the origin from the storm's start to its end, per page: how many
    Django rendered, how many its page cache answered, and the render time."""
    text = (work / "access.log").read_bytes()[log_start:].decode("latin-1")
    pages = {}
    for line in text.splitlines():
        path, query, status, cache, ms = line.split("|")
        page = pages.setdefault(
            origin_page(path, query, plan),
            {"requests": 0, "renders": 0, "statuses": Counter(), "render_ms": [], "urls": set()},
        )
        page["requests"] += 1
        page["statuses"][status] += 1
        if cache == "miss":
            page["renders"] += 1
            page["render_ms"].append(int(ms))
            page["urls"].add(f"{path}?{query}" if query not in ("", "-") else path)
    for page in pages.values():
        times = page.pop("render_ms")
        page["render_ms_p50"] = statistics.median(times) if times else None
        page["render_ms_max"] = max(times, default=None)
        page["distinct_urls_rendered"] = len(page.pop("urls"))
        page["statuses"] = dict(page["statuses"])
    return pages


def origin_page(path, query, plan):
    live, reference = plan["live"]["path"], plan["reference"]["path"]
    if path == "/":
        return "front"
    if path == live:
        return "live coverage"
    if path == f"{live}updates/":
        return "updates"
    if path == reference:
        page = parse_qs(query).get("cpage", ["1"])[0]
        return "lead story" if page == "1" else "comments page"
    return "other"


def renders_per_change(origin, kinds):
    return {
        page: round(origin[page]["renders"] / changes, 2) if page in origin else 0.0
        for page, by in PURGED_BY.items()
        if (changes := sum(kinds.get(kind, 0) for kind in by))
    }


def summary(figures):
    return "\n".join(report.storm_section(figures, report.STORM_MEMORY_MIB))


if __name__ == "__main__":
    main()
