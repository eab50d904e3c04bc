from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe


@require_safe
def robots_txt(request):
    """Return robots.txt, naming the sitemaps at the address the crawler used."""
    sitemap_urls = [
        request.build_absolute_uri(reverse(name)) for name in ("sitemap", "sitemap-news")
    ]
    # A moved admin (DJANGO_ADMIN_PATH) stays out of this public file, which would name it.
    admin_is_public = settings.NEWSROOM_ADMIN_PATH == "admin/"
    return render(
        request,
        "robots.txt",
        {"sitemap_urls": sitemap_urls, "admin_is_public": admin_is_public},
        content_type="text/plain; charset=utf-8",
    )
