from django.core.management.base import BaseCommand

from articles import demo_content
from comments import demo_content as comments_demo_content


class Command(BaseCommand):
    help = (
        "Load the demo sections, authors, articles and reader comments from seeds/. Safe to run "
        "again: anything already present is left exactly as it is."
    )

    def handle(self, *args, **options):
        report = demo_content.load()
        comments_demo_content.load(report)
        self.stdout.write(self.style.SUCCESS(str(report)))
