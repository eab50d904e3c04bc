"""Articles and what hangs on them: bylines, related links, revisions, corrections and the
addresses they used to live at.

Longer than the other modules on purpose: the Article model and its QuerySet (the one place
that says what "published now", "scheduled", "embargoed" and "expired" mean) read best side by
side, and the small models that hang on an article are kept with it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from newsroom.fetch_modes import reader_fetch_mode
from newsroom.fields import staff_member
from richtext.editor import BODY_EDITOR_EXTENSIONS
from richtext.plain import plain_text
from richtext.sanitize import sanitize_body

from .taxonomy import Author, Section, TaggedArticle, Topic

EXCERPT_LENGTH = 100
# How long after publication a change must come to be shown as "Updated".
UPDATE_SHOWN_AFTER = datetime.timedelta(minutes=1)


class CommentModeration(models.TextChoices):
    SITE = "site", "As the site is set (COMMENTS_PREMODERATE)"
    PRE = "pre", "Hold every comment for a moderator"
    POST = "post", "Publish at once unless a rule holds the comment"


def pk_in_any(picks):
    """Return a filter for rows whose primary key one of these one-column queries selects.

    Each pick may be sliced (a short index walk). PostgreSQL takes them as one UNION ALL
    joined back by primary key: ORed subqueries would make it scan the whole table.
    SQLite cannot LIMIT inside a UNION, and handles the ORed subqueries well.
    """
    if len(picks) > 1 and connection.features.supports_slicing_ordering_in_compound:
        return Q(pk__in=picks[0].union(*picks[1:], all=True))
    found = Q(pk__in=[])
    for pick in picks:
        found |= Q(pk__in=pick)
    return found


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Return the articles readers may see: published, and due."""
        return self.filter(Article.published_condition()).fetch_mode(reader_fetch_mode())

    def scheduled(self):
        """Return the articles published with a time still to come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def embargoed(self):
        """Return the published articles an embargo still keeps from readers."""
        return self.filter(status=Article.Status.PUBLISHED, embargo_until__gt=timezone.now())

    def expired(self):
        """Return the published articles whose time on the site has run out."""
        return self.filter(status=Article.Status.PUBLISHED, expires_at__lte=timezone.now())

    def next_publication(self):
        """Return when the next scheduled article comes due, or None."""
        return (
            self.scheduled().order_by("published_at").values_list("published_at", flat=True).first()
        )

    def next_change(self):
        """Return the next moment an article comes or goes by itself: a publish time, an
        embargo's end or an expiry still to come; or None."""
        now = timezone.now()
        published = self.filter(status=Article.Status.PUBLISHED).order_by()
        moments = [
            self.next_publication(),
            self.embargoed().order_by().aggregate(m=models.Min("embargo_until"))["m"],
            published.filter(expires_at__gt=now).aggregate(m=models.Min("expires_at"))["m"],
        ]
        return min(filter(None, moments), default=None)

    def newest_in_each(self, sections, count):
        """Return the newest ``count`` of these articles in each section, in one query.

        Each section is one short walk down the (section, status, published_at) index, so the
        query stays quick however large the archive grows.
        """
        picks = [
            self.filter(section=section).order_by("-published_at", "-pk").values("pk")[:count]
            for section in sections
        ]
        return self.filter(pk_in_any(picks)) if picks else self.none()

    def waiting_for_review(self):
        """Return the stories in review, the longest waiting first."""
        return self.filter(status=Article.Status.REVIEW).order_by(
            models.F("submitted_at").asc(nulls_first=True), "pk"
        )

    def for_listing(self):
        """Load what an article card shows, in one query however many cards."""
        return self.select_related("section", "primary_topic", "lead_image").order_by(
            "-published_at", "-pk"
        )

    def for_feed(self):
        """Load what a feed entry shows: the card's fields, the byline and the topics."""
        return self.select_related("section", "primary_topic", "lead_image").prefetch_related(
            models.Prefetch("bylines", queryset=Byline.objects.select_related("author")),
            "topics",
        )

    def for_page(self):
        """Load the article page's row: the story, its section, topic and picture.

        What only some parts of the page show (bylines, topics, notes) is read by
        ``Article.load_page_rows()``, and only for the parts not already stored.
        """
        return self.select_related("section", "primary_topic", "lead_image").fetch_mode(
            reader_fetch_mode()
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        # Published with a publish time still to come is "scheduled"; see is_scheduled().
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"
        WITHDRAWN = "withdrawn", "Withdrawn"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the article's address; filled in from the headline.",
    )
    standfirst = models.TextField(
        max_length=400, help_text="The one- or two-sentence summary under the headline."
    )
    body = ProseEditorField(extensions=BODY_EDITOR_EXTENSIONS, sanitize=sanitize_body, blank=True)
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles", blank=True)
    topics = TaggableManager(
        "topics",
        through=TaggedArticle,
        related_name="articles",
        blank=True,
        help_text="The subjects this article is about.",
    )
    primary_topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown in the page title and on cards: “Headline | Topic News”.",
    )
    lead_image = models.ForeignKey(
        "images.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_of_articles",
        help_text="From the image library: its alt text and credit come with it.",
    )
    lead_image_caption = models.CharField(
        "caption",
        max_length=300,
        blank=True,
        help_text="What the picture shows in this story; leave empty for the library's caption.",
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        help_text="When readers may see it. A time in the future schedules the article.",
    )
    embargo_until = models.DateTimeField(
        "embargoed until",
        null=True,
        blank=True,
        help_text="Not public anywhere before this time, whatever its state and publish time.",
    )
    embargo_lifted_at = models.DateTimeField(null=True, blank=True, editable=False)
    embargo_lifted_by = staff_member(editable=False)
    embargo_lift_reason = models.TextField(
        "why the embargo was lifted early", max_length=1000, blank=True, editable=False
    )
    expires_at = models.DateTimeField(
        "expires at",
        null=True,
        blank=True,
        help_text="From this time the story leaves the site and its address answers “410 Gone”: "
        "for pictures or text licensed for a limited time.",
    )
    is_live = models.BooleanField(
        "live coverage",
        default=False,
        help_text="A page of short, timestamped entries, newest first, that readers see update.",
    )
    coverage_ended_at = models.DateTimeField(
        "coverage ended", null=True, blank=True, editable=False
    )
    comments_open = models.BooleanField(
        default=True, help_text="Comments also close by themselves some days after publication."
    )
    comment_moderation = models.CharField(
        max_length=4,
        choices=CommentModeration,
        default=CommentModeration.SITE,
        help_text="Whether readers' comments wait for a moderator before they appear.",
    )
    comment_count = models.PositiveIntegerField("approved comments", default=0, editable=False)
    withdrawn_reason = models.TextField(
        "reason for withdrawal",
        max_length=2000,
        blank=True,
        help_text="Kept for the record, not shown to readers: the legal or safety decision.",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_by = staff_member(editable=False)
    # The latest move into review: who asked for it and when (the editors' queue, oldest first).
    submitted_at = models.DateTimeField("submitted for review", null=True, editable=False)
    submitted_by = staff_member(editable=False)
    # Goes up by one with every saved revision; the admin form carries the number it was
    # opened at, so a save over someone else's newer one is caught (see revisions.py).
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_published_idx"),
            models.Index(fields=["section", "status", "-published_at"], name="article_section_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_article_has_publish_time",
            ),
        ]
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish articles"),
            ("withdraw_article", "Can withdraw (take down) published articles"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        # Sanitise here as well as in the form, so the shell, the seed and any future import
        # are held to the same allow-list as the admin.
        self.body = sanitize_body(self.body or "")
        self.stamp_publish_time()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        when = timezone.localtime(self.published_at or self.created_at or timezone.now())
        return reverse(
            "articles:detail",
            kwargs={
                "section": self.section.slug,
                "year": when.year,
                "month": when.month,
                "day": when.day,
                "slug": self.slug,
            },
        )

    @classmethod
    def published_condition(cls, via=""):
        """Return the condition for "published and due", for articles reached through the
        relation ``via`` ("target" for a related link's article), or for articles themselves."""
        prefix = f"{via}__" if via else ""
        now = timezone.now()
        return (
            Q(**{f"{prefix}status": cls.Status.PUBLISHED, f"{prefix}published_at__lte": now})
            & (
                Q(**{f"{prefix}embargo_until__isnull": True})
                | Q(**{f"{prefix}embargo_until__lte": now})
            )
            & (Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": now}))
        )

    def stamp_publish_time(self):
        """Give a published article without a publish time this moment: publishing means now."""
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    def clean(self):
        # One line, single spaces: headlines go into titles, cards and feeds.
        self.headline = " ".join(self.headline.split())
        self.stamp_publish_time()

    def is_published(self, *, now=None):
        """Return True if readers may see the article now (or at the given time)."""
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and not self.is_embargoed(now=now)
            and not self.is_expired(now=now)
        )

    def is_embargoed(self, *, now=None):
        """Return True if an embargo keeps the article from readers now."""
        return self.embargo_until is not None and self.embargo_until > (now or timezone.now())

    def is_expired(self, *, now=None):
        """Return True if the article's licence has run out: it is gone from the site."""
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def is_live_now(self):
        """Return True while the article is a live coverage that has not ended."""
        return self.is_live and self.coverage_ended_at is None

    def is_withdrawn(self):
        return self.status == self.Status.WITHDRAWN

    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def byline(self):
        """Return the authors in byline order (read by ``load_page_rows()``)."""
        return [byline.author for byline in self.bylines.all()]

    @property
    def topic_list(self):
        """Return the article's topics by name (``load_page_rows()`` reads them)."""
        if not hasattr(self, "taggings"):
            return list(self.topics.all())
        return [tagging.tag for tagging in self.taggings]

    @property
    def lead_caption(self):
        """Return the lead image's caption: this story's own, else the library's."""
        if not self.lead_image:
            return ""
        return self.lead_image_caption or self.lead_image.caption

    def load_page_rows(self):
        """Read what the page's story shows besides its row, once, in a fixed number of queries.

        Topics come through their tagging rows, in name order (see ``topic_list``).
        """
        if hasattr(self, "taggings"):
            return
        taggings = TaggedArticle.objects.select_related("tag").order_by("tag__name")
        models.prefetch_related_objects(
            [self],
            models.Prefetch("bylines", queryset=Byline.objects.select_related("author")),
            models.Prefetch("taggedarticle_set", queryset=taggings, to_attr="taggings"),
            models.Prefetch(
                "corrections", queryset=Correction.objects.public(), to_attr="public_corrections"
            ),
        )

    @property
    def modified_at(self):
        """Return when the story last changed for readers: its publication, an edit since, or
        a correction or update note (``load_page_rows()`` reads the notes)."""
        notes = getattr(self, "public_corrections", [])
        return max(
            [self.updated_at, *filter(None, [self.published_at]), *(n.published_at for n in notes)]
        )

    @property
    def updated_since_publication(self):
        """Return when the story last changed after it was published, or None: a fix within a
        minute of publishing is part of publishing, not an update readers need told of."""
        if self.published_at is None:
            return None
        # Readers first saw it at the latest of these: a story entered after its publication
        # time (an archive, an import) or held under embargo was new when it appeared.
        first_shown = max(filter(None, [self.published_at, self.created_at, self.embargo_until]))
        changed = self.modified_at
        return changed if changed - first_shown > UPDATE_SHOWN_AFTER else None

    @property
    def page_title(self):
        if self.primary_topic:
            return f"{self.headline} | {self.primary_topic.name} News"
        return self.headline

    @property
    def excerpt(self):
        """Return a one-line teaser: the standfirst (or the body's text), cut at a word with an
        ellipsis when it is longer than a line."""
        text = " ".join((self.standfirst or plain_text(self.body)).split())
        if len(text) <= EXCERPT_LENGTH:
            return text
        cut = text[: EXCERPT_LENGTH + 1].rsplit(" ", 1)[0]
        return cut.rstrip(".!?,;:–— ") + "…"


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_byline_author")
        ]

    def __str__(self):
        return str(self.author)


