from django.core.management.base import BaseCommand

from demo import seed
from demo.queued import run_queued_tasks


class Command(BaseCommand):
    help = (
        "Load the demo sections, authors, articles and reader comments from seeds/. Safe to run "
        "again: anything already present is left exactly as it is."
    )

    def handle(self, *args, **options):
        report = seed.load()
        run_queued_tasks()
        self.stdout.write(self.style.SUCCESS(str(report)))
