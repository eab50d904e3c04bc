from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.db.models import Prefetch
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext
from taggit.models import Tag

from images.markup import picture_html
from newsroom.admin_input import CheckedInputAdmin

from . import admin_front_page, admin_taxonomy, revisions, services, workflow
from .admin_embargo import EmbargoAdminMixin
from .admin_live import LiveCoverageAdminMixin
from .admin_preview import PreviewAdminMixin
from .admin_revisions import RevisionsAdminMixin
from .admin_rows import RowNamedFormSet
from .models import (
    Article,
    Byline,
    Correction,
    RelatedLink,
    Topic,
)

# The front page's page and the taxonomy's (sections, authors, topics) register themselves on
# import; this module keeps the article's own admin.
__all__ = ["admin_front_page", "admin_taxonomy"]

# Topics replace taggit's generic tags; its own Tag admin would only confuse editors.
admin.site.unregister(Tag)


class BylineForm(forms.ModelForm):
    def has_changed(self):
        # A new row counts once it names an author, even one filled in for the editor (their
        # own profile on a new story) and left as it was; a row left empty is no byline.
        if self.instance.pk is None:
            return bool(self["author"].value())
        return super().has_changed()


class BylineInline(admin.TabularInline):
    model = Byline
    form = BylineForm
    formset = RowNamedFormSet
    extra = 1
    autocomplete_fields = ["author"]
    verbose_name = "author"
    verbose_name_plural = "byline (in the order shown to readers)"


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    formset = RowNamedFormSet
    fk_name = "article"
    extra = 1
    autocomplete_fields = ["target"]
    fields = ["position", "target", "url", "title"]
    verbose_name = "related link"
    verbose_name_plural = "related articles (editors' picks, shown first, in this order)"


class CorrectionForm(forms.ModelForm):
    def clean_entry(self):
        entry = self.cleaned_data.get("entry")
        if entry is not None and entry.article_id != self.instance.article_id:
            raise forms.ValidationError(
                "That entry belongs to another live coverage: give the number of one of this "
                "article's entries, or leave it empty."
            )
        return entry


class CorrectionInline(admin.StackedInline):
    model = Correction
    form = CorrectionForm
    extra = 0
    fields = ["kind", "published_at", "text", "entry"]
    # Entries are many; the number is on each entry's link on the coverage page.
    raw_id_fields = ["entry"]
    verbose_name_plural = "corrections and updates (shown to readers, with their date)"


