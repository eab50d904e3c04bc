from django.urls import path

from . import views, views_replies

app_name = "comments"

urlpatterns = [
    path("post/<int:article_id>/", views.post_comment, name="post"),
    path("report/<int:comment_id>/", views.report_comment, name="report"),
    # The links in reply emails; the token is signed (comments/replies.py).
    path("replies/confirm/<str:token>/", views_replies.confirm, name="replies_confirm"),
    path("replies/mute/<str:token>/", views_replies.mute, name="replies_mute"),
    path("replies/unsubscribe/<str:token>/", views_replies.unsubscribe, name="replies_unsubscribe"),
]
