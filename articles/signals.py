"""What happens around the articles app's rows whenever they change, however they change (the
admin, a service, the shell): the search index follows, topics keep their counts, and the
cached pages that show the change are dropped.

Lists (front page, sections, topics, authors, feeds, sitemaps, search, corrections) carry the
keys of what they list; an article page carries its own and those of its related cards.
"""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from caching.invalidation import invalidate
from caching.pages import EVERY_PAGE, MISSING
from images.models import Image

from . import cache_keys, search
from .models import (
    Article,
    Author,
    Byline,
    Correction,
    FrontPage,
    LiveEntry,
    RelatedLink,
    Section,
    SectionPin,
    TaggedArticle,
    Topic,
    TopStory,
)

BOTH = (post_save, post_delete)


@receiver(pre_save, sender=Article, dispatch_uid="articles_remember_section")
def remember_old_section(sender, instance, raw=False, **kwargs):
    # A story moved to another section leaves the old section's page too.
    if instance.pk and not raw:
        instance._section_before = (
            sender.objects.filter(pk=instance.pk).values_list("section_id", flat=True).first()
        )


@receiver(post_save, sender=Article, dispatch_uid="articles_index_article")
def index_saved_article(sender, instance, update_fields=None, **kwargs):
    # Saves that only touch counters (comment_count) leave the indexed text alone.
    if update_fields is None or search.INDEXED_FIELDS & set(update_fields):
        search.index_article(instance)


@receiver(post_delete, sender=Article, dispatch_uid="articles_unindex_article")
def unindex_deleted_article(sender, instance, **kwargs):
    search.unindex_article(instance.pk)


@receiver(BOTH, sender=Article, dispatch_uid="articles_article_pages")
def article_changed(sender, instance, **kwargs):
    keys = {cache_keys.article(instance.pk), cache_keys.section(instance.section_id)}
    if before := getattr(instance, "_section_before", None):
        keys.add(cache_keys.section(before))
    # Its topics' and authors' pages list it too; their rows may not have changed.
    keys |= {cache_keys.topic(pk) for pk in instance.topics.values_list("pk", flat=True)}
    keys |= {cache_keys.author(pk) for pk in instance.bylines.values_list("author_id", flat=True)}
    # A story published, moved or given a new page of listings: addresses that were "not
    # found" may be found now.
    invalidate(*keys, *cache_keys.EVERY_LIST, MISSING)


@receiver(BOTH, sender=TaggedArticle, dispatch_uid="articles_tagging")
def tagging_changed(sender, instance, **kwargs):
    search.index_article_by_id(instance.content_object_id)
    # A recount rather than +1/-1: it cannot drift, and one topic's count is one index range.
    Topic.recount([instance.tag_id])
    invalidate(
        cache_keys.topic(instance.tag_id),
        cache_keys.article(instance.content_object_id),
        *cache_keys.EVERY_LIST,
    )


@receiver(post_save, sender=Topic, dispatch_uid="articles_reindex_topic")
def reindex_renamed_topic(sender, instance, created, **kwargs):
    if not created:
        for article in Article.objects.filter(topics=instance):
            search.index_article(article)


@receiver(BOTH, sender=Topic, dispatch_uid="articles_topic_pages")
def topic_changed(sender, instance, **kwargs):
    invalidate(cache_keys.topic(instance.pk), *cache_keys.EVERY_LIST, MISSING)


@receiver(BOTH, sender=Byline, dispatch_uid="articles_byline_pages")
def byline_changed(sender, instance, **kwargs):
    invalidate(
        cache_keys.author(instance.author_id),
        cache_keys.article(instance.article_id),
        *cache_keys.EVERY_LIST,
    )


@receiver(BOTH, sender=Correction, dispatch_uid="articles_note_pages")
def note_changed(sender, instance, **kwargs):
    invalidate(
        cache_keys.article(instance.article_id),
        cache_keys.CORRECTIONS,
        cache_keys.FEEDS,
        cache_keys.SITEMAPS,
    )


