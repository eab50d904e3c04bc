import copy
import mimetypes
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import feedgenerator

from .models import Article, Author, Section, Topic

ITEMS_PER_FEED = 30
FEED_IMAGE_WIDTH = 1280


class NewsroomAtom1Feed(feedgenerator.Atom1Feed):
    """Atom 1.0 with one ``<author>`` per byline name; Django's writes at most one."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "author_name": None})
        for name in item.get("author_names", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")


class NewsroomRss201rev2Feed(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 that also gives each item's last change, which RSS has no element for."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", feedgenerator.rfc3339_date(item["updateddate"]))


@dataclass(frozen=True)
class FeedScope:
    """What one feed lists, and the host its item guids are minted under."""

    title: str
    link: str
    description: str
    articles: QuerySet
    guid_host: str


def _guid_host(request):
    # The configured site address, not the request's, so that guids stay the same whichever
    # host name a reader or aggregator used to fetch the feed.
    return (
        urlsplit(settings.NEWSROOM_BASE_URL).hostname
        or urlsplit(f"//{request.get_host()}").hostname
    )


def _site_title(subject=None):
    return f"{settings.NEWSROOM_SITE_NAME}: {subject or 'latest news'}"


class LatestArticlesFeed(Feed):
    """RSS 2.0 feed of the newest published articles on the whole site."""

    feed_type = NewsroomRss201rev2Feed
    item_guid_is_permalink = False

    def get_object(self, request):
        return FeedScope(
            title=_site_title(),
            link=reverse("articles:front"),
            description=f"The latest news from {settings.NEWSROOM_SITE_NAME}.",
            articles=Article.objects.published(),
            guid_host=_guid_host(request),
        )

    def title(self, scope):
        return scope.title

    def link(self, scope):
        return scope.link

    def description(self, scope):
        return scope.description

    def items(self, scope):
        return scope.articles.for_feed().order_by("-published_at", "-pk")[:ITEMS_PER_FEED]

    def item_title(self, article):
        return article.headline

    def item_description(self, article):
        return article.standfirst

    def item_author_name(self, article):
        return ", ".join(author.name for author in article.byline) or None

    def item_categories(self, article):
        return [topic.name for topic in article.topics.all()]

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_guid(self, article):
        # A tag URI (RFC 4151) on the primary key: it survives a new slug, section or headline.
        return f"tag:{self._scope.guid_host},{article.published_at:%Y-%m-%d}:article-{article.pk}"

    def item_enclosures(self, article):
        image = article.lead_image
        if image is None:
            return []
        # A JPEG every feed reader can show, at most 1280 px wide; the original until it is made.
        sizes = [r for r in image.renditions_for(None) if r.width <= FEED_IMAGE_WIDTH]
        picked = sizes[-1] if sizes else image.original()
        # The size the rendition was stored with, not the storage's answer: in object storage
        # that would be a request per story. The original's is not kept, and 0 is what RSS
        # asks for when the length is unknown.
        size = picked.file_size or 0
        mime_type = mimetypes.guess_type(picked.name)[0] or "image/jpeg"
        url = self._request.build_absolute_uri(picked.url)
        return [feedgenerator.Enclosure(url, str(size), mime_type)]

    def item_extra_kwargs(self, article):
        return {"author_names": [author.name for author in article.byline]}

    def get_feed(self, obj, request):
        # item_guid() and item_enclosures() need the scope and request, which Django passes
        # only to get_feed(); bind them to a per-request copy, as the Feed instance is shared.
        feed = copy.copy(self)
        feed._scope, feed._request = obj, request
        return super(LatestArticlesFeed, feed).get_feed(obj, request)


class SectionArticlesFeed(LatestArticlesFeed):
    """RSS 2.0 feed of one section's newest published articles."""

    def get_object(self, request, slug):
        section = get_object_or_404(Section, slug=slug)
        return FeedScope(
            title=_site_title(section.name),
            link=section.get_absolute_url(),
            description=section.description or f"The latest {section.name} stories.",
            articles=Article.objects.published().filter(section=section),
            guid_host=_guid_host(request),
        )


class TopicArticlesFeed(LatestArticlesFeed):
    """RSS 2.0 feed of the newest published articles on one topic."""

    def get_object(self, request, slug):
        topic = get_object_or_404(Topic, slug=slug)
        return FeedScope(
            title=_site_title(f"{topic.name} News"),
            link=topic.get_absolute_url(),
            description=topic.description or f"The latest stories about {topic.name}.",
            articles=Article.objects.published().filter(topics=topic),
            guid_host=_guid_host(request),
        )


class AuthorArticlesFeed(LatestArticlesFeed):
    """RSS 2.0 feed of the newest published articles one author has a byline on."""

    def get_object(self, request, slug):
        author = get_object_or_404(Author, slug=slug)
        return FeedScope(
            title=_site_title(author.name),
            link=author.get_absolute_url(),
            description=author.bio or f"The latest stories by {author.name}.",
            articles=Article.objects.published().filter(authors=author),
            guid_host=_guid_host(request),
        )


class AtomFeedMixin:
    feed_type = NewsroomAtom1Feed

    def subtitle(self, scope):
        return scope.description


class LatestArticlesAtomFeed(AtomFeedMixin, LatestArticlesFeed):
    """Atom 1.0 version of LatestArticlesFeed."""


class SectionArticlesAtomFeed(AtomFeedMixin, SectionArticlesFeed):
    """Atom 1.0 version of SectionArticlesFeed."""


class TopicArticlesAtomFeed(AtomFeedMixin, TopicArticlesFeed):
    """Atom 1.0 version of TopicArticlesFeed."""


class AuthorArticlesAtomFeed(AtomFeedMixin, AuthorArticlesFeed):
    """Atom 1.0 version of AuthorArticlesFeed."""
