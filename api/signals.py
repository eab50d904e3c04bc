"""The change feed hears of every change to a story, however it is made (the admin, a
service, the shell, an ingest): articles sends the signals, and api listens, since articles
may not import api. Connected in ApiConfig.ready()."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from articles.models import Article, Correction, LiveEntry

from . import changes

# Saves that touch only these change nothing a partner shows.
BOOKKEEPING_FIELDS = {"comment_count", "updated_at"}


@receiver(post_save, sender=Article, dispatch_uid="api_article_saved")
def article_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and set(update_fields) <= BOOKKEEPING_FIELDS):
        return
    changes.record(instance)


@receiver(post_delete, sender=Article, dispatch_uid="api_article_deleted")
def article_deleted(sender, instance, **kwargs):
    changes.record_deleted(instance)


def _article_of(part):
    return Article.objects.select_related("section").filter(pk=part.article_id).first()


@receiver(post_save, sender=Correction, dispatch_uid="api_note_saved")
@receiver(post_save, sender=LiveEntry, dispatch_uid="api_entry_saved")
def part_saved(sender, instance, raw=False, **kwargs):
    if raw or (article := _article_of(instance)) is None:
        return
    if instance.published_at > timezone.now():
        changes.schedule(article)  # Readers see it later: so will partners.
    elif sender is Correction:
        changes.record(article, live_event=changes.Event.CORRECTED)
    else:
        changes.record(article)


@receiver(post_delete, sender=Correction, dispatch_uid="api_note_deleted")
@receiver(post_delete, sender=LiveEntry, dispatch_uid="api_entry_deleted")
def part_deleted(sender, instance, origin=None, **kwargs):
    # Deleted with its article: the article's own tombstone says it all (and a row written
    # for an article about to go would hold up its delete).
    if isinstance(origin, Article) or getattr(origin, "model", None) is Article:
        return
    if (article := _article_of(instance)) is not None:
        changes.record(article)
