"""bench/RESULTS.md from one run's figures (used by run.py)."""

import re
from pathlib import Path

LABELS = {
    "article_uncached": "Article page, uncached (origin renders it)",
    "typical_uncached": "A typical generated article, uncached",
    "article_rerender": "Article page made again after a comment decision (other parts stored)",
    "article_cached": "Article page from Django's cache (Redis)",
    "article_304": "Article page, conditional GET answered 304",
    "article_varnish": "Article page through Varnish",
    "front_uncached": "Front page, uncached",
    "front_cached": "Front page from Django's cache",
    "search_uncached": "Search, uncached",
    "search_one_reader": "Search, one reader at a time",
    "comment_post": "Comment POST (stored, waits for a moderator)",
    "live_uncached": "Live coverage of 1,000 entries, uncached",
    "api_list_uncached": "Content API, newest articles (/api/v1/articles/), uncached",
    "api_detail_uncached": "Content API, the reference story (/api/v1/articles/<id>/), uncached",
    "api_list_varnish": "Content API, newest articles, through Varnish",
    "api_detail_varnish": "Content API, the reference story, through Varnish",
}
ANCHORS = {
    "wagtail": "Wagtail 8 page",
    "plain": "Plain Django view",
    "cached": "Django cache_page (LocMem)",
    "nginx": "nginx, the same HTML as a file",
    "nginxclose": "nginx, a new connection per request",
    "wagtail10k": "Wagtail 8 page, 10,000 articles",
    "plain10k": "Plain Django view, 10,000 articles",
}


def _ratio_target(what, ours, anchor, goal, label):
    ratio = ours / anchor
    return {
        "what": what,
        "figure": f"{ratio:.2f}× ({ours:,.0f} vs {anchor:,.0f} req/s{label})",
        "met": ratio >= goal,
        "short": f"{goal / ratio:.2f}× short of it" if ratio < goal else "",
    }


# Throughput targets, as (key, what, subject, anchor, goal): the subject's req/s over the
# anchor's, in the same run; at the big size the anchors' own 10,000-article figures.
RATIOS = [
    (
        "uncached",
        "Article page, uncached (every part made) ≥ 1.5× Wagtail",
        "article_uncached",
        "wagtail",
        1.5,
    ),
    (
        "rerender",
        "Article page made again after a comment approval (other parts stored) ≥ 4× Wagtail",
        "article_rerender",
        "wagtail",
        4,
    ),
    (
        "cached",
        "Article page from Django's cache with Redis ≥ 1× the cache_page anchor",
        "article_cached",
        "cached",
        1,
    ),
    ("front", "Front page, uncached ≥ 1.5× Wagtail", "front_uncached", "wagtail", 1.5),
    ("search_rate", "Search, uncached ≥ 1× Wagtail", "search_uncached", "wagtail", 1),
    (
        "live",
        "Live coverage of 1,000 entries, uncached ≥ 1× Wagtail",
        "live_uncached",
        "wagtail",
        1,
    ),
]


