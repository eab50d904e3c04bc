"""Files leave storage with the rows that held them, however the rows went.

Signals rather than delete(): the admin's bulk delete and cascades skip delete().
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from .cleanup import delete_file_on_commit
from .models import Image, Rendition


@receiver(post_delete, sender=Image, dispatch_uid="images_image_file")
@receiver(post_delete, sender=Rendition, dispatch_uid="images_rendition_file")
def delete_file(sender, instance, using, **kwargs):
    delete_file_on_commit(instance.file.storage, instance.file.name, using)
