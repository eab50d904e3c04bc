from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe


@require_safe
def robots_txt(request):
    """Return robots.txt, naming the sitemaps at the address the crawler used."""
    sitemap_urls = [
        request.build_absolute_uri(reverse(name)) for name in ("sitemap", "sitemap-news")
    ]
    return render(
        request,
        "robots.txt",
        {"sitemap_urls": sitemap_urls},
        content_type="text/plain; charset=utf-8",
    )
