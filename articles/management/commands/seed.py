from django.core.management.base import BaseCommand

from articles import demo_content


class Command(BaseCommand):
    help = (
        "Load the demo sections, authors and articles from seeds/. Safe to run again: anything "
        "already present (by slug) is left exactly as it is."
    )

    def handle(self, *args, **options):
        report = demo_content.load()
        self.stdout.write(self.style.SUCCESS(str(report)))
