from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Publishing"

    def ready(self):
        from caching import schedule

        from . import signals  # noqa: F401  (connects the receivers)
        from .models import Article

        # A scheduled story comes due with no save: pages that list it change then.
        schedule.register(Article.objects.next_publication)
