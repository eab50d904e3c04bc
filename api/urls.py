"""The content API's addresses, all under /api/v1/ (newsroom/urls.py)."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from caching.pages import cache_for_readers

from . import views, views_partner

app_name = "api"

# Ids are read by the views (newsroom.input.parse_id), not by an <int:> converter: a number
# past 64 bits would reach the database and fail there.
urlpatterns = [
    path("articles/", views.ArticleList.as_view(), name="articles"),
    path("articles/<str:pk>/", views.ArticleDetail.as_view(), name="article"),
    path("articles/<str:pk>/entries/", views.ArticleEntries.as_view(), name="entries"),
    path("articles/<str:pk>/comments/", views.ArticleComments.as_view(), name="comments"),
    path("sections/", views.SectionList.as_view(), name="sections"),
    path("sections/<str:pk>/", views.SectionDetail.as_view(), name="section"),
    path("topics/", views.TopicList.as_view(), name="topics"),
    path("topics/<str:pk>/", views.TopicDetail.as_view(), name="topic"),
    path("authors/", views.AuthorList.as_view(), name="authors"),
    path("authors/<str:pk>/", views.AuthorDetail.as_view(), name="author"),
    # Partners: the change feed, stories as IPTC ninjs, and ingest (api/views_partner.py).
    path("changes/", views_partner.change_feed, name="changes"),
    path("ninjs/articles/<str:pk>/", views_partner.ninjs_article, name="ninjs-article"),
    path("ninjs/entries/<str:pk>/", views_partner.ninjs_entry, name="ninjs-entry"),
    path("ingest/", views_partner.ingest_item, name="ingest"),
    # The schema changes only with a release: shared like a page, and dropped with every page.
    path("schema/", cache_for_readers(SpectacularJSONAPIView.as_view()), name="schema"),
    path("docs/", views.documentation, name="docs"),
]