def targets(results):
    anchors = results["anchors"]["wrk"]
    small, big = results["small"], results["big"]
    found = {}
    for phase, label, suffix in (
        (small, "", " at 1,000 articles"),
        (big, "10k", f" at {results['big_size'][0]:,} articles"),
    ):
        for key, what, subject, anchor, goal in RATIOS:
            name = anchor + label if anchor + label in anchors else anchor
            found[key + suffix] = _ratio_target(
                what + suffix,
                phase["wrk"][subject]["rps"],
                anchors[name]["rps_median"],
                goal,
                "" if name == anchor else f", against {ANCHORS[name]}",
            )
        cached = phase["wrk"]["article_cached"]
        tail = cached["p99_ms"] / cached["p50_ms"]
        found["tail" + suffix] = {
            "what": "Article page from Django's cache: p99 ≤ 5× its own p50" + suffix,
            "figure": f"{tail:.1f}× ({cached['p99_ms']:.2f} vs {cached['p50_ms']:.2f} ms)",
            "met": tail <= 5,
            "short": f"{tail / 5:.1f}× over" if tail > 5 else "",
        }
    varnish = small["wrk"]["article_varnish"]["rps"] / anchors["nginx"]["rps_median"]
    found["varnish"] = {
        "what": "Article page through Varnish ≥ 80% of nginx serving the HTML as a file",
        "figure": f"{varnish:.0%} ({small['wrk']['article_varnish']['rps']:,.0f} vs "
        f"{anchors['nginx']['rps_median']:,.0f} req/s)",
        "met": varnish >= 0.8,
        "short": f"{(0.8 - varnish) * 100:.0f} points short" if varnish < 0.8 else "",
    }
    growth = {
        key: big["wrk"][key]["p50_ms"] / small["wrk"][key]["p50_ms"]
        for key in ("article_uncached", "typical_uncached")
    }
    desk = big["inprocess"]["moderation"]["pending"]["median_ms"]
    search = big["wrk"]["search_one_reader"]["p50_ms"]
    found |= {
        "growth": {
            "what": "Article median latency at the big size ≤ 1.2× the 1,000-article figure",
            "figure": "; ".join(
                f"{name}: {growth[key]:.2f}× ({big['wrk'][key]['p50_ms']:.2f} vs "
                f"{small['wrk'][key]['p50_ms']:.2f} ms)"
                for key, name in (
                    ("article_uncached", "reference story"),
                    ("typical_uncached", "typical story"),
                )
            )
            + f", uncached, {small['wrk']['article_uncached']['connections']} connections",
            "met": max(growth.values()) <= 1.2,
            "short": f"{max(growth.values()) / 1.2:.2f}× over"
            if max(growth.values()) > 1.2
            else "",
        },
        "moderation": {
            "what": "Moderation queue's first page < 300 ms at the big size",
            "figure": f"{desk:.1f} ms (pending queue, median of 5, in process)",
            "met": desk < 300,
            "short": f"{desk - 300:.0f} ms over" if desk >= 300 else "",
        },
        "search": {
            "what": "Search < 100 ms on PostgreSQL at the big size",
            "figure": f"{search:.1f} ms (median, one reader at a time over HTTP)",
            "met": search < 100,
            "short": f"{search - 100:.0f} ms over" if search >= 100 else "",
        },
    }
    return found


# The big-news storm (bench/storm.py)

# A worker's resident memory, uncached, before the storm work: the "today's" figure.
STORM_MEMORY_MIB = 70
STORM_PAGE_SECONDS = 1
STORM_RENDERS = 1.5  # "about one" render per change on each page readers load
STORM_READER_PAGES = ("front", "lead story", "live coverage")
PLURALS = {"entry": "entries", "comment": "comments", "correction": "corrections"}
KIND_NAMES = {
    "entry": "Live entry, on the coverage page",
    "comment": "Approved comment, on the lead story's thread",
    "correction": "Correction, on the lead story",
}


def storm_memory_baseline(results):
    """The issue's "today's" figure: a worker's memory, uncached, before this work (the
    2026-11-25 run: 72, 69, 66, 62 and 50 MiB); the run's own would move with the code."""
    return STORM_MEMORY_MIB


