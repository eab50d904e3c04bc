from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Publishing"

    def ready(self):
        from caching import schedule

        from . import front, live, signals  # noqa: F401  (signals connects the receivers)
        from .models import Article

        # A scheduled story comes due, an embargo ends, a licence expires, all with no save:
        # pages that show the story change then.
        schedule.register(Article.objects.next_change)
        # An entry written ahead of time appears on its coverage's page and updates then.
        schedule.register(live.next_entry_due)
        # The breaking-news banner ends at its time, with no save: every page changes then.
        schedule.register(front.banner_change)
