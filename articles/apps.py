from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Publishing"

    def ready(self):
        from caching import schedule

        from . import front, signals  # noqa: F401  (signals connects the receivers)
        from .models import Article

        # A scheduled story comes due, an embargo ends, a licence expires, all with no save:
        # pages that show the story change then.
        schedule.register(Article.objects.next_change)
        # The breaking-news banner ends at its time, with no save: every page changes then.
        schedule.register(front.banner_change)
