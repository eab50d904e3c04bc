from django.apps import AppConfig
from django.db.models.signals import post_delete


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "Image library"

    def ready(self):
        from . import cleanup
        from .models import Image, Rendition

        # Signals rather than delete(): the admin's bulk delete and cascades skip delete().
        post_delete.connect(cleanup.on_image_deleted, sender=Image, dispatch_uid="image_files")
        post_delete.connect(
            cleanup.on_rendition_deleted, sender=Rendition, dispatch_uid="rendition_file"
        )
