from django.urls import path, register_converter

from caching.pages import cache_tagged

from . import cache_keys, feeds, views, views_live

app_name = "articles"


class TopicSlugConverter:
    """A topic's slug keeps its accents ("côte-divoire"), so any text but a slash; never a NUL,
    which no slug holds and PostgreSQL refuses in a query."""

    regex = "[^/\x00]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TopicSlugConverter, "topic")


# The section routes come last and take whatever top-level slug is left: Section slugs are
# validated against the site's own paths (validators.py), and the project's urls.py mounts
# this module after every fixed path. The site feed comes before them, so that "feed/" is never
# read as a section.
def _feed(feed):
    return cache_tagged(feed, cache_keys.FEEDS)


urlpatterns = [
    path("", views.front_page, name="front"),
    path("feed/", _feed(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", _feed(feeds.LatestArticlesAtomFeed()), name="feed_atom"),
    path("tag/<topic:slug>/", views.topic_page, name="topic"),
    path("tag/<topic:slug>/feed/", _feed(feeds.TopicArticlesFeed()), name="topic_feed"),
    path(
        "tag/<topic:slug>/feed/atom/", _feed(feeds.TopicArticlesAtomFeed()), name="topic_feed_atom"
    ),
    path("author/<slug:slug>/", views.author_page, name="author"),
    path("author/<slug:slug>/feed/", _feed(feeds.AuthorArticlesFeed()), name="author_feed"),
    path(
        "author/<slug:slug>/feed/atom/",
        _feed(feeds.AuthorArticlesAtomFeed()),
        name="author_feed_atom",
    ),
    path("search/", views.search, name="search"),
    path("corrections/", views.corrections, name="corrections"),
    path("preview/<str:token>/", views.shared_preview, name="preview"),
    path("<slug:slug>/", views.section_page, name="section"),
    path("<slug:slug>/feed/", _feed(feeds.SectionArticlesFeed()), name="section_feed"),
    path(
        "<slug:slug>/feed/atom/", _feed(feeds.SectionArticlesAtomFeed()), name="section_feed_atom"
    ),
    path(
        "<slug:section>/<int:year>/<int:month>/<int:day>/<slug:slug>/",
        views.article_detail,
        name="detail",
    ),
    path(
        "<slug:section>/<int:year>/<int:month>/<int:day>/<slug:slug>/updates/",
        views_live.live_updates,
        name="live_updates",
    ),
]
