"""The front page in the admin: one page where editors choose the lead, the top stories, the
stories pinned to the top of each section, and the breaking-news banner.

There is one front page, so its list goes straight to it and it cannot be added or deleted.
A story that readers cannot see yet may take a slot (it shows once public); each slot says
when its story is not showing now, and why.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format

from newsroom.admin_input import CheckedInputAdmin

from .admin_rows import RowNamedFormSet
from .front import TOP_STORIES_LIMIT
from .models import Article, FrontPage, SectionPin, TopStory


def _when(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def showing(article):
    """Say in a few words whether readers see the story in its slot now, and if not, why."""
    if article is None:
        return "—"
    if article.is_published():
        return "Showing now."
    if article.status == Article.Status.PUBLISHED:
        if article.is_expired():
            return f"Not showing: expired on {_when(article.expires_at)}."
        if article.is_embargoed():
            return f"Not showing: under embargo until {_when(article.embargo_until)}."
        if article.is_scheduled():
            return f"Not showing: scheduled for {_when(article.published_at)}."
    if article.is_withdrawn():
        return "Not showing: withdrawn."
    return f"Not showing: {article.get_status_display().lower()}; it shows once published."


class FrontPageForm(forms.ModelForm):
    class Meta:
        model = FrontPage
        fields = ["lead", "banner_text", "banner_article", "banner_ends_at"]

    def clean_banner_ends_at(self):
        ends_at = self.cleaned_data.get("banner_ends_at")
        # Only when it is being set: an old end left as it was must not block other changes.
        if ends_at and "banner_ends_at" in self.changed_data and ends_at <= timezone.now():
            raise ValidationError(
                "This time has already passed. Choose a time still to come, or leave it "
                "empty to keep the banner until it is cleared."
            )
        return ends_at


class SlotFormSet(RowNamedFormSet):
    """The rows of a slot table: each box named after its column and row for screen readers
    (as the related links are), and the checks that span rows."""

    def kept_forms(self):
        """Return the rows with a story that stay after the save."""
        return [
            form
            for form in self.forms
            if form.cleaned_data.get("article") and not self._should_delete_form(form)
        ]


class TopStoryFormSet(SlotFormSet):
    def clean(self):
        if any(self.errors):
            return
        kept = self.kept_forms()
        if len(kept) > TOP_STORIES_LIMIT:
            raise ValidationError(
                f"The front page holds at most {TOP_STORIES_LIMIT} top stories: remove "
                f"{len(kept) - TOP_STORIES_LIMIT} before saving."
            )
        seen = set()
        lead_id = self.instance.lead_id
        for form in kept:
            article = form.cleaned_data["article"]
            if article.pk == lead_id:
                raise ValidationError(
                    f"“{article}” is the lead story: it cannot be a top story as well. "
                    "Remove it from the top stories, or choose another lead."
                )
            if article.pk in seen:
                raise ValidationError(
                    f"“{article}” is in the top stories twice: keep it in one place only."
                )
            seen.add(article.pk)


class SectionPinFormSet(SlotFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.kept_forms():
            article = form.cleaned_data["article"]
            if article.pk in seen:
                raise ValidationError(f"“{article}” is pinned twice: keep it in one place only.")
            seen.add(article.pk)


class SlotInline(admin.TabularInline):
    extra = 1
    autocomplete_fields = ["article"]
    readonly_fields = ["on_the_site"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")

    @admin.display(description="on the site now")
    def on_the_site(self, slot):
        return showing(slot.article if slot.article_id else None)


class TopStoryInline(SlotInline):
    model = TopStory
    formset = TopStoryFormSet
    fields = ["position", "article", "on_the_site"]
    max_num = TOP_STORIES_LIMIT
    verbose_name = "top story"
    verbose_name_plural = (
        f"top stories (under the lead, in the order of their positions; at most "
        f"{TOP_STORIES_LIMIT})"
    )


class SectionPinInline(SlotInline):
    model = SectionPin
    formset = SectionPinFormSet
    fields = ["section", "position", "article", "on_the_site"]
    verbose_name = "pinned story"
    verbose_name_plural = (
        "stories pinned to the top of their section (first in the section's block and on its "
        "page, in the order of their positions)"
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section")


@admin.register(FrontPage)
class FrontPageAdmin(CheckedInputAdmin, admin.ModelAdmin):
    form = FrontPageForm
    autocomplete_fields = ["lead", "banner_article"]
    readonly_fields = ["lead_on_the_site", "banner_on_the_site", "last_change"]
    inlines = [TopStoryInline, SectionPinInline]
    fieldsets = [
        (
            "Lead",
            {
                "fields": ["lead", "lead_on_the_site"],
                "description": "The story at the top of the site. Left empty, or while the "
                "chosen story is not public, the newest story leads.",
            },
        ),
        (
            "Breaking-news banner",
            {
                "fields": ["banner_text", "banner_article", "banner_ends_at", "banner_on_the_site"],
                "description": "A short line at the top of every page, linking to the story. "
                "It shows only while that story is public, and goes by itself at its end.",
            },
        ),
        (None, {"fields": ["last_change"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_object(self, request, object_id, from_field=None):
        # The one row, made by the first save: before it, the page opens on an empty one.
        if str(object_id) != "1":
            return None
        return FrontPage.objects.filter(pk=1).first() or FrontPage(pk=1)

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            return super().changelist_view(request, extra_context)  # the admin's own 403
        return redirect("admin:articles_frontpage_change", 1)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="on the site now")
    def lead_on_the_site(self, front_page):
        if not front_page.lead_id:
            return "The newest story leads."
        return showing(front_page.lead)

    @admin.display(description="on the site now")
    def banner_on_the_site(self, front_page):
        if not front_page.banner_text.strip():
            return "No banner."
        if not front_page.banner_is_on():
            return f"Not showing: it ended on {_when(front_page.banner_ends_at)}."
        if front_page.banner_article is None:
            return "Not showing: it needs a story to link to."
        if not front_page.banner_article.is_published():
            return f"Not showing: its story is not public. {showing(front_page.banner_article)}"
        until = f" until {_when(front_page.banner_ends_at)}" if front_page.banner_ends_at else ""
        return f"Showing on every page{until}."

    @admin.display(description="last changed")
    def last_change(self, front_page):
        if front_page._state.adding:
            return "Never: readers see the newest stories."
        user = front_page.updated_by
        who = (user.get_full_name() or user.get_username()) if user else "someone"
        return f"{_when(front_page.updated_at)} by {who}"
