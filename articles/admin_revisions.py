"""The article admin's history pages: every revision, the changes between two, and restoring one."""

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from newsroom.input import whole_number

from . import revision_diff, revisions

# Version numbers are small; anything larger is a mistyped address, not a revision.
_MOST_VERSIONS = 10**9 - 1


class RevisionsAdminMixin:
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/revisions/",
                view(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<path:object_id>/revisions/compare/",
                view(self.revisions_compare_view),
                name="articles_article_revisions_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:version>/restore/",
                view(self.revision_restore_view),
                name="articles_article_revision_restore",
            ),
            *super().get_urls(),
        ]

    def revisions_view(self, request, object_id):
        article = self._revised_article(request, object_id)
        rows = revision_diff.history_rows(list(article.revisions.select_related("created_by")))
        return self._render(
            request,
            "revision_history.html",
            article,
            title=f"Revisions of “{article}”",
            rows=rows,
        )

    def revisions_compare_view(self, request, object_id):
        article = self._revised_article(request, object_id)
        versions = {_version(request.GET.get("from")), _version(request.GET.get("to"))}
        if None in versions or len(versions) != 2:
            messages.error(request, "Choose two different revisions to compare.")
            return redirect("admin:articles_article_revisions", quote(article.pk))
        found = {
            r.version: r
            for r in article.revisions.filter(version__in=versions).select_related("created_by")
        }
        if len(found) != 2:
            raise Http404("This article has no such revision.")
        older, newer = found[min(versions)], found[max(versions)]
        return self._render(
            request,
            "revision_compare.html",
            article,
            title=f"Changes from revision {older.version} to {newer.version}",
            older=older,
            newer=newer,
            changes=revision_diff.diff_revisions(older.data, newer.data),
        )

    def revision_restore_view(self, request, object_id, version):
        article = self._revised_article(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(
            article.revisions.select_related("created_by"), version=version
        )
        if request.method == "POST":
            return self._restore(request, article, revision)
        current = revisions.snapshot(article)
        changes = revision_diff.diff_revisions(
            current, revisions.restored_data(current, revision.data)
        )
        left_as_they_are = [
            revision_diff.LABELS[field]
            for field in revision_diff.changed_fields(current, revision.data)
            if field not in revisions.RESTORED_FIELDS
        ]
        return self._render(
            request,
            "revision_restore.html",
            article,
            title=f"Restore revision {revision.version}?",
            revision=revision,
            changes=changes,
            left_as_they_are=left_as_they_are,
            missing_topics=revisions.missing_topics(revision.data),
        )

    def _restore(self, request, article, revision):
        try:
            restored, skipped = revisions.revision_restore(
                revision=revision,
                user=request.user,
                expected_version=_version(request.POST.get("version")),
            )
        except revisions.StaleRestore:
            messages.warning(
                request,
                "The article was saved again while this page was open, so nothing was restored. "
                "Check what restoring would change now, then restore again if you still want to.",
            )
            return redirect(request.path)
        self.log_change(request, article, f"Restored revision {revision.version}.")
        self.message_user(
            request,
            f"Restored the headline, standfirst, body and topics of revision {revision.version}, "
            f"saved as revision {restored.version}.",
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                "Left off topics that no longer exist: " + ", ".join(skipped) + ".",
                messages.WARNING,
            )
        return redirect(reverse("admin:articles_article_change", args=[quote(article.pk)]))

    def _revised_article(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def _render(self, request, template, article, **context):
        return TemplateResponse(
            request,
            f"admin/articles/article/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": article,
                "current_version": article.version,
                "can_restore": self.has_change_permission(request, article),
                **context,
            },
        )


def _version(value):
    """Return a revision number from the query string or form, or None if it is not one."""
    return whole_number(value or "", high=_MOST_VERSIONS)
