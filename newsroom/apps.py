from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on our site: the sign-in in two steps (newsroom/admin_site.py)."""

    default_site = "newsroom.admin_site.NewsroomAdminSite"
    # Named in INSTALLED_APPS; "newsroom" itself still gets NewsroomConfig.
    default = False


class NewsroomConfig(AppConfig):
    """The project's own cross-cutting pieces: sessions, headers, sign-in limits."""

    name = "newsroom"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers them)
        from .sessions import mark_renewed

        user_logged_in.connect(mark_renewed, dispatch_uid="newsroom-session-renewed")
