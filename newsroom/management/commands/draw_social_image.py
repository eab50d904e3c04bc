from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from newsroom import social_image


class Command(BaseCommand):
    help = (
        "Draw the default social image (1200×630 PNG) with the site's name, for stories "
        "without a lead image. Point NEWSROOM_DEFAULT_SOCIAL_IMAGE at the file it writes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            nargs="?",
            default=str(settings.BASE_DIR / "static" / "img" / "social-default.png"),
            help="Where to write the PNG (default: static/img/social-default.png).",
        )
        parser.add_argument(
            "--name", default=settings.NEWSROOM_SITE_NAME, help="The name drawn on it."
        )

    def handle(self, *args, output, name, **options):
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        social_image.draw(name).save(path, format="PNG", optimize=True)
        self.stdout.write(f"Drew {path} ({social_image.SIZE[0]}×{social_image.SIZE[1]}).")