def storm_targets(storm, memory_baseline):
    errors = storm["errors"]
    total = sum(errors.values())
    visible = storm["visible"]
    late = [
        f"{kind} {row['max_s']:.2f} s" if row["max_s"] is not None else f"{kind} never seen"
        for kind, row in visible.items()
        if row["seen"] < row["changes"] or row["max_s"] > STORM_PAGE_SECONDS
    ]
    polls = storm["polls"]
    poll_limit = storm["poll_seconds"] + 1
    first = polls["first_max_s"]
    renders = storm["renders_per_change"]
    worst = max(renders.get(page, 0) for page in STORM_READER_PAGES)
    rss = max(worker["rss"] for worker in storm["memory"])
    return {
        "storm_errors": {
            "what": "Big-news storm: no errors (readers, pollers, watcher)",
            "figure": f"{total} ({errors['readers']} / {errors['pollers']} / {errors['watcher']})",
            "met": total == 0,
            "short": f"{total} errors",
        },
        "storm_pages": {
            "what": "Storm: each change on its page ≤ 1 s after its commit",
            "figure": "; ".join(
                f"{PLURALS[kind]}: max {visible[kind]['max_s']:.2f} s"
                if visible[kind]["max_s"] is not None
                else f"{PLURALS[kind]}: –"
                for kind in KIND_NAMES
                if kind in visible
            ),
            "met": not late,
            "short": "; ".join(late) + " (first reader)" if late else "",
        },
        "storm_polls": {
            "what": f"Storm: each live entry reaches the first poller ≤ {poll_limit} s after it",
            "figure": f"max {first:.2f} s; every poller had it within {polls['last_max_s']:.1f} s"
            if first is not None
            else "no entry reached a poller",
            "met": first is not None
            and first <= poll_limit
            and polls["entries_seen"] == polls["entries"],
            "short": f"{first - poll_limit:.1f} s over" if first else "none seen",
        },
        "storm_renders": {
            "what": f"Storm: about one origin render per change (≤ {STORM_RENDERS}) per page "
            "readers load",
            "figure": ", ".join(
                f"{page} {renders.get(page, 0):.2f}" for page in STORM_READER_PAGES
            ),
            "met": worst <= STORM_RENDERS,
            "short": f"{worst:.1f} renders per change on one page",
        },
        "storm_memory": {
            "what": "Storm: worker resident memory afterwards ≤ 1.2× today's",
            "figure": f"{rss:.0f} MiB at most, against {memory_baseline:.0f} MiB",
            "met": rss <= 1.2 * memory_baseline,
            "short": f"{rss / memory_baseline:.2f}×",
        },
    }


