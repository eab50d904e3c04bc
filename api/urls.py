"""The content API's addresses, all under /api/v1/ (newsroom/urls.py)."""

app_name = "api"

urlpatterns = []
