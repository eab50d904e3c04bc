"""The article admin's preview pages: the article as readers would see it, and shareable links."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from newsroom.input import parse_id

from . import preview
from .models import Article
from .views import render_article


class PreviewAdminMixin:
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/preview/",
                view(self.preview_view),
                name="articles_article_preview",
            ),
            path(
                "<path:object_id>/preview-link/",
                view(require_POST(self.preview_link_view)),
                name="articles_article_preview_link",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, *args, **kwargs):
        context["preview_lifetimes"] = preview.LIFETIMES.items()
        return super().render_change_form(request, context, *args, **kwargs)

    def _article(self, request, object_id):
        if (pk := parse_id(object_id)) is None:
            raise Http404("No such article.")
        article = get_object_or_404(Article.objects.for_page(), pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def preview_view(self, request, object_id):
        article = self._article(request, object_id)
        return preview.no_index_no_store(render_article(request, article, preview=True))

    def preview_link_view(self, request, object_id):
        article = self._article(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        try:
            hours = int(request.POST.get("hours", ""))
        except ValueError:
            hours = None
        if hours not in preview.LIFETIMES:
            messages.error(request, "Choose how long the preview link should work.")
            return redirect("admin:articles_article_change", article.pk)
        token = preview.make_token(article, hours=hours)
        link = request.build_absolute_uri(reverse("articles:preview", args=[token]))
        response = TemplateResponse(
            request,
            "admin/articles/article/preview_link.html",
            {
                **self.admin_site.each_context(request),
                "title": "Preview link",
                "opts": self.opts,
                "original": article,
                "link": link,
                "lifetime": preview.LIFETIMES[hours],
            },
        )
        return preview.no_index_no_store(response)