class RelatedLink(models.Model):
    """An editor's pick for an article's Related Articles block."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    position = models.PositiveSmallIntegerField(default=0)
    target = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="article",
        help_text="Another of our articles; or leave empty and give an outside address.",
    )
    url = models.URLField("outside address", max_length=500, blank=True)
    title = models.CharField(
        max_length=200, blank=True, help_text="The outside page's title, shown on the card."
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(target__isnull=False) & Q(url=""))
                | (Q(target__isnull=True) & ~Q(url="") & ~Q(title="")),
                name="related_link_is_article_or_titled_url",
            ),
        ]

    def __str__(self):
        return self.title or str(self.target)

    def clean(self):
        if self.target_id and self.url:
            raise ValidationError("Link to one of our articles or to an outside address, not both.")
        if not self.target_id and not self.url:
            raise ValidationError("Choose an article or give an outside address.")
        if self.url and not self.title.strip():
            raise ValidationError({"title": "An outside link needs a title to show on its card."})
        if self.target_id and self.target_id == self.article_id:
            raise ValidationError({"target": "An article cannot be related to itself."})


class ArticleRevision(models.Model):
    """What an article's fields held after one save, and who saved it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = staff_member(blank=False)
    note = models.CharField(max_length=200, blank=True)
    data = models.JSONField()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["article", "version"], name="unique_article_version")
        ]

    def __str__(self):
        return f"{self.article} — revision {self.version}"


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Return the notes readers see: those whose date has come."""
        return self.filter(published_at__lte=timezone.now())


class Correction(models.Model):
    """A dated, public note on a published article: a correction, or an update to the story."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    # A note on one entry of a live coverage, shown with that entry; empty for the story's own.
    entry = models.ForeignKey(
        "LiveEntry",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="corrections",
        help_text="For a live coverage: the entry the note is about, if not the whole story.",
    )
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(
        max_length=1000, help_text="Shown to readers as written: what was wrong, or what is new."
    )
    published_at = models.DateTimeField("date", default=timezone.now)
    created_by = staff_member(editable=False)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["published_at", "pk"]
        verbose_name = "correction or update"
        verbose_name_plural = "corrections and updates"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class ArticleRedirect(models.Model):
    """An address an article used to live at; readers who follow it are sent on."""

    old_path = models.CharField(max_length=400, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_path} → {self.article}"
