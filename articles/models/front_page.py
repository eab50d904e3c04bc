"""The curated front page: the editors' lead, their top stories, the stories pinned to the top
of each section, and the breaking-news banner.

Every slot points at an article and shows it only while readers may see it: a story withdrawn,
unpublished, embargoed or expired drops out of its slot by itself, with nothing to tidy up.
What the slots leave empty fills in by recency.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from newsroom.fields import staff_member

from .stories import Article
from .taxonomy import Section


class FrontPage(models.Model):
    """The one front page of the site (a single row, made by the first save)."""

    lead = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="lead story",
        help_text="The story at the top of the site; empty for the newest story.",
    )
    banner_text = models.CharField(
        "breaking-news banner",
        max_length=160,
        blank=True,
        help_text="A short line shown at the top of every page while it is on; empty for none.",
    )
    banner_article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="banner links to",
        help_text="The story the banner leads to.",
    )
    banner_ends_at = models.DateTimeField(
        "banner ends",
        null=True,
        blank=True,
        help_text="When the banner goes by itself; empty to keep it until it is cleared.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = staff_member(editable=False)

    class Meta:
        verbose_name = "front page"
        verbose_name_plural = "front page"

    def __str__(self):
        return "Front page"

    @classmethod
    def current(cls):
        """Return the front page's row, made empty if there is none yet."""
        front, _ = cls.objects.get_or_create(pk=1)
        return front

    def clean(self):
        if self.banner_text.strip() and self.banner_article is None:
            raise ValidationError({"banner_article": "Choose the story the banner leads to."})

    def banner_is_on(self, *, now=None):
        """Return True if the banner shows now: it has words, and its end has not come."""
        now = now or timezone.now()
        return bool(self.banner_text.strip()) and (
            self.banner_ends_at is None or self.banner_ends_at > now
        )


class TopStory(models.Model):
    """A story the editors put at the top of the site, under the lead, in their order."""

    front_page = models.ForeignKey(FrontPage, on_delete=models.CASCADE, related_name="top_stories")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "top story"
        verbose_name_plural = "top stories (under the lead, in this order)"
        constraints = [
            models.UniqueConstraint(
                fields=["front_page", "article"], name="unique_top_story_article"
            )
        ]

    def __str__(self):
        return str(self.article)


class SectionPin(models.Model):
    """A story pinned to the top of its section: first in the section's block on the front page,
    and first on the section's own page."""

    front_page = models.ForeignKey(FrontPage, on_delete=models.CASCADE, related_name="pins")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="pins")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section", "position", "pk"]
        verbose_name = "pinned story"
        verbose_name_plural = "stories pinned to the top of their section"
        constraints = [
            models.UniqueConstraint(fields=["section", "article"], name="unique_section_pin")
        ]

    def __str__(self):
        return f"{self.section}: {self.article}"

    def clean(self):
        if self.article_id and self.section_id and self.article.section_id != self.section_id:
            raise ValidationError(
                {"article": "A story can only be pinned to the top of its own section."}
            )
