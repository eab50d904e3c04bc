"""bench/RESULTS.md from one run's figures (used by run.py)."""

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


def render(results):
    anchors = results["anchors"]
    machine = results["machine"]
    knobs = results["knobs"]
    big_articles, big_comments = results["big_size"]
    lines = [
        "# Benchmarks",
        "",
        f"Made by `.venv/bin/python {results['command']}` on {results['started']}, in "
        f"{results['minutes']} minutes; every figure below comes from that one run. The anchors",
        "are `../shared/bench-anchors/run_all.sh`, run first by the same command with the same",
        f"wrk settings: `wrk -t1 -c{knobs['CONNS']} -d{knobs['DUR']} --latency`, "
        f"{knobs['REPS']} interleaved repetitions,",
        "medians shown. Ratios matter more than absolute figures, which drift between runs.",
        "",
        f"Machine: {machine['cores']} cores, Linux {machine['kernel']}, Python "
        f"{machine['python']}, Django {machine['django']}, gunicorn {machine['gunicorn']}, "
        f"PostgreSQL {machine['postgres']}, {machine['varnish']}.",
        "",
        "Newsroom runs as in production: `DJANGO_DEBUG=0`, PostgreSQL, Redis, gunicorn with",
        "`deploy/gunicorn.conf.py` (gthread workers, cores + 1 processes, 2 threads each),",
        "Varnish with `deploy/varnish/newsroom.vcl`. The anchors run gunicorn's sync workers (2",
        "processes) on SQLite. The page measured is the demo's reference story: about 900 words,",
        "lead image, 6 topics, 4 editors' picks, comments; the typical story is a generated one",
        "without picks.",
        "",
        "## Targets",
        "",
        "| Target | Figure | Met? |",
        "| --- | --- | --- |",
    ]
    for target in targets(results).values():
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
        "Memory per gunicorn worker after the load, MiB (resident / proportional / own):",
        "",
    ]
    for server, workers in phase["memory"].items():
        shown = ", ".join(f"{w['rss']:.0f} / {w['pss']:.0f} / {w['own']:.0f}" for w in workers)
        lines.append(f"- {server} server, {len(workers)} workers: {shown}")
    return lines


def shortfalls(results):
    """Say, from this run's figures, where the origin falls short of a target, and why."""
    missed = [target for target in targets(results).values() if not target["met"]]
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
    return lines


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
