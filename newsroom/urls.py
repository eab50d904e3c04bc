from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.core.files.storage import FileSystemStorage
from django.urls import include, path
from django.utils.module_loading import import_string

from articles.cache_keys import SITEMAPS
from articles.sitemaps import news_sitemaps, sitemaps
from caching.pages import EVERY_PAGE, cache_tagged
from newsroom.robots import robots_txt

admin.site.site_header = f"{settings.NEWSROOM_SITE_NAME} administration"
admin.site.site_title = settings.NEWSROOM_SITE_NAME
admin.site.index_title = "Newsroom desk"

urlpatterns = [
    path(settings.NEWSROOM_ADMIN_PATH, admin.site.urls),
    path("comments/", include("comments.urls")),
    path("api/v1/", include("api.urls")),
    path("robots.txt", cache_tagged(robots_txt, EVERY_PAGE), name="robots"),
    path(
        "sitemap.xml",
        cache_tagged(sitemap_views.index, SITEMAPS),
        {"sitemaps": {**sitemaps, **news_sitemaps}, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    # Before the generic route, whose pattern matches this path too; the index reverses that
    # route's name for "news" and gets this address.
    path(
        "sitemap-news.xml",
        cache_tagged(sitemap_views.sitemap, SITEMAPS),
        {"sitemaps": news_sitemaps, "section": "news", "template_name": "sitemaps/news.xml"},
        name="sitemap-news",
    ),
    path(
        "sitemap-<section>.xml",
        cache_tagged(sitemap_views.sitemap, SITEMAPS),
        {"sitemaps": sitemaps},
        name="sitemap-section",
    ),
    path("", include("articles.urls")),
]

# Local development only, with the files on this machine's disk: in production the web server
# or the CDN in front of the object storage serves them (static() adds nothing unless DEBUG).
if issubclass(import_string(settings.STORAGES["default"]["BACKEND"]), FileSystemStorage):
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A database outage that surfaces outside a view (saving the session, say) still gets the 503
# page; any other error gets the 500 page (newsroom/outage.py).
handler500 = "newsroom.outage.server_error"
