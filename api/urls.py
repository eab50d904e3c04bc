"""The content API's addresses, all under /api/v1/ (newsroom/urls.py)."""

from django.urls import path

from . import views_partner

app_name = "api"

urlpatterns = [
    # Partners: the change feed, stories as IPTC ninjs, and ingest (api/views_partner.py).
    path("changes/", views_partner.change_feed, name="changes"),
    path("ninjs/articles/<int:pk>/", views_partner.ninjs_article, name="ninjs-article"),
    path("ninjs/entries/<int:pk>/", views_partner.ninjs_entry, name="ninjs-entry"),
    path("ingest/", views_partner.ingest_item, name="ingest"),
]
