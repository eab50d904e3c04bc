from django.urls import path

from . import views

app_name = "articles"

# The section routes come last and take whatever top-level slug is left: Section slugs are
# validated against the site's own paths (validators.py), and the project's urls.py mounts
# this module after every fixed path.
urlpatterns = [
    path("", views.front_page, name="front"),
    path("tag/<str:slug>/", views.topic_page, name="topic"),
    path("author/<slug:slug>/", views.author_page, name="author"),
    path("<slug:slug>/", views.section_page, name="section"),
    path(
        "<slug:section>/<int:year>/<int:month>/<int:day>/<slug:slug>/",
        views.article_detail,
        name="detail",
    ),
]
