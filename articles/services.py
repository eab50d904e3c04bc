"""Writes that change what readers see; the admin's actions call these."""

from django.db import transaction
from django.utils import timezone

from .models import Article


@transaction.atomic
def articles_publish(*, articles):
    """Publish the given articles; return (published, already published) lists.

    An article without a publish time goes out now; one with a future time stays scheduled.
    """
    changed, unchanged = [], []
    for article in articles.select_for_update().order_by("pk"):
        if article.status == Article.Status.PUBLISHED:
            unchanged.append(article)
            continue
        article.status = Article.Status.PUBLISHED
        article.published_at = article.published_at or timezone.now()
        article.save(update_fields=["status", "published_at", "updated_at"])
        changed.append(article)
    return changed, unchanged


@transaction.atomic
def articles_unpublish(*, articles):
    """Take the given articles back to draft; return (unpublished, already draft) lists."""
    changed, unchanged = [], []
    for article in articles.select_for_update().order_by("pk"):
        if article.status == Article.Status.DRAFT:
            unchanged.append(article)
            continue
        article.status = Article.Status.DRAFT
        article.save(update_fields=["status", "updated_at"])
        changed.append(article)
    return changed, unchanged
