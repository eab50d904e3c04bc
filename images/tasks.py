"""Rendition work runs as a task, so a slow resize never holds up the editor's request."""

from functools import partial

from django.db import transaction
from django.tasks import task

from . import renditions
from .cleanup import delete_file_on_commit
from .models import Image


@task
def make_renditions(image_id):
    """Make the image's missing renditions; return how many were made."""
    image = Image.objects.filter(pk=image_id).with_renditions().first()
    if image is None:
        # Deleted before a worker got to it.
        return 0
    return renditions.make_missing(image)


def refresh_renditions(image, *, before):
    """Drop the renditions a change made stale, and queue the task that makes the rest.

    ``before`` is (file name, focal_x, focal_y) as last saved, or None for a new image.
    """
    if before is not None:
        old_name, *old_focal = before
        if old_name != image.file.name:
            image.renditions.all().delete()
            delete_file_on_commit(image.file.storage, old_name)
        elif old_focal != [image.focal_x, image.focal_y]:
            # Only the crops depend on the focal point; "w…" keep the whole picture.
            image.renditions.exclude(spec__regex=r"^w\d+$").delete()
        # Pages stop pointing at what was dropped; the task adds the new ones.
        image.refresh_rendition_index()
    getattr(image, "_prefetched_objects_cache", {}).pop("renditions", None)
    # After commit, so a worker never looks for an image the database does not show yet.
    transaction.on_commit(partial(make_renditions.enqueue, image.pk))
