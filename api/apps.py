from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The content API under /api/v1/: stories as data for apps, partners and agencies."""

    name = "api"
    verbose_name = "Content API"

    def ready(self):
        from . import signals  # noqa: F401  (connects the change feed's receivers)
