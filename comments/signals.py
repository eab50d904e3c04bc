from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Comment
from .services import article_refresh_comment_count


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def keep_article_comment_count(sender, instance, **kwargs):
    # Whatever saved or deleted the comment (a form, the admin, the shell), the article's count
    # of approved comments is recounted from the table, so it cannot drift.
    article_refresh_comment_count(article_ids=[instance.article_id])
