"""What stories are filed under: sections, authors, and the topics they are tagged with."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from taggit.models import ItemBase, TagBase

from ..validators import validate_section_slug


class SectionQuerySet(models.QuerySet):
    def in_navigation(self):
        return self.order_by("position", "name")


class Section(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        validators=[validate_section_slug],
        help_text="The section page's address: /slug/.",
    )
    description = models.TextField(
        max_length=500, blank=True, help_text="A sentence or two shown on the section page."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the site's navigation: lower numbers come first."
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class Author(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    role = models.CharField(
        max_length=120, blank=True, help_text="Shown with the name, e.g. “Moscow correspondent”."
    )
    bio = models.TextField(max_length=600, blank=True, help_text="A short biography.")
    photo = models.ImageField(
        upload_to="authors/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text="The staff account this author writes with, if any.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class Topic(TagBase):
    """A subject that articles are tagged with; its page lists them."""

    description = models.TextField(max_length=500, blank=True)
    # How many stories carry the topic, drafts included: the related block weighs shared
    # topics by it. Kept by recount() whenever a story gains or loses the topic.
    article_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "topic"
        verbose_name_plural = "topics"

    def get_absolute_url(self):
        return reverse("articles:topic", kwargs={"slug": self.slug})

    @classmethod
    def recount(cls, pks=None):
        """Set article_count from the taggings, for these topics or for all of them."""
        counted = (
            TaggedArticle.objects.filter(tag=models.OuterRef("pk"))
            .order_by()
            .values("tag")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        topics = cls.objects.all() if pks is None else cls.objects.filter(pk__in=pks)
        topics.update(article_count=Coalesce(models.Subquery(counted), 0))


class TaggedArticle(ItemBase):
    tag = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_topic")
        ]
        # The related block walks each topic's newest stories (highest ids first).
        indexes = [models.Index(fields=["tag", "-content_object"], name="tagging_newest_idx")]

    def __str__(self):
        return f"{self.content_object} — {self.tag}"
