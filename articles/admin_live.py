"""The admin side of live coverage: the coverage page, where editors post entries without
leaving it and end or resume the coverage, and the entries' own change, delete and history
pages, each change kept as a LiveEntryRevision."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from newsroom.admin_input import CheckedInputAdmin
from newsroom.input import parse_id
from richtext.sanitize import sanitize_body

from . import live
from .models import LiveEntry, LiveEntryRevision

ADD_ENTRY = "articles.add_liveentry"
VIEW_ENTRY = "articles.view_liveentry"


def _as_readers_see_it(request, entry, article):
    context = {"entry": entry, "article": article}
    return mark_safe(render_to_string("articles/_live_entry.html", context, request))


class LiveEntryForm(forms.ModelForm):
    class Meta:
        model = LiveEntry
        fields = ["title", "body", "is_key_event", "is_pinned"]
        error_messages = {
            "title": {
                "max_length": "Keep the title to %(limit_value)d characters or fewer "
                "(it has %(show_value)d): it is for the key events list and for sharing.",
            },
            "body": {"required": "Write the entry's text: an entry without one says nothing."},
        }

    def clean_title(self):
        # Django's own check has refused a NUL already ("Null characters are not allowed").
        return " ".join(self.cleaned_data["title"].split())

    def clean_body(self):
        body = sanitize_body(self.cleaned_data["body"] or "")
        # What the allow-list leaves must say something: "<script>…</script>" alone does not.
        if not strip_tags(body).strip() and "<img" not in body:
            raise forms.ValidationError(
                "Write the entry's text: nothing readable is left of it once unsafe parts "
                "(scripts, styles, unknown tags) are taken out."
            )
        return body


class LiveCoverageAdminMixin:
    """The article admin's coverage page: ``<id>/live/``."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/live/",
                self.admin_site.admin_view(self.live_coverage_view),
                name="articles_article_live",
            ),
            *super().get_urls(),
        ]

    def live_coverage_view(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        user = request.user
        if not (self.has_view_or_change_permission(request, article) and user.has_perm(VIEW_ENTRY)):
            raise PermissionDenied
        change_url = reverse("admin:articles_article_change", args=[quote(article.pk)])
        if not article.is_live:
            messages.info(
                request,
                "This article is not a live coverage: tick “live coverage” under Live coverage "
                "and save it first.",
            )
            return redirect(change_url)
        form = LiveEntryForm()
        status = 200
        if request.method == "POST":
            if "coverage" in request.POST:
                return self._end_or_resume(request, article)
            if not user.has_perm(ADD_ENTRY):
                raise PermissionDenied
            form = LiveEntryForm(request.POST)
            if form.is_valid():
                entry = form.save(commit=False)
                entry.article = article
                live.entry_save(entry=entry, user=user)
                messages.success(request, f"Posted: readers see it now, as entry {entry.pk}.")
                return redirect(request.path)
            status = 400
        coverage = live.coverage(request, article)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Live coverage: {article}",
            "opts": self.opts,
            "original": article,
            "change_url": change_url,
            "form": form,
            "can_add": user.has_perm(ADD_ENTRY),
            "can_end": self._may_end(request, article),
            "coverage": coverage,
            # Each entry as readers see it, made by the readers' own (Jinja2) template.
            "entries": [
                (entry, _as_readers_see_it(request, entry, article)) for entry in coverage.shown
            ],
            "scheduled": list(
                article.entries.filter(published_at__gt=timezone.now()).select_related("article")
            ),
        }
        return TemplateResponse(
            request, "admin/articles/article/live_coverage.html", context, status=status
        )

    def _may_end(self, request, article):
        return self.has_publish_permission(request) and self.has_change_permission(request, article)

    def _end_or_resume(self, request, article):
        if not self._may_end(request, article):
            raise PermissionDenied
        ending = request.POST["coverage"] == "end"
        try:
            if ending:
                live.coverage_end(article=article, user=request.user)
            else:
                live.coverage_resume(article=article, user=request.user)
        except live.CoverageUnchanged:
            messages.info(request, "Someone did that meanwhile: nothing changed.")
            return redirect(request.path)
        done = "Ended the live coverage." if ending else "Resumed the live coverage."
        self.log_change(request, article, done)
        if ending:
            messages.success(
                request, "The coverage has ended: its page stays as an archive, without updates."
            )
        else:
            messages.success(request, "The coverage is live again: open pages resume updating.")
        return redirect(request.path)


@admin.register(LiveEntry)
class LiveEntryAdmin(CheckedInputAdmin, admin.ModelAdmin):
    list_display = ["__str__", "article", "published_at", "author", "is_key_event", "is_pinned"]
    list_select_related = ["article", "author"]
    list_filter = ["is_key_event", "is_pinned", "published_at"]
    search_fields = ["title", "article__headline"]
    date_hierarchy = "published_at"
    raw_id_fields = ["article"]
    autocomplete_fields = ["author"]
    fields = ["article", "title", "body", "author", "is_key_event", "is_pinned", "published_at"]
    readonly_fields = ["article"]
    object_history_template = "admin/articles/liveentry/object_history.html"

    def has_add_permission(self, request):
        # Entries are posted from their coverage's page, where the editor sees the others.
        return False

    def save_model(self, request, obj, form, change):
        live.entry_save(entry=obj, user=request.user)

    def delete_model(self, request, obj):
        request.live_coverage_id = obj.article_id
        live.entry_delete(entry=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for entry in queryset:
            live.entry_delete(entry=entry, user=request.user)

    def _coverage_url(self, article_id):
        return reverse("admin:articles_article_live", args=[quote(article_id)])

    def response_change(self, request, obj):
        if "_continue" in request.POST:
            return super().response_change(request, obj)
        messages.success(request, f"Saved “{obj}”, kept as revision {obj.version}.")
        return redirect(self._coverage_url(obj.article_id))

    def response_delete(self, request, obj_display, obj_id):
        if article_id := getattr(request, "live_coverage_id", None):
            messages.success(request, f"Deleted “{obj_display}”; its last text is kept on record.")
            return redirect(self._coverage_url(article_id))
        return super().response_delete(request, obj_display, obj_id)

    def history_view(self, request, object_id, extra_context=None):
        number = parse_id(unquote(object_id))
        revisions = (
            LiveEntryRevision.objects.filter(entry_id=number)
            .select_related("created_by")
            .order_by("-version")
            if number
            else []
        )
        return super().history_view(
            request, object_id, extra_context={**(extra_context or {}), "revisions": revisions}
        )
