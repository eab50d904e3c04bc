from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.page_cache import invalidate

from .models import Comment
from .services import article_refresh_comment_count


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def keep_article_comment_count(sender, instance, **kwargs):
    # Whatever saved or deleted the comment (a form, the admin, the shell), the article's count
    # of approved comments is recounted from the table, so it cannot drift.
    article_refresh_comment_count(article_ids=[instance.article_id])


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def drop_cached_article_page(sender, instance, created=False, update_fields=None, **kwargs):
    # Readers see approved comments only: a new comment held for moderation changes no one
    # else's page, a decision (approve, reject, spam, undo) or an edit of a public one does.
    decided = update_fields is not None and "status" in update_fields
    if decided or instance.status == Comment.Status.APPROVED:
        invalidate(f"article-{instance.article_id}")
