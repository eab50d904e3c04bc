"""The article admin's "Lift embargo" page: ending an embargo early is an editor's explicit act,
with a reason kept on record."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from . import services


class LiftEmbargoForm(forms.Form):
    reason = forms.CharField(
        label="Why is the embargo lifted early?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "aria-describedby": "id_reason-help"}),
        help_text="Kept on record with your name and the time, e.g. “The ministry published "
        "the report itself at 9:00”.",
        error_messages={"required": "Say why: the reason is kept on record."},
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason or "\x00" in reason:
            raise forms.ValidationError("Say why: the reason is kept on record.")
        return reason


class EmbargoAdminMixin:
    def get_urls(self):
        return [
            path(
                "<path:object_id>/lift-embargo/",
                self.admin_site.admin_view(self.lift_embargo_view),
                name="articles_article_lift_embargo",
            ),
            *super().get_urls(),
        ]

    def lift_embargo_view(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not (self.has_publish_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        change_url = reverse("admin:articles_article_change", args=[quote(article.pk)])
        if not article.is_embargoed():
            messages.info(request, "This article is not under embargo.")
            return redirect(change_url)
        form = LiftEmbargoForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                services.article_lift_embargo(
                    article=article, user=request.user, reason=form.cleaned_data["reason"]
                )
            except services.NotEmbargoed:
                messages.info(request, "Someone lifted the embargo meanwhile: nothing changed.")
                return redirect(change_url)
            self.log_change(request, article, "Lifted the embargo early.")
            messages.success(request, f"The embargo is lifted: readers can see “{article}” now.")
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Lift the embargo on “{article}”?",
            "opts": self.opts,
            "original": article,
            "form": form,
            "change_url": change_url,
        }
        status = 400 if form.is_bound else 200
        return TemplateResponse(
            request, "admin/articles/article/lift_embargo.html", context, status=status
        )
