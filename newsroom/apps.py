from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project's own cross-cutting pieces: sessions, headers, sign-in limits."""

    name = "newsroom"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers them)
        from .sessions import mark_renewed

        user_logged_in.connect(mark_renewed, dispatch_uid="newsroom-session-renewed")