@receiver(BOTH, sender=RelatedLink, dispatch_uid="articles_related_link_pages")
def related_link_changed(sender, instance, **kwargs):
    invalidate(cache_keys.article(instance.article_id))


@receiver(BOTH, sender=Section, dispatch_uid="articles_section_pages")
def section_changed(sender, instance, **kwargs):
    # Sections are the navigation on every page.
    invalidate(EVERY_PAGE, cache_keys.section(instance.pk), MISSING)


@receiver(BOTH, sender=Author, dispatch_uid="articles_author_pages")
def author_changed(sender, instance, **kwargs):
    invalidate(cache_keys.author(instance.pk), *cache_keys.EVERY_LIST, MISSING)


@receiver(BOTH, sender=Image, dispatch_uid="articles_lead_image_pages")
def lead_image_changed(sender, instance, **kwargs):
    # New renditions mean new addresses on every page showing the picture.
    articles = list(instance.lead_of_articles.values_list("pk", "section_id"))
    if articles:
        invalidate(
            *(cache_keys.article(pk) for pk, _ in articles),
            *(cache_keys.section(section_id) for _, section_id in articles),
            *cache_keys.EVERY_LIST,
        )


# The front page

BANNER_FIELDS = ("banner_text", "banner_article_id", "banner_ends_at")


def _banner(front_page):
    return tuple(getattr(front_page, name) for name in BANNER_FIELDS)


@receiver(pre_save, sender=FrontPage, dispatch_uid="articles_remember_banner")
def remember_old_banner(sender, instance, raw=False, **kwargs):
    if not raw:
        instance._banner_before = (
            sender.objects.filter(pk=instance.pk).values_list(*BANNER_FIELDS).first()
        )


@receiver(BOTH, sender=FrontPage, dispatch_uid="articles_front_page_pages")
def front_page_changed(sender, instance, **kwargs):
    keys = {cache_keys.FRONT}
    if getattr(instance, "_banner_before", None) != _banner(instance):
        # The banner is on every page.
        keys.add(EVERY_PAGE)
    invalidate(*keys)


@receiver(BOTH, sender=TopStory, dispatch_uid="articles_top_story_pages")
def top_story_changed(sender, instance, **kwargs):
    invalidate(cache_keys.FRONT)


@receiver(pre_save, sender=SectionPin, dispatch_uid="articles_remember_pin_section")
def remember_old_pin_section(sender, instance, raw=False, **kwargs):
    if instance.pk and not raw:
        instance._section_before = (
            sender.objects.filter(pk=instance.pk).values_list("section_id", flat=True).first()
        )


@receiver(BOTH, sender=SectionPin, dispatch_uid="articles_section_pin_pages")
def section_pin_changed(sender, instance, **kwargs):
    keys = {cache_keys.FRONT, cache_keys.section(instance.section_id)}
    if before := getattr(instance, "_section_before", None):
        keys.add(cache_keys.section(before))
    invalidate(*keys)


# Before a delete: the delete empties the banner's link without a signal.
@receiver((post_save, pre_delete), sender=Article, dispatch_uid="articles_banner_story_pages")
def banner_story_changed(sender, instance, **kwargs):
    # The banner shows only while its story is public: every page changes with the story.
    if FrontPage.objects.filter(banner_article=instance.pk).exclude(banner_text="").exists():
        invalidate(EVERY_PAGE)


# Live coverage


@receiver(BOTH, sender=LiveEntry, dispatch_uid="articles_live_entry_pages")
def live_entry_changed(sender, instance, raw=False, **kwargs):
    # The story's page and its updates address carry the key of its entries; no list shows
    # an entry (a card's "Live" label is the story's own), so no list is dropped.
    if not raw:
        invalidate(cache_keys.live(instance.article_id))
