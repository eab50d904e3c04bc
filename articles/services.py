"""Writes that change what readers see; the admin's form and actions call these."""

from django.db import transaction
from django.utils import timezone

from . import review
from .models import Article, ArticleRedirect
from .revisions import record_revision
from .workflow import State

NOTES = {
    State.DRAFT: "Back to draft",
    State.REVIEW: "Submitted for review",
    State.PUBLISHED: "Published",
    State.UNPUBLISHED: "Unpublished",
    State.WITHDRAWN: "Withdrawn",
}


@transaction.atomic
def article_save(*, article, user, before=None, before_url=None, save_rows=None):
    """Save an article as an editor changed it, with everything a save brings.

    ``before`` holds the article's status and publish time as the editor opened it, and
    ``before_url`` its address then (both None for a new article); ``save_rows`` saves what
    hangs on the article (topics, bylines, related links, notes) once it has its id. In
    order: the state change is stamped on the article, the article and its rows are saved, a
    revision is kept, a live story that moved leaves a redirect at its old address, and a
    story just submitted for review is news for the Editors (review.py).
    """
    before_status = before.status if before else None
    _stamp_move(article=article, before_status=before_status, user=user)
    article.save()
    if save_rows:
        save_rows()
    article_saved(
        article=article,
        user=user,
        note=_note(article=article, before_status=before_status),
        before_url=before_url,
        was_live=bool(before and before.is_published()),
    )
    if _submitted(article=article, before_status=before_status) and user is not None:
        # A person asked for a review, a writer or an editor wanting a colleague's second
        # look: the Editors hear of it (not the one who asked). Agency copy from the API
        # (no user) comes by the dozen, and waits on the admin's home page instead.
        review.review_requested(article=article, submitter=user)


def _submitted(*, article, before_status):
    # Only the move into review: saving a story that stays in review asks for nothing new.
    return article.status == State.REVIEW and before_status != State.REVIEW


def _stamp_move(*, article, before_status, user):
    """Stamp what a change of state records on the article itself, before it is saved."""
    if _submitted(article=article, before_status=before_status):
        article.submitted_at = timezone.now()
        article.submitted_by = user if user and user.is_authenticated else None
    if article.status == State.WITHDRAWN and before_status != State.WITHDRAWN:
        article.withdrawn_at = timezone.now()
        article.withdrawn_by = user
    elif article.status != State.WITHDRAWN:
        article.withdrawn_at = None
        article.withdrawn_by = None


def _note(*, article, before_status):
    """Return what the revision of this save is called in the article's history."""
    if before_status is None:
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


class NotEmbargoed(Exception):
    """The article is not (or no longer) under embargo."""


@transaction.atomic
def article_lift_embargo(*, article, user, reason):
    """End the article's embargo now, keeping who did it, when and why; return the article."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if not locked.is_embargoed():
        raise NotEmbargoed
    until = locked.embargo_until
    locked.embargo_until = None
    locked.embargo_lifted_at = timezone.now()
    locked.embargo_lifted_by = user
    locked.embargo_lift_reason = reason
    locked.save(
        update_fields=[
            "embargo_until",
            "embargo_lifted_at",
            "embargo_lifted_by",
            "embargo_lift_reason",
            "updated_at",
        ]
    )
    ran_until = timezone.localtime(until).strftime("%Y-%m-%d %H:%M")
    note = f"Embargo lifted early (it ran until {ran_until}): {reason}"
    record_revision(article=locked, user=user, note=note[:200])
    return locked


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
