from contextlib import suppress

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.text import Truncator
from django.utils.translation import ngettext

from newsroom.admin_input import CheckedInputAdmin

from . import admin_privacy, desk, services
from .models import (
    MODERATION_ACTIONS,
    STATUS_DONE,
    Comment,
    CommentDecision,
    CommentReport,
    PrivacyRequest,
    email_hash,
)


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
        "moderator",
        "from_status",
        "to_status",
        "reason",
        "note",
    ]
    verbose_name_plural = "decisions (audit trail)"


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
    fields = ["status", *readonly_fields]

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

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            services.comment_decide(comment=obj, status=obj.status, moderator=request.user)
        # Nothing else on the form is editable: what the reader wrote stays as they wrote it.

    @admin.display(description="comment")
    def excerpt(self, comment):
        return Truncator(comment.body).chars(80)

    def _decide(self, request, queryset, action):
        status = MODERATION_ACTIONS[action]
        changed = services.comments_decide_bulk(
            comments=queryset, status=status, moderator=request.user
        )
        self.message_user(
            request,
            ngettext("%(n)d comment %(done)s.", "%(n)d comments %(done)s.", changed)
            % {"n": changed, "done": STATUS_DONE[status]},
            messages.SUCCESS,
        )

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
