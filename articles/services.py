"""Writes that change what readers see; the admin's form and actions call these."""

from django.db import transaction
from django.utils import timezone

from .models import ArticleRedirect
from .revisions import record_revision
from .workflow import State

NOTES = {
    State.DRAFT: "Back to draft",
    State.REVIEW: "Submitted for review",
    State.PUBLISHED: "Published",
    State.UNPUBLISHED: "Unpublished",
    State.WITHDRAWN: "Withdrawn",
}


def article_prepare_move(*, article, before_status, user):
    """Stamp what a change of state records on the article itself, before it is saved."""
    if article.status == State.WITHDRAWN and before_status != State.WITHDRAWN:
        article.withdrawn_at = timezone.now()
        article.withdrawn_by = user
    elif article.status != State.WITHDRAWN:
        article.withdrawn_at = None
        article.withdrawn_by = None


def save_note(*, article, before_status, created):
    if created:
        return "Created"
    if article.status != before_status:
        if article.status == State.PUBLISHED and article.is_scheduled():
            return "Scheduled"
        return NOTES[article.status]
    return "Edited"


@transaction.atomic
def article_saved(*, article, user, note, before_url=None, was_live=False):
    """Finish a save: keep a revision, and leave the old address of a live story pointing at it."""
    record_revision(article=article, user=user, note=note)
    new_url = article.get_absolute_url()
    # The new address may be one the article had before; a redirect there would loop.
    ArticleRedirect.objects.filter(old_path=new_url).delete()
    if was_live and before_url and before_url != new_url:
        ArticleRedirect.objects.update_or_create(old_path=before_url, defaults={"article": article})


@transaction.atomic
def articles_publish(*, articles, user=None):
    """Publish the given articles; return (published, left as they were) lists.

    An article without a publish time goes out now; one with a future time stays scheduled.
    Withdrawn articles are left alone: putting one back is a decision made on its own page.
    """
    changed, unchanged = [], []
    for article in articles.select_for_update().order_by("pk"):
        if article.status in (State.PUBLISHED, State.WITHDRAWN):
            unchanged.append(article)
            continue
        article.status = State.PUBLISHED
        article.stamp_publish_time()
        article.save(update_fields=["status", "published_at", "updated_at"])
        article_saved(
            article=article,
            user=user,
            note="Scheduled" if article.is_scheduled() else "Published",
        )
        changed.append(article)
    return changed, unchanged


@transaction.atomic
def articles_unpublish(*, articles, user=None):
    """Take the given published articles off the site; return (unpublished, left) lists."""
    changed, unchanged = [], []
    for article in articles.select_for_update().order_by("pk"):
        if article.status != State.PUBLISHED:
            unchanged.append(article)
            continue
        article.status = State.UNPUBLISHED
        article.save(update_fields=["status", "updated_at"])
        article_saved(article=article, user=user, note="Unpublished")
        changed.append(article)
    return changed, unchanged
