from django.core.management.base import BaseCommand

from demo import seed


class Command(BaseCommand):
    help = (
        "Load the demo sections, authors, articles and reader comments from seeds/. Safe to run "
        "again: anything already present is left exactly as it is."
    )

    def handle(self, *args, **options):
        report = seed.load()
        self.stdout.write(self.style.SUCCESS(str(report)))
