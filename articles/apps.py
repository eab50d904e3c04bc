from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Publishing"

    def ready(self):
        from . import invalidation, search

        invalidation.connect()
        from .models import Article, TaggedArticle, Topic

        post_save.connect(search.on_article_saved, sender=Article, dispatch_uid="search_article")
        post_delete.connect(
            search.on_article_deleted, sender=Article, dispatch_uid="search_article_delete"
        )
        post_save.connect(
            search.on_tagging_changed, sender=TaggedArticle, dispatch_uid="search_tag"
        )
        post_delete.connect(
            search.on_tagging_changed, sender=TaggedArticle, dispatch_uid="search_untag"
        )
        post_save.connect(search.on_topic_saved, sender=Topic, dispatch_uid="search_topic")
        post_save.connect(_recount_topic, sender=TaggedArticle, dispatch_uid="topic_count_add")
        post_delete.connect(_recount_topic, sender=TaggedArticle, dispatch_uid="topic_count_drop")


def _recount_topic(sender, instance, **kwargs):
    # A recount rather than +1/-1: it cannot drift, and one topic's count is one index range.
    from .models import Topic

    Topic.recount([instance.tag_id])
