from django.core.management.base import BaseCommand

from images import renditions
from images.models import Image


class Command(BaseCommand):
    help = (
        "Make the renditions that library images lack: after a migration brings in images, "
        "or when the sizes in images/renditions.py change. Existing renditions are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Only these images (by id).")

    def handle(self, *args, ids, **options):
        images = Image.objects.with_renditions().order_by("pk")
        if ids:
            images = images.filter(pk__in=ids)
        made = touched = 0
        for image in images.iterator(chunk_size=100):
            count = renditions.make_missing(image)
            made += count
            touched += bool(count)
        images_word = "image" if touched == 1 else "images"
        self.stdout.write(f"Made {made} renditions for {touched} {images_word}.")