def storm_section(storm, memory_baseline):
    """The storm's figures as a section of RESULTS.md (also what storm.py prints)."""
    readers = storm["reader_load"]
    polls = storm["polls"]
    cpu = storm["cpu"]
    renders = storm["renders_per_change"]
    changes = storm["changes"]
    targets = storm_targets(storm, memory_baseline)

    def verdict(key):
        target = targets[key]
        return "yes" if target["met"] else f"**no**, {target['short']}"

    lines = [
        "",
        "## Big-news storm",
        "",
        f"`bench/storm.py`, {storm['seconds']} s: {storm['readers']} readers (wrk, one "
        "thread) go round the front page, the lead story and the live coverage through "
        f"Varnish; meanwhile {many(changes.get('entry', 0), 'live entry', 'live entries')} "
        f"(every 5 s), {many(changes.get('comment', 0), 'comment approval')} (every 2 s) and "
        f"{many(changes.get('correction', 0), 'correction')} of the lead story (every 20 s), and "
        f"{storm['pollers']:,} live readers poll the updates every {storm['poll_seconds']} s "
        "with If-None-Match. A watcher reloads each changed page every "
        f"{storm['watch_ms']:.0f} ms; it and the pollers go on {storm['tail_seconds']} s after "
        "the changes stop. One app server (granian, page cache on) behind one Varnish, on the same "
        f"{storm['cores']} cores as every client.",
        "",
        "| Figure | Storm | Target | Met? |",
        "| --- | --- | --- | --- |",
        f"| Readers through Varnish, p50 / p99 | {readers['p50_ms']:.2f} / "
        f"{readers['p99_ms']:.2f} ms ({readers['rps']:,.0f} req/s) | – | |",
        f"| Errors: readers / pollers / watcher | {storm['errors']['readers']} / "
        f"{storm['errors']['pollers']} / {storm['errors']['watcher']} | 0 | "
        f"{verdict('storm_errors')} |",
    ]
    for kind in KIND_NAMES:
        if kind not in storm["visible"]:
            continue
        row = storm["visible"][kind]
        figure = (
            f"{row['p50_s']:.2f} / {row['max_s']:.2f} s ({row['seen']} of {row['changes']} seen)"
            if row["seen"]
            else f"never seen ({row['changes']} changes)"
        )
        met = row["seen"] == row["changes"] and row["max_s"] <= STORM_PAGE_SECONDS
        lines.append(
            f"| {KIND_NAMES[kind]}: commit to first reader, p50 / max | {figure} | ≤ "
            f"{STORM_PAGE_SECONDS} s | {'yes' if met else '**no**'} |"
        )
    if polls["first_max_s"] is not None:
        lines += [
            f"| Live entry to the first poller, p50 / max | {polls['first_p50_s']:.2f} / "
            f"{polls['first_max_s']:.2f} s | ≤ {storm['poll_seconds'] + 1} s | "
            f"{verdict('storm_polls')} |",
            f"| Live entry to every poller, p50 / max of the last one | "
            f"{polls['last_p50_s']:.1f} / {polls['last_max_s']:.1f} s (each entry reached "
            f"≥ {polls['fewest_pollers_per_entry']:,} pollers) | – | |",
        ]
    share = polls["share_304"]
    if "stale" in polls:
        stale = polls["stale"]
        lines.append(
            f"| Poll answers missing an entry committed over 1 s before the poll | "
            f"{stale['polls']:,} ({stale['share']:.1%}); the oldest entry missed had committed "
            f"{stale['worst_s']:.1f} s before | – | |"
        )
    lines += [
        f"| Polls answered 304: during the storm / after it | {percent(share.get('storm'))} / "
        f"{percent(share.get('tail'))} of {polls['polls']:,} polls (p50 {polls['p50_ms']:.1f} "
        f"ms, p99 {polls['p99_ms']:.1f} ms) | – | |",
        "| Origin renders per change: "
        + ", ".join(f"{page}" for page in renders)
        + " | "
        + ", ".join(f"{value:.2f}" for value in renders.values())
        + f" | ≤ {STORM_RENDERS} on the readers' pages | {verdict('storm_renders')} |",
        f"| Origin CPU (granian, all workers) | {cpu['origin']:.1f} s, "
        f"{cpu['origin'] / cpu['wall']:.0%} of one core | – | |",
        f"| Varnish / PostgreSQL CPU | {cpu['varnish']:.1f} s / {cpu['postgres']:.1f} s; the "
        f"machine was {cpu['machine'] / cpu['wall'] / storm['cores']:.0%} busy | – | |",
        "| Worker memory after the storm, resident | "
        + ", ".join(f"{worker['rss']:.0f}" for worker in storm["memory"])
        + f" MiB | ≤ 1.2 × {memory_baseline:.0f} MiB | {verdict('storm_memory')} |",
        "",
        "Where the origin's work went, per page (from the origin's access log, the storm and "
        "after it):",
        "",
        "| Page | requests | rendered | distinct URLs rendered | render p50 / max ms | purged by |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for page, figures in storm["origin"].items():
        purged = " and ".join(
            many(changes.get(kind, 0), kind, PLURALS[kind])
            for kind in storm["purged_by"].get(page, ())
        )
        lines.append(
            f"| {page} | {figures['requests']:,} | {figures['renders']:,} | "
            f"{figures['distinct_urls_rendered']} | {figures['render_ms_p50'] or 0:.0f} / "
            f"{figures['render_ms_max'] or 0} | {purged or '–'} |"
        )
    varnish = storm["varnish"]
    newsroom = storm["newsroom"]
    lines += [
        "",
        f"Varnish: {varnish['MAIN.client_req']:,} requests, {varnish['MAIN.cache_hit']:,} hits, "
        f"{varnish['MAIN.cache_miss']:,} misses, {varnish['MAIN.backend_req']:,} backend "
        f"fetches; {varnish['MAIN.busy_sleep']:,} requests waited for a fetch already under "
        "way instead of making their own (coalesced). The newsroom process: a change took "
        f"{newsroom['change_ms']['p50']:.0f} ms (max {newsroom['change_ms']['max']:.0f}) to "
        f"commit, its purges {newsroom['purge_ms']['p50']:.0f} ms (max "
        f"{newsroom['purge_ms']['max']:.0f}) more, and it began up to "
        f"{newsroom['late_ms']['max']:.0f} ms late. The changes showed on: "
        + "; ".join(
            f"{page}: {', '.join(kinds) or 'none'}" for page, kinds in storm["shown_on"].items()
        )
        + "."
        + "".join(
            f" The watcher found the link to {page} {seconds:.1f} s into the storm."
            for page, seconds in storm.get("linked_after_s", {}).items()
        ),
    ]
    slow = [row for kind in storm["visible"].values() for row in kind["slow"]]
    if slow:
        lines += ["", "Changes readers saw later than 1 s after their commit:", ""]
        for row in slow:
            if row["seconds"] is None:
                lines.append(f"- `{row['marker']}`: never seen")
                continue
            after = row["next_change_on_page_s"]
            lines.append(
                f"- `{row['marker']}`: {row['seconds']:.2f} s, on the {row['page']}"
                + (f"; the next change there committed {after:.2f} s after it" if after else "")
            )
    return lines


def many(n, one, more=None):
    return f"{n:,} {one if n == 1 else more or one + 's'}"


def percent(share):
    return "–" if share is None else f"{share:.1%}"


# The sections other scripts write into RESULTS.md by hand (bench/cluster.py), each between
# these two lines: run.py keeps them when it writes the rest.
BY_HAND = "<!-- {script}, {part}: {end} -->"
_BY_HAND_BLOCK = re.compile(r"<!-- (\S+), (\S+): begin -->.*?<!-- \1, \2: end -->", re.S)


def sections_by_hand(text):
    """Return the sections written by hand in a RESULTS.md, to keep them on a new run."""
    return "".join(f"\n\n{match.group(0)}\n" for match in _BY_HAND_BLOCK.finditer(text))


def render(results):
    anchors = results["anchors"]
    machine = results["machine"]
    knobs = results["knobs"]
    big_articles, big_comments = results["big_size"]
    lines = [
        "# Benchmarks",
        "",
        f"Made by `.venv/bin/python {results['command']}` on {results['started']}, in "
        f"{results['minutes']} minutes; every figure below comes from that one run, but those "
        "of the sections run by hand at the end (`bench/cluster.py`), which say when. The anchors",
        "are `../shared/bench-anchors/run_all.sh`, run first by the same command with the same",
        f"wrk settings: `wrk -t1 -c{knobs['CONNS']} -d{knobs['DUR']} --latency`, "
        f"{knobs['REPS']} interleaved repetitions,",
        "medians shown. Ratios matter more than absolute figures, which drift between runs.",
        "",
        f"Machine: {machine['cores']} cores, Linux {machine['kernel']}, Python "
        f"{machine['python']}, Django {machine['django']}, granian {machine['granian']}, "
        f"PostgreSQL {machine['postgres']}, {machine['varnish']}.",
        "",
        "Newsroom runs as in production: `DJANGO_DEBUG=0`, PostgreSQL, Redis, granian started",
        "by `deploy/serve.py` (a process per core, 2 threads each), Varnish with",
        "`deploy/varnish/newsroom.vcl`. The anchors run gunicorn's sync workers (2 processes) on",
        "SQLite: the app server is one of Newsroom's choices, measured under *App servers side",
        "by side* below with gunicorn on the same pages. The page measured is the demo's",
        "reference story: about 900 words, lead image, 6 topics, 4 editors' picks, comments; the",
        "typical story is a generated one without picks.",
        "",
        "## Targets",
        "",
        "| Target | Figure | Met? |",
        "| --- | --- | --- |",
    ]
    for target in every_target(results).values():
        verdict = "yes" if target["met"] else f"**no**, {target['short']}"
        lines.append(f"| {target['what']} | {target['figure']} | {verdict} |")
    lines += shortfalls(results)
    lines += ["", "## Anchors (same run)", ""]
    lines += [
        "| Subject | req/s | p50 ms | p99 ms | SQL per page | in-process ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, label in ANCHORS.items():
        figures = anchors["wrk"].get(key)
        if not figures:
            continue
        inprocess = anchors["inprocess"].get(key, {})
        lines.append(
            f"| {label} | {figures['rps_median']:,.0f} | {figures['p50_ms_median']:.2f} | "
            f"{figures['p99_ms_median']:.2f} | {inprocess.get('queries_steady', '–')} | "
            f"{inprocess.get('render_ms_median', '–')} |"
        )
    for key, title in [
        ("small", "1,000 articles and 10,000 comments"),
        ("big", f"{big_articles:,} articles and {big_comments:,} comments"),
    ]:
        lines += phase_section(title, results[key], anchors)
        if key == "small" and "storm" in results:
            lines += storm_section(results["storm"], storm_memory_baseline(results))
    lines += appservers(results)
    lines += [
        "",
        "## Building the data",
        "",
        f"- Demo content plus generated stories to 1,000 articles and 10,000 comments, with "
        f"migrations and collectstatic: {results['build_small_s']:.0f} s.",
        f"- `manage.py fill_database` up to {big_articles:,} articles and {big_comments:,} "
        f"comments: {results['fill_big_s']:.0f} s.",
        "",
        "## Where the time goes",
        "",
        "cProfile in process, page cache off, at the big size. Functions by their own time.",
    ]
    for name, text in results["profiles"].items():
        lines += ["", f"### {name}", "", "```", text.rstrip(), "```"]
    before = Path(__file__).with_name("profile-before.txt")
    if before.exists():
        heading, *profile = before.read_text().splitlines()
        lines += [
            "",
            "### article page, uncached, before this work",
            "",
            heading.lstrip("# "),
            "",
            "```",
            *(line for line in profile if not line.startswith("#")),
            "```",
        ]
    lines += ["", "## Anchor versions", "", "```", anchors["versions"], "```", ""]
    return "\n".join(lines)


def phase_section(title, phase, anchors):
    wagtail = anchors["wrk"]["wagtail"]["rps_median"]
    nginx = anchors["wrk"]["nginx"]["rps_median"]
    lines = [
        "",
        f"## Newsroom at {title}",
        "",
        f"Database: {phase['counts']['articles']:,} articles, "
        f"{phase['counts']['comments']:,} comments before the load.",
        "",
        "| Subject | req/s | p50 ms | p99 ms | errors | × Wagtail | % of nginx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, figures in phase["wrk"].items():
        label = LABELS[key]
        if figures["connections"] == 1:
            label += " (1 connection)"
        errors = figures["errors"] + (1 if figures["socket_errors"] else 0)
        lines.append(
            f"| {label} | {figures['rps']:,.0f} | {figures['p50_ms']:.2f} | "
            f"{figures['p99_ms']:.2f} | {errors} | {figures['rps'] / wagtail:.1f} | "
            f"{figures['rps'] / nginx:.0%} |"
        )
    stored = phase["comments_stored"]
    post = phase["wrk"]["comment_post"]
    posted = post["requests"] + post["warm_up_requests"]
    lines += [
        "",
        f"Comment posts: wrk had {posted:,} answers, warm-up included, and {stored:,} new "
        "comments were stored (a post still in flight when wrk stops is stored unanswered): "
        + ", ".join(f"{n:,} {status}" for status, n in phase["comments_stored_by_status"].items())
        + ".",
        "",
        "In process (through Django's WSGI handler as the anchors are timed, page cache off but",
        "for the page made again, median of 200; the desk through the test client, median of",
        "5):",
        "",
        "| Page | ms | SQL queries | bytes |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, figures in phase["inprocess"].items():
        if name == "moderation":
            for queue, desk in figures.items():
                lines.append(
                    f"| Moderation desk, {queue} queue, first page | {desk['median_ms']} | "
                    f"{desk['queries']} | {desk['bytes']:,} |"
                )
        else:
            lines.append(
                f"| {name} (`{figures['path']}`) | {figures['median_ms']} | "
                f"{figures['queries']} | {figures['bytes']:,} |"
            )
    lines += [
        "",
        "Memory per app server worker after the load, MiB (resident / proportional / own):",
        "",
    ]
    for server, workers in phase["memory"].items():
        shown = ", ".join(f"{w['rss']:.0f} / {w['pss']:.0f} / {w['own']:.0f}" for w in workers)
        lines.append(f"- {server} server, {len(workers)} workers: {shown}")
    return lines


def every_target(results):
    every = dict(targets(results))
    if "storm" in results:
        every.update(storm_targets(results["storm"], storm_memory_baseline(results)))
    return every


def shortfalls(results):
    """Say, from this run's figures, where the origin falls short of a target, and why."""
    every = every_target(results)
    missed = [target for target in every.values() if not target["met"]]
    if not missed:
        return []
    ours = results["small"]["inprocess"]
    wagtail = results["anchors"]["inprocess"]["wagtail"]
    profile = results["profiles"].get("article page, uncached", "")
    layers = next((line for line in profile.splitlines() if line.startswith("Own time")), "")
    lines = [
        "",
        "### Where a target is missed, and why",
        "",
        *(f"- {target['what']}: {target['figure']}, {target['short']}." for target in missed),
        "",
        "In process, through Django's WSGI handler as the anchors are timed, at 1,000 "
        f"articles: Wagtail's page takes {wagtail['render_ms_median']:.1f} ms with "
        f"{wagtail['queries_steady']} queries and {wagtail['html_bytes'] / 1024:.0f} KB; "
        + "; ".join(
            f"{name} {figures['median_ms']:.1f} ms with {figures['queries']} queries and "
            f"{figures['bytes'] / 1024:.0f} KB"
            for name, figures in ours.items()
            if name != "moderation"
        )
        + ".",
    ]
    if layers:
        lines += ["", f"The uncached article page's profile: {layers.rstrip('.')}."]
    tails = [key for key, target in every.items() if key.startswith("tail") and not target["met"]]
    granian = (results.get("appservers") or {}).get("granian, 2 processes × 2 threads")
    if tails and granian:
        hit = granian["cached"]
        lines += [
            "",
            f"The hit's tail: the same page from the same server, measured again in this run "
            f"beside the other app servers, had a p99 of {hit['p99_ms']:.2f} ms against a p50 "
            f"of {hit['p50_ms']:.2f} ({hit['p99_ms'] / hit['p50_ms']:.1f}×). On 2 cores shared "
            "by wrk, Redis and both workers, the p99 of a 1 ms answer moves with whatever else "
            "the machine does in those 10 seconds: a full garbage collection no longer runs "
            "under load (the workers freeze what they loaded), and what is left is waiting "
            "for a core.",
        ]
    if not every.get("storm_memory", {"met": True})["met"]:
        lines += ["", memory_shortfall(results)]
    return lines


def _mean_rss(workers):
    return sum(worker["rss"] for worker in workers) / len(workers)


def memory_shortfall(results):
    """Say where a worker's memory goes, from this run's side-by-side servers and storm."""
    storm = results["storm"]["memory"]
    after = max(worker["rss"] for worker in storm)
    sentence = (
        f"Worker memory: {after:.0f} MiB resident after the storm, of which "
        f"{max(worker['own'] for worker in storm):.0f} MiB the worker's own (the rest shared "
        f"with the other processes). The {STORM_MEMORY_MIB} MiB of 2026-11-25 was a gunicorn "
        "sync worker's."
    )
    servers = results.get("appservers") or {}
    sync = next((f for name, f in servers.items() if name.startswith("gunicorn sync")), None)
    granian = next((f for name, f in servers.items() if name.startswith("granian, 2")), None)
    if sync and granian:
        sentence += (
            f" After the same uncached load in this run, today's code takes "
            f"{_mean_rss(sync['memory']):.0f} MiB per gunicorn sync worker and "
            f"{_mean_rss(granian['memory']):.0f} MiB per granian worker (*App servers side by "
            "side*): the code itself stays within 1.2× of that figure, and the rest is the "
            "app server's (granian's runtime and its two threads, each with its own database "
            f"connection), the price of serving hits at {granian['cached']['rps']:,.0f} req/s "
            f"against gunicorn's {sync['cached']['rps']:,.0f}."
        )
    return sentence


def appservers(results):
    """The app servers side by side, if the run compared them."""
    found = results.get("appservers")
    if not found:
        return []
    lines = [
        "",
        "## App servers side by side",
        "",
        "The reference story at 1,000 articles, the same wrk settings; memory per worker after",
        "the uncached load, MiB resident.",
        "",
        "| Server | hit req/s | hit p50 ms | hit p99 ms | render req/s | render p99 ms | "
        "MiB per worker |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, figures in found.items():
        hit, render = figures["cached"], figures["uncached"]
        memory = ", ".join(f"{worker['rss']:.0f}" for worker in figures["memory"])
        lines.append(
            f"| {name} | {hit['rps']:,.0f} | {hit['p50_ms']:.2f} | {hit['p99_ms']:.2f} | "
            f"{render['rps']:,.0f} | {render['p99_ms']:.2f} | {memory} |"
        )
    return lines


if __name__ == "__main__":
    import json
    import sys
    from pathlib import Path

    # Write RESULTS.md again from a run's raw figures: python bench/report.py results.json
    results = json.loads(Path(sys.argv[1]).read_text())
    (Path(__file__).parent / "RESULTS.md").write_text(render(results))