class ArticleAdminForm(forms.ModelForm):
    # The admin builds the Meta (model and fields) from ArticleAdmin's fieldsets; these two are
    # drawn by the change form template (admin/articles/article/change_form.html).
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm = forms.BooleanField(required=False)

    user = None  # Set by ArticleAdmin.get_form() for the request's user.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        article = self.instance
        self.before = Article(
            status=article.status,
            published_at=article.published_at,
            slug=article.slug,
            embargo_until=article.embargo_until,
            expires_at=article.expires_at,
        )
        self.before_url = article.get_absolute_url() if article.pk else None
        self.fields["base_version"].initial = article.version
        self.conflict = None
        self.warnings = []
        if "status" in self.fields:
            open_to = workflow.states_open_to(self.user, article.status)
            self.fields["status"].choices = [
                (state, label) for state, label in Article.Status.choices if state in open_to
            ]

    def clean(self):
        cleaned = super().clean()
        primary, topics = cleaned.get("primary_topic"), cleaned.get("topics")
        if primary and topics is not None and primary not in topics:
            # Picking a primary topic implies the article is about it.
            cleaned["topics"] = [*topics, primary]
        status = cleaned.get("status", self.instance.status)
        if not workflow.can_move(self.user, self.before.status, status):
            self.add_error("status", "You may not move this article to that state.")
        moving_out = status == Article.Status.WITHDRAWN != self.before.status
        if moving_out and not cleaned.get("withdrawn_reason", "").strip():
            self.add_error(
                "withdrawn_reason",
                "Say why the article is withdrawn: the reason is kept on record.",
            )
        self._check_embargo(cleaned)
        if self.instance.pk:
            self._check_version(cleaned.get("base_version"))
        return cleaned

    def _check_embargo(self, cleaned):
        """Let an embargo in force move only later: lifting it early is a button, with a reason."""
        if "embargo_until" not in cleaned or not self.before.is_embargoed():
            return
        until = cleaned["embargo_until"]
        if until is None or until < self.before.embargo_until:
            self.add_error(
                "embargo_until",
                "To end the embargo early, use “Lift embargo” above and say why: the decision "
                "is kept on record. Here the time can only move later.",
            )

    def _check_version(self, base_version):
        """Refuse a save over a newer one than the editor opened, keeping their text."""
        current = (
            Article.objects.select_for_update()
            .values_list("version", flat=True)
            .get(pk=self.instance.pk)
        )
        if base_version is None or base_version == current:
            return
        self.conflict = revisions.conflict_between(self.instance, base_version, current)
        # Saving again, having seen the other changes, is a decision to overwrite them.
        self.data = self.data.copy()
        self.data[self.add_prefix("base_version")] = current
        raise forms.ValidationError(
            "Someone else saved this article after you opened it; nothing of yours has been "
            "saved yet. Their changes are shown above and your text is still in the form. "
            "Bring in what you need of theirs, then save again."
        )

    def _post_clean(self):
        super()._post_clean()  # The model's clean() has run: the instance holds the new values.
        if self.errors or not self.instance.pk:
            return
        self.warnings = workflow.consequences(
            self.before,
            self.instance,
            before_url=self.before_url,
            after_url=self.instance.get_absolute_url(),
            time_cleared="published_at" in self.cleaned_data
            and self.cleaned_data["published_at"] is None,
        )
        if self.warnings and not self.cleaned_data.get("confirm"):
            self.add_error(None, "This save changes what readers see. Check and confirm it.")


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("review", "In review"),
            ("scheduled", "Scheduled"),
            ("embargoed", "Under embargo"),
            ("published", "Published"),
            ("expired", "Expired"),
            ("unpublished", "Unpublished"),
            ("withdrawn", "Withdrawn"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "scheduled":
                return queryset.scheduled()
            case "embargoed":
                return queryset.embargoed()
            case "published":
                return queryset.filter(Article.published_condition())
            case "expired":
                return queryset.expired()
            case "draft" | "review" | "unpublished" | "withdrawn" as state:
                return queryset.filter(status=state)
        return queryset


@admin.register(Article)
class ArticleAdmin(
    CheckedInputAdmin,
    EmbargoAdminMixin,
    LiveCoverageAdminMixin,
    RevisionsAdminMixin,
    PreviewAdminMixin,
    admin.ModelAdmin,
):
    form = ArticleAdminForm
    list_display = ["headline", "section", "state", "published_at", "byline_names"]
    list_select_related = ["section"]
    list_filter = [StateFilter, "section", "topics", "published_at"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["primary_topic", "lead_image"]
    inlines = [BylineInline, RelatedLinkInline, CorrectionInline]
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "section", "standfirst", "body"]}),
        ("Topics", {"fields": ["topics", "primary_topic"]}),
        (
            "Lead image",
            {
                "fields": ["lead_image", "lead_image_preview", "lead_image_caption"],
                "description": "Pick a picture from the image library, or upload one with “+”.",
            },
        ),
        (
            "Publishing",
            {
                "fields": [
                    "visibility",
                    "status",
                    "published_at",
                    "embargo_until",
                    "embargo_record",
                    "expires_at",
                ],
                "description": "To schedule, choose “Published” and a time still to come. An "
                "embargo keeps a story from readers until its time, whatever else is set.",
            },
        ),
        (
            "Live coverage",
            {
                "fields": ["is_live", "coverage_record"],
                "description": "A live coverage's page is a run of short entries, newest "
                "first. Save, then post entries and end the coverage from “Live coverage” above.",
            },
        ),
        ("Comments", {"fields": ["comments_open", "comment_moderation"]}),
    ]
    withdrawal_fieldset = (
        "Withdrawal",
        {
            "fields": ["withdrawn_reason"],
            "description": "Only for a legal or safety decision. Choose “Withdrawn” above and "
            "say why; readers will find a “410 Gone” notice at the article's address.",
        },
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if request.user.has_perm(workflow.WITHDRAW) or (obj and obj.withdrawn_reason):
            fieldsets.append(self.withdrawal_fieldset)
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BylineInline) and obj.pk is None:
            # A new story starts with its writer's own byline, where they have an author profile.
            profile = getattr(request.user, "author_profile", None)
            if profile is not None:
                kwargs["initial"] = [{"author": profile.pk}]
        return kwargs

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
        readonly = ["visibility", "embargo_record", "lead_image_preview", "coverage_record"]
        if not self.has_publish_permission(request):
            # When readers may see a story is an editor's decision.
            readonly += ["published_at", "embargo_until", "expires_at"]
        if not request.user.has_perm(workflow.WITHDRAW):
            readonly.append("withdrawn_reason")
        return readonly

    def has_publish_permission(self, request):
        return request.user.has_perm(workflow.PUBLISH)

    def has_change_permission(self, request, obj=None):
        # Writers still open a live or withdrawn story, read-only, and its revisions.
        if obj is not None and not workflow.can_edit(request.user, obj.status):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # The article is saved in save_related(), with its inlines, by one service call.
        pass

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if isinstance(instance, Correction) and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        services.article_save(
            article=form.instance,
            user=request.user,
            before=form.before if change else None,
            before_url=form.before_url,
            # The form's topics and the inlines, saved once the article has its id.
            save_rows=lambda: super(ArticleAdmin, self).save_related(
                request, form, formsets, change
            ),
        )

    @admin.display(description="state", ordering="status")
    def state(self, article):
        if article.status == Article.Status.PUBLISHED:
            if article.is_expired():
                return f"Expired on {_when(article.expires_at)}"
            if article.is_embargoed():
                return f"Under embargo until {_when(article.embargo_until)}"
            if article.is_scheduled():
                return f"Scheduled for {_when(article.published_at)}"
        return article.get_status_display()

    @admin.display(description="embargo lifted")
    def embargo_record(self, article):
        if not article.embargo_lifted_at:
            return "—"
        who = revisions.author_name(article.embargo_lifted_by) or "someone"
        return (
            f"Lifted early by {who} on {_when(article.embargo_lifted_at)}: "
            f"{article.embargo_lift_reason}"
        )

    @admin.display(description="coverage")
    def coverage_record(self, article):
        if not article.is_live:
            return "Not a live coverage."
        if article.coverage_ended_at:
            return f"Ended on {_when(article.coverage_ended_at)}: the page stays as an archive."
        return "Live: readers' open pages show new entries as they are posted."

    @admin.display(description="what readers get")
    def visibility(self, article):
        """Say, in a line, what readers get from the article as saved."""
        if not article.pk:
            return "Not saved yet."
        if article.is_withdrawn():
            return f"Withdrawn on {_when(article.withdrawn_at)}: its address answers “410 Gone”."
        if article.status == Article.Status.PUBLISHED:
            if article.is_expired():
                return f"Expired on {_when(article.expires_at)}: its address answers “410 Gone”."
            if article.is_embargoed():
                return (
                    f"Under embargo until {_when(article.embargo_until)}: readers see it from "
                    "then, with nothing more to do."
                )
            if article.is_scheduled():
                return (
                    f"Scheduled for {_when(article.published_at)}: readers see it from then, "
                    "with nothing more to do."
                )
            gone = f" It expires on {_when(article.expires_at)}." if article.expires_at else ""
            return f"Live since {_when(article.published_at)}.{gone}"
        return f"{article.get_status_display()}: readers cannot see it."

    @admin.display(description="as readers see it")
    def lead_image_preview(self, article):
        if not article.lead_image:
            return "No lead image."
        return picture_html(
            article.lead_image, ratio="16:9", sizes="20rem", css_class="lead-image-preview"
        )

    @admin.display(description="byline")
    def byline_names(self, article):
        return ", ".join(author.name for author in article.byline)

    @admin.action(description="Publish selected articles", permissions=["publish"])
    def publish_selected(self, request, queryset):
        published, unchanged = services.articles_publish(articles=queryset, user=request.user)
        self._report(request, published, unchanged, "Published", "already published or withdrawn")

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        if request.POST.get("confirm") != "yes":
            # Taking stories away from readers gets a second look, like deleting does.
            return TemplateResponse(
                request,
                "admin/articles/article/confirm_unpublish.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Unpublish these articles?",
                    "opts": self.opts,
                    "articles": queryset.order_by("-published_at"),
                    "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
                },
            )
        unpublished, unchanged = services.articles_unpublish(articles=queryset, user=request.user)
        self._report(request, unpublished, unchanged, "Unpublished", "not published")

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


def _when(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _count(articles):
    return ngettext("%d article", "%d articles", len(articles)) % len(articles)


def _names(articles, shown=5):
    names = [f"“{article.headline}”" for article in articles[:shown]]
    if len(articles) > shown:
        names.append(f"and {len(articles) - shown} more")
    return ", ".join(names)
