from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from .models import Article, Author, Section, Topic

# Google News only takes stories from the last two days, and at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


def _latest_published_at(**relation):
    """Return a subquery for the publish time of the newest published article matching relation."""
    return Subquery(
        Article.objects.published()
        .filter(**relation)
        .order_by("-published_at")
        .values("published_at")[:1]
    )


class ArticleSitemap(Sitemap):
    def items(self):
        return (
            Article.objects.published()
            .select_related("section")
            .only("slug", "published_at", "created_at", "updated_at", "section__slug")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # The default would load every article to take the max.
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class _LatestArticleSitemap(Sitemap):
    """Give each item the publish time of its newest published article as lastmod."""

    def lastmod(self, item):
        return item.latest_published_at

    def get_latest_lastmod(self):
        return Article.objects.published().aggregate(latest=Max("published_at"))["latest"]


class SectionSitemap(_LatestArticleSitemap):
    def items(self):
        return Section.objects.annotate(
            latest_published_at=_latest_published_at(section=OuterRef("pk"))
        ).order_by("position", "name")


class TopicSitemap(_LatestArticleSitemap):
    def items(self):
        return (
            Topic.objects.annotate(latest_published_at=_latest_published_at(topics=OuterRef("pk")))
            .filter(latest_published_at__isnull=False)
            .order_by("name")
        )


class AuthorSitemap(_LatestArticleSitemap):
    def items(self):
        return (
            Author.objects.annotate(
                latest_published_at=_latest_published_at(authors=OuterRef("pk"))
            )
            .filter(latest_published_at__isnull=False)
            .order_by("name", "pk")
        )


class NewsSitemap(Sitemap):
    """List the last two days' articles with the fields of a Google News sitemap."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .select_related("section")
            .only("slug", "headline", "published_at", "created_at", "section__slug")
            .order_by("-published_at", "-pk")[:NEWS_LIMIT]
        )

    def get_latest_lastmod(self):
        return Article.objects.published().aggregate(latest=Max("published_at"))["latest"]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        name = settings.NEWSROOM_SITE_NAME
        # Google wants an ISO 639 code: "en", not "en-gb".
        language = settings.LANGUAGE_CODE.split("-")[0].lower()
        for url in urls:
            article = url["item"]
            url["news"] = {
                "name": name,
                "language": language,
                "publication_date": timezone.localtime(article.published_at).isoformat(
                    timespec="seconds"
                ),
                "title": article.headline,
            }
        return urls


sitemaps = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "topics": TopicSitemap,
    "authors": AuthorSitemap,
}
news_sitemaps = {"news": NewsSitemap}
