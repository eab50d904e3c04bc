from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Reader comments"

    def ready(self):
        from . import digest_schedule, signals  # noqa: F401

        post_migrate.connect(
            digest_schedule.start_after_migrate, sender=self, dispatch_uid="comments_digest"
        )
