import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo import fill
from demo.queued import run_queued_tasks


class Command(BaseCommand):
    help = (
        "Add many realistic generated articles and comments, fast, for load tests and "
        "benchmarks: fill_database --articles 100000 --comments 1000000. Adds to what is "
        "there; every run gets its own slug prefix."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1_000)
        parser.add_argument("--comments", type=int, default=10_000)
        parser.add_argument(
            "--seed", type=int, default=None, help="Repeat a run's content (default: random)."
        )
        parser.add_argument(
            "--images",
            type=int,
            default=20,
            help="Size of the pool of generated lead images the articles share (0 for none).",
        )
        parser.add_argument(
            "--years", type=float, default=3.0, help="How far back publish times go."
        )
        parser.add_argument(
            "--prefix", default=None, help="Slug prefix for this run (default: the next fillN)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though the database holds real articles and DEBUG is off.",
        )

    def handle(self, *args, **options):
        articles, comments = options["articles"], options["comments"]
        if articles < 0 or comments < 0 or options["images"] < 0:
            raise CommandError("Counts cannot be negative.")
        # Generated stories are published at once: keep them out of a live site's database.
        if not (settings.DEBUG or options["force"] or fill.is_generated_only()):
            raise CommandError(
                "This database holds articles that fill_database did not make, and DEBUG is "
                "off: it may be a live site. Pass --force if it is not."
            )
        seed = options["seed"] if options["seed"] is not None else random.randrange(1_000_000)
        prefix = options["prefix"] or fill.next_prefix()
        log = self.stdout.write if options["verbosity"] else lambda message: None
        log(
            f"Adding {articles:,} articles and {comments:,} comments to the "
            f"{connection.vendor} database {connection.settings_dict['NAME']}, with slugs "
            f"{prefix}-…, seed {seed}."
        )
        started = time.perf_counter()
        report = fill.fill(
            articles=articles,
            comments=comments,
            seed=seed,
            images=options["images"],
            years=options["years"],
            prefix=prefix,
            log=log,
        )
        run_queued_tasks()
        made = ", ".join(f"{n:,} {kind}" for kind, n in report.counts.items())
        log(self.style.SUCCESS(f"Added {made} in {time.perf_counter() - started:.1f} s."))
