from django.urls import path

from . import views, views_links

app_name = "comments"

urlpatterns = [
    path("post/<int:article_id>/", views.post_comment, name="post"),
    path("report/<int:comment_id>/", views.report_comment, name="report"),
    # The links in the emails to commenters; each token is signed (replies.py, reasons.py).
    path("replies/confirm/<str:token>/", views_links.confirm, name="replies_confirm"),
    path("replies/mute/<str:token>/", views_links.mute, name="replies_mute"),
    path("replies/unsubscribe/<str:token>/", views_links.unsubscribe, name="replies_unsubscribe"),
    path("review/<str:token>/", views_links.review, name="review"),
]
