from contextlib import suppress

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import ngettext

from newsroom.admin_input import CheckedInputAdmin
from newsroom.input import clean_text, whole_number

from . import admin_policy, admin_privacy, desk, services
from .models import (
    MODERATION_ACTIONS,
    STATUS_DONE,
    Comment,
    CommentDecision,
    CommentReport,
    DecisionReason,
    PrivacyRequest,
    email_hash,
)

# The comment policy's page registers itself (admin_policy.py) when this module imports it.
__all__ = ["admin_policy"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DecisionInline(ReadOnlyInline):
    model = CommentDecision
    fk_name = "comment"
    fields = readonly_fields = [
        "created_at",
        "kind",
        "moderator",
        "from_status",
        "to_status",
        "cleared_report",
        "reason",
        "note",
        "note_to_reader",
    ]
    verbose_name_plural = "decisions (audit trail)"


class CommentDecisionForm(forms.ModelForm):
    """The change page's decision, with the version of the comment the moderator saw: a
    decision on a comment that someone else handled since is refused, as on the desk."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.ChoiceField(
        choices=[("", "—"), *DecisionReason.choices],
        required=False,
        help_text="For a rejection: the category emailed to the commenter.",
    )
    note_to_reader = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For a rejection: emailed to the commenter with the reason.",
    )

    class Meta:
        model = Comment
        fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = self.instance.version

    def clean_note_to_reader(self):
        return clean_text(self.cleaned_data["note_to_reader"], limit=1000)

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if seen is not None and seen != self.instance.version and self.has_changed():
            last = self.instance.decisions.decisions().select_related("moderator").last()
            raise forms.ValidationError(str(services.AlreadyHandled(self.instance, last)))
        return cleaned


class ReportInline(ReadOnlyInline):
    model = CommentReport
    fields = readonly_fields = ["created_at", "reason", "text"]


@admin.register(Comment)
class CommentAdmin(CheckedInputAdmin, admin.ModelAdmin):
    list_display = ["excerpt", "name", "article", "status", "policy_status", "created_at"]
    list_filter = ["status", "policy_status", "created_at", "article__section"]
    list_select_related = ["article__section"]
    search_fields = ["body", "name", "email"]
    date_hierarchy = "created_at"
    raw_id_fields = ["article", "parent"]
    # A full COUNT(*) on every page load is too slow once there are millions of comments.
    show_full_result_count = False
    inlines = [DecisionInline, ReportInline]
    form = CommentDecisionForm
    actions = ["approve", "reject", "mark_spam", "feature", "stop_featuring"]
    readonly_fields = [
        "article",
        "parent",
        "name",
        "email",
        "website",
        "body",
        "created_at",
        "ip_address",
        "user_agent",
        "policy_status",
        "policy_reasons",
        "decided_by",
        "decided_at",
    ]
    fields = ["status", "reason", "note_to_reader", "seen_version", *readonly_fields]

    def get_urls(self):
        def moderators_only(view):
            def wrapped(request, *args, **kw):
                if not self.has_moderate_permission(request):
                    raise PermissionDenied
                return view(request, self, *args, **kw)

            return self.admin_site.admin_view(wrapped)

        return [
            path("desk/", moderators_only(desk.desk_view), name="comments_desk"),
            path("desk/decide/", moderators_only(desk.decide_view), name="comments_desk_decide"),
            path(
                "desk/undo/<int:decision_id>/",
                moderators_only(desk.undo_view),
                name="comments_desk_undo",
            ),
            path(
                "desk/reply/<int:comment_id>/",
                moderators_only(desk.reply_view),
                name="comments_desk_reply",
            ),
            path(
                "desk/feature/<int:comment_id>/",
                moderators_only(desk.feature_view),
                name="comments_desk_feature",
            ),
            path("desk/test/", moderators_only(desk.test_text_view), name="comments_desk_test"),
            path("commenter/", moderators_only(desk.commenter_view), name="comments_commenter"),
            *super().get_urls(),
        ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Not even for superusers: a comment is rejected or marked as spam, and its decisions
        # stay on record. Erasure at the author's request goes through privacy.py, which keeps
        # an anonymous record of them.
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def save_model(self, request, obj, form, change):
        if "status" not in form.changed_data:
            return  # Nothing else is editable: what the reader wrote stays as they wrote it.
        try:
            services.comment_decide(
                comment=obj,
                status=obj.status,
                moderator=request.user,
                expected_version=form.cleaned_data["seen_version"],
                reason=form.cleaned_data["reason"] if obj.status == Comment.Status.REJECTED else "",
                note_to_reader=form.cleaned_data["note_to_reader"],
            )
        except services.AlreadyHandled as handled:
            # Someone decided between the form's check and this save: theirs stands.
            request.comment_refused = str(handled)

    def response_change(self, request, obj):
        if refused := getattr(request, "comment_refused", None):
            self.message_user(request, refused, messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    @admin.display(description="comment")
    def excerpt(self, comment):
        # The version this list shows travels with the selection, as on the desk.
        return format_html(
            '{}<input type="hidden" name="version-{}" value="{}">',
            Truncator(comment.body).chars(80),
            comment.pk,
            comment.version,
        )

    def _decide(self, request, queryset, action):
        status = MODERATION_ACTIONS[action]
        changed, refused = 0, []
        for comment in queryset.exclude(status=status).order_by("pk"):
            seen = whole_number(request.POST.get(f"version-{comment.pk}", ""))
            try:
                services.comment_decide(
                    comment=comment,
                    status=status,
                    moderator=request.user,
                    # Without the version the list showed, nothing tells what was seen.
                    expected_version=-1 if seen is None else seen,
                )
                changed += 1
            except services.AlreadyHandled as handled:
                refused.append(f"{Truncator(comment.body).chars(40)}: {handled}")
        if changed:
            self.message_user(
                request,
                ngettext("%(n)d comment %(done)s.", "%(n)d comments %(done)s.", changed)
                % {"n": changed, "done": STATUS_DONE[status]},
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, f"Left alone: {message}", messages.ERROR)

    @admin.action(description="Approve selected comments", permissions=["moderate"])
    def approve(self, request, queryset):
        self._decide(request, queryset, "approve")

    @admin.action(description="Reject selected comments", permissions=["moderate"])
    def reject(self, request, queryset):
        self._decide(request, queryset, "reject")

    @admin.action(description="Mark selected comments as spam", permissions=["moderate"])
    def mark_spam(self, request, queryset):
        self._decide(request, queryset, "spam")

    @admin.action(description="Feature selected comments", permissions=["moderate"])
    def feature(self, request, queryset):
        # Readers see approved comments only; the others are left as they are, and said so.
        changed = 0
        for comment in queryset.filter(status=Comment.Status.APPROVED).order_by("pk"):
            with suppress(services.NotFeaturable):  # decided on by someone else meanwhile
                changed += services.comment_feature(comment=comment, moderator=request.user)
        self.message_user(
            request,
            ngettext("%(n)d comment featured.", "%(n)d comments featured.", changed)
            % {"n": changed},
            messages.SUCCESS,
        )
        if skipped := queryset.exclude(status=Comment.Status.APPROVED).count():
            self.message_user(
                request,
                ngettext(
                    "%(n)d comment is not approved, so it cannot be featured.",
                    "%(n)d comments are not approved, so they cannot be featured.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )

    @admin.action(description="Stop featuring selected comments", permissions=["moderate"])
    def stop_featuring(self, request, queryset):
        changed = sum(
            services.comment_feature(comment=comment, moderator=request.user, featured=False)
            for comment in queryset.filter(featured_at__isnull=False).order_by("pk")
        )
        self.message_user(
            request,
            ngettext(
                "%(n)d comment no longer featured.", "%(n)d comments no longer featured.", changed
            )
            % {"n": changed},
            messages.SUCCESS,
        )


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(CheckedInputAdmin, admin.ModelAdmin):
    """The audit record of exports and erasures, read-only; the privacy page makes them."""

    list_display = ["created_at", "kind", "short_hash", "handled_by", "summary"]
    list_filter = ["kind", "created_at"]
    list_select_related = ["handled_by"]
    # The requests about an address: search for the address (hashed) or its SHA-256.
    search_fields = ["=email_sha256"]
    fields = readonly_fields = ["created_at", "kind", "email_sha256", "handled_by", "counts"]

    def get_urls(self):
        def handlers_only(view):
            def wrapped(request, *args, **kw):
                if not self.has_view_permission(request):
                    raise PermissionDenied
                return view(request, self, *args, **kw)

            return self.admin_site.admin_view(wrapped)

        return [
            path("address/", handlers_only(admin_privacy.lookup_view), name="comments_privacy"),
            path(
                "address/export/",
                handlers_only(admin_privacy.export_view),
                name="comments_privacy_export",
            ),
            path(
                "address/erase/",
                handlers_only(admin_privacy.erase_view),
                name="comments_privacy_erase",
            ),
            *super().get_urls(),
        ]

    def get_search_results(self, request, queryset, search_term):
        # An address typed in the search box is looked up by its hash, as it is stored.
        if "@" in search_term:
            search_term = email_hash(search_term)
        return super().get_search_results(request, queryset, search_term)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("comments.handle_privacy_requests")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="address (SHA-256)")
    def short_hash(self, request_record):
        return f"{request_record.email_sha256[:12]}…"

    @admin.display(description="rows")
    def summary(self, request_record):
        return ", ".join(f"{kind} {n}" for kind, n in request_record.counts.items())
