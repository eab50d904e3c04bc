from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext
from taggit.models import Tag

from . import services
from .models import Article, Author, Byline, RelatedLink, Section, Topic

# Topics replace taggit's generic tags; its own Tag admin would only confuse editors.
admin.site.unregister(Tag)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "article_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # An explicit order: default ordering does not survive the GROUP BY of the count.
        return (
            super()
            .get_queryset(request)
            .annotate(article_total=Count("articles"))
            .order_by("position", "name")
        )

    @admin.display(description="articles", ordering="article_total")
    def article_count(self, section):
        return section.article_total


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "role", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(article_total=Count("tagged_articles"))
            .order_by("name")
        )

    @admin.display(description="articles", ordering="article_total")
    def article_count(self, topic):
        return topic.article_total


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    verbose_name = "author"
    verbose_name_plural = "byline (in the order shown to readers)"


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    extra = 1
    autocomplete_fields = ["target"]
    fields = ["position", "target", "url", "title"]
    verbose_name = "related link"
    verbose_name_plural = "related articles (editors' picks, shown first, in this order)"


class ArticleAdminForm(forms.ModelForm):
    # The admin builds the Meta (model and fields) from ArticleAdmin's fieldsets.
    def clean(self):
        cleaned = super().clean()
        primary, topics = cleaned.get("primary_topic"), cleaned.get("topics")
        if primary and topics is not None and primary not in topics:
            # Picking a primary topic implies the article is about it.
            cleaned["topics"] = [*topics, primary]
        return cleaned


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published")]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = queryset.filter(status=Article.Status.PUBLISHED)
        match self.value():
            case "draft":
                return queryset.filter(status=Article.Status.DRAFT)
            case "scheduled":
                return published.filter(published_at__gt=now)
            case "published":
                return published.filter(published_at__lte=now)
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["headline", "section", "state", "published_at", "byline_names"]
    list_select_related = ["section"]
    list_filter = [StatusFilter, "section", "topics", "published_at"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["primary_topic"]
    inlines = [BylineInline, RelatedLinkInline]
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "section", "standfirst", "body"]}),
        ("Topics", {"fields": ["topics", "primary_topic"]}),
        (
            "Lead image",
            {
                "fields": [
                    "lead_image",
                    "lead_image_alt",
                    "lead_image_caption",
                    "lead_image_credit",
                ]
            },
        ),
        ("Publishing", {"fields": ["status", "published_at"]}),
        ("Comments", {"fields": ["comments_open", "comment_moderation"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "headline":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})
        if db_field.name == "topics":
            # taggit's own field is a comma-separated text box; editors pick from the
            # existing topics instead, with the admin's autocomplete and its "+" to add one.
            widget = AutocompleteSelectMultiple(db_field, self.admin_site)
            return forms.ModelMultipleChoiceField(
                queryset=Topic.objects.all(),
                required=False,
                widget=RelatedFieldWidgetWrapper(
                    widget,
                    db_field.remote_field,
                    self.admin_site,
                    can_add_related=self.admin_site.get_model_admin(Topic).has_add_permission(
                        request
                    ),
                    can_change_related=False,
                    can_delete_related=False,
                    can_view_related=False,
                ),
                help_text="The subjects this article is about.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if self.has_publish_permission(request):
            return []
        return ["status", "published_at"]

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    @admin.display(description="status", ordering="status")
    def state(self, article):
        if article.is_scheduled():
            when = date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")
            return f"Scheduled for {when}"
        return article.get_status_display()

    @admin.display(description="byline")
    def byline_names(self, article):
        return ", ".join(author.name for author in article.byline)

    @admin.action(description="Publish selected articles", permissions=["publish"])
    def publish_selected(self, request, queryset):
        published, unchanged = services.articles_publish(articles=queryset)
        self._report(request, published, unchanged, "Published", "already published")

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        unpublished, unchanged = services.articles_unpublish(articles=queryset)
        self._report(request, unpublished, unchanged, "Unpublished", "already a draft")

    def _report(self, request, changed, unchanged, done, already):
        if changed:
            self.message_user(
                request, f"{done} {_count(changed)}: {_names(changed)}.", messages.SUCCESS
            )
        if unchanged:
            self.message_user(
                request,
                f"Left {_count(unchanged)} as it was, {already}: {_names(unchanged)}.",
                messages.INFO,
            )


def _count(articles):
    return ngettext("%d article", "%d articles", len(articles)) % len(articles)


def _names(articles, shown=5):
    names = [f"“{article.headline}”" for article in articles[:shown]]
    if len(articles) > shown:
        names.append(f"and {len(articles) - shown} more")
    return ", ".join(names)
