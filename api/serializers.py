"""How the API writes each public thing as JSON. Read-only: nothing here saves.

Serializers read only what api/queries.py loaded (tests run with lazy loads refused), and name
every field explicitly: a new model field stays private until someone chooses to show it.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.models import Article, Author, Correction, LiveEntry, Section, Topic
from comments.models import Comment
from images import renditions as plans


def _absolute(serializer, path):
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


@extend_schema_field({"type": "string", "format": "uri"})
class PageAddress(serializers.Field):
    """The reader's page of the object, as an absolute address."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return _absolute(self.parent, value.get_absolute_url())


class SectionSerializer(serializers.ModelSerializer):
    url = PageAddress(help_text="The section page.")

    class Meta:
        model = Section
        fields = ["id", "name", "slug", "description", "url"]


class TopicSerializer(serializers.ModelSerializer):
    url = PageAddress(help_text="The topic page.")

    class Meta:
        model = Topic
        fields = ["id", "name", "slug", "description", "url"]


class TopicSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "name", "slug"]


class AuthorSerializer(serializers.ModelSerializer):
    url = PageAddress(help_text="The author page.")
    photo = serializers.SerializerMethodField()

    class Meta:
        model = Author
        fields = ["id", "name", "slug", "role", "bio", "photo", "url"]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_photo(self, author):
        return _absolute(self, author.photo.url) if author.photo else None


class BylineSerializer(serializers.ModelSerializer):
    url = PageAddress(help_text="The author page.")

    class Meta:
        model = Author
        fields = ["id", "name", "slug", "role", "url"]


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Correction
        fields = ["kind", "text", "published_at"]


class RenditionSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    format = serializers.CharField(help_text="“jpeg” or “webp”.")
    crop = serializers.SerializerMethodField(
        help_text="The ratio it is cropped to around the focal point (“16:9”), or null for "
        "the whole picture."
    )

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, rendition):
        return _absolute(self, rendition.url)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_crop(self, rendition):
        for ratio in plans.CROP_RATIOS:
            if plans.spec_has_prefix(rendition.spec, plans.spec_prefix(ratio)):
                return ratio
        return None


class LeadImageSerializer(serializers.Serializer):
    """The article's picture: from the image library's row, and the story's own caption."""

    alt_text = serializers.CharField(source="lead_image.alt_text")
    caption = serializers.CharField(source="lead_caption")
    credit = serializers.CharField(source="lead_image.credit")
    width = serializers.IntegerField(source="lead_image.width")
    height = serializers.IntegerField(source="lead_image.height")
    renditions = serializers.SerializerMethodField(
        help_text="The sizes made so far, narrowest first; the original file until they are."
    )

    @extend_schema_field(RenditionSerializer(many=True))
    def get_renditions(self, article):
        image = article.lead_image
        # The renditions' list is stored on the image's row: no query.
        made = [r for r in image.stored_renditions() if r.spec != plans.SOCIAL_SPEC]
        made.sort(key=lambda r: (r.spec.rpartition("-")[0], r.format, r.width))
        return RenditionSerializer(made or [image.original()], many=True, context=self.context).data


class LiveStateSerializer(serializers.Serializer):
    state = serializers.SerializerMethodField(help_text="“live” while it runs, then “ended”.")
    ended_at = serializers.DateTimeField(source="coverage_ended_at", allow_null=True)
    entries = serializers.SerializerMethodField(help_text="The API address of its entries.")

    @extend_schema_field({"type": "string", "enum": ["live", "ended"]})
    def get_state(self, article):
        return "live" if article.is_live_now() else "ended"

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_entries(self, article):
        return _absolute(self, reverse("api:entries", args=[article.pk]))


class EntrySerializer(serializers.ModelSerializer):
    body_html = serializers.CharField(source="body", help_text="Sanitised HTML.")
    author = BylineSerializer(allow_null=True)
    corrections = NoteSerializer(source="public_notes", many=True)
    url = PageAddress(help_text="The entry on the story's page.")

    class Meta:
        model = LiveEntry
        fields = [
            "id",
            "title",
            "body_html",
            "author",
            "is_key_event",
            "is_pinned",
            "published_at",
            "updated_at",
            "corrections",
            "url",
        ]


class ArticleSerializer(serializers.ModelSerializer):
    """An article as the list shows it: everything but a live story's entries."""

    api_url = serializers.SerializerMethodField(help_text="This article in the API.")
    canonical_url = PageAddress(help_text="The article page: the address to link and cite.")
    body_html = serializers.CharField(source="body", help_text="Sanitised HTML.")
    bylines = BylineSerializer(source="byline", many=True)
    section = SectionSerializer()
    topics = TopicSummarySerializer(source="topic_list", many=True)
    primary_topic = TopicSummarySerializer(allow_null=True)
    lead_image = serializers.SerializerMethodField()
    corrections = serializers.SerializerMethodField(
        help_text="Corrections and updates to the story, oldest first."
    )
    updated_at = serializers.SerializerMethodField(
        help_text="When the story last changed for readers: an edit, a correction or an update."
    )
    live = serializers.SerializerMethodField(help_text="For live coverage; null otherwise.")

    class Meta:
        model = Article
        fields = [
            "id",
            "api_url",
            "canonical_url",
            "headline",
            "standfirst",
            "body_html",
            "bylines",
            "section",
            "topics",
            "primary_topic",
            "lead_image",
            "corrections",
            "published_at",
            "updated_at",
            "embargo_until",
            "expires_at",
            "live",
        ]

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_api_url(self, article):
        return _absolute(self, reverse("api:article", args=[article.pk]))

    @extend_schema_field(LeadImageSerializer(allow_null=True))
    def get_lead_image(self, article):
        if article.lead_image is None:
            return None
        return LeadImageSerializer(article, context=self.context).data

    @extend_schema_field(NoteSerializer(many=True))
    def get_corrections(self, article):
        # A live entry's own notes go with that entry.
        notes = [note for note in article.public_corrections if note.entry_id is None]
        return NoteSerializer(notes, many=True).data

    @extend_schema_field(serializers.DateTimeField())
    def get_updated_at(self, article):
        return serializers.DateTimeField().to_representation(article.modified_at)

    @extend_schema_field(LiveStateSerializer(allow_null=True))
    def get_live(self, article):
        if not article.is_live:
            return None
        return LiveStateSerializer(article, context=self.context).data


class ArticleDetailSerializer(ArticleSerializer):
    """An article by itself: a live story also brings its newest entries."""

    newest_entries = serializers.SerializerMethodField(
        help_text="A live story's newest public entries (null for other stories); the "
        "entries list has them all."
    )

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "newest_entries"]

    @extend_schema_field(EntrySerializer(many=True, allow_null=True))
    def get_newest_entries(self, article):
        if not article.is_live:
            return None
        return EntrySerializer(self.context["entries"], many=True, context=self.context).data


class CommentSerializer(serializers.ModelSerializer):
    """A reader's approved comment: the name they chose to show and what they wrote, nothing
    they gave only to the newsroom (their email, their address)."""

    class Meta:
        model = Comment
        fields = ["id", "parent", "name", "body", "created_at", "is_newsroom"]
