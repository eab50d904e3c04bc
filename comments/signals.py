"""What happens around comments whenever they change, however they change (a form, the desk,
the admin, the shell): the article's count of approved comments is recounted, the cached
thread (and the pages showing it) dropped when readers would see the difference, and a reply
that readers can now see is news for the author of the comment it answers. A new version of
the comment policy decides the next comment, and drops the pages whose comment form it opens
or closes.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles import cache_keys
from caching.invalidation import invalidate
from caching.pages import EVERY_PAGE

from . import policy_store, replies
from .models import Comment, PolicyVersion
from .services import article_refresh_comment_count

BOTH = (post_save, post_delete)


@receiver(BOTH, sender=Comment, dispatch_uid="comments_article_count")
def keep_article_comment_count(sender, instance, **kwargs):
    # Recounted from the table, so the count cannot drift.
    article_refresh_comment_count(article_ids=[instance.article_id])


@receiver(BOTH, sender=Comment, dispatch_uid="comments_article_page")
def drop_cached_article_page(sender, instance, update_fields=None, **kwargs):
    # Readers see approved comments only: a new comment held for moderation changes no one
    # else's page, a decision (approve, reject, spam, undo) or an edit of a public one does.
    decided = update_fields is not None and "status" in update_fields
    if decided or instance.status == Comment.Status.APPROVED:
        invalidate(cache_keys.comments(instance.article_id))


@receiver(post_save, sender=Comment, dispatch_uid="comments_reply_notice")
def tell_the_author_of_a_reply(sender, instance, created, update_fields=None, **kwargs):
    # A reply is news for the author of the comment it answers once readers can see it: when
    # it is stored approved (a trusted reader, the newsroom), or approved later.
    became_visible = created or (update_fields is not None and "status" in update_fields)
    if instance.parent_id and became_visible and instance.status == Comment.Status.APPROVED:
        replies.reply_approved(instance)


@receiver(post_save, sender=PolicyVersion, dispatch_uid="comments_policy_in_force")
def put_the_new_policy_in_force(sender, instance, **kwargs):
    policy_store.forget_current_policy()
    # Readers see only one value of the policy: whether an article's comments are still open.
    before = policy_store.values_before(instance)
    if before.close_after_days != instance.close_after_days:
        invalidate(EVERY_PAGE, cache_keys.COMMENT_POLICY)
