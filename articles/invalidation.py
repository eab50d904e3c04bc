"""What each change drops from the page caches (see page_cache.py for how).

Lists (front page, sections, topics, authors, feeds, sitemaps, search, corrections) are tagged
by what they list; an article page by the article and by the related articles it shows.
"""

from django.db.models.signals import post_delete, post_save, pre_save

from .page_cache import invalidate

# Pages that list articles whatever their section or topic.
EVERY_LIST = ("front", "feeds", "sitemaps", "search", "corrections")


def article_tags(article):
    return {f"article-{article.pk}", f"section-{article.section_id}", *EVERY_LIST}


def remember_old_section(sender, instance, **kwargs):
    # A story moved to another section leaves the old section's page too.
    if instance.pk and not kwargs.get("raw"):
        instance._section_before = (
            sender.objects.filter(pk=instance.pk).values_list("section_id", flat=True).first()
        )


def article_changed(sender, instance, **kwargs):
    tags = article_tags(instance)
    if before := getattr(instance, "_section_before", None):
        tags.add(f"section-{before}")
    # Its topics' and authors' pages list it too; their rows may not have changed.
    tags |= {f"topic-{pk}" for pk in instance.topics.values_list("pk", flat=True)}
    tags |= {f"author-{pk}" for pk in instance.bylines.values_list("author_id", flat=True)}
    invalidate(*tags)


def tagging_changed(sender, instance, **kwargs):
    invalidate(f"topic-{instance.tag_id}", f"article-{instance.content_object_id}", *EVERY_LIST)


def byline_changed(sender, instance, **kwargs):
    invalidate(f"author-{instance.author_id}", f"article-{instance.article_id}", *EVERY_LIST)


def note_changed(sender, instance, **kwargs):
    invalidate(f"article-{instance.article_id}", "corrections", "feeds", "sitemaps")


def related_link_changed(sender, instance, **kwargs):
    invalidate(f"article-{instance.article_id}")


def section_changed(sender, instance, **kwargs):
    # Sections are the navigation on every page.
    invalidate("site", f"section-{instance.pk}")


def topic_changed(sender, instance, **kwargs):
    invalidate(f"topic-{instance.pk}", *EVERY_LIST)


def author_changed(sender, instance, **kwargs):
    invalidate(f"author-{instance.pk}", *EVERY_LIST)


def image_changed(sender, instance, **kwargs):
    # New renditions mean new addresses on every page showing the picture.
    articles = list(instance.lead_of_articles.values_list("pk", "section_id"))
    if articles:
        invalidate(
            *(f"article-{pk}" for pk, _ in articles),
            *(f"section-{section}" for _, section in articles),
            *EVERY_LIST,
        )


def connect():
    from images.models import Image

    from .models import (
        Article,
        Author,
        Byline,
        Correction,
        RelatedLink,
        Section,
        TaggedArticle,
        Topic,
    )

    pre_save.connect(remember_old_section, sender=Article, dispatch_uid="cache_article_pre")
    for signal, name in ((post_save, "save"), (post_delete, "delete")):
        for model, receiver in (
            (Article, article_changed),
            (TaggedArticle, tagging_changed),
            (Byline, byline_changed),
            (Correction, note_changed),
            (RelatedLink, related_link_changed),
            (Section, section_changed),
            (Topic, topic_changed),
            (Author, author_changed),
            (Image, image_changed),
        ):
            signal.connect(receiver, sender=model, dispatch_uid=f"cache_{model.__name__}_{name}")
