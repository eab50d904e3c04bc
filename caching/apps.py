from django.apps import AppConfig


class CachingConfig(AppConfig):
    """Readers' pages kept whole and dropped by surrogate key; it knows no domain model."""

    name = "caching"
    verbose_name = "Page cache"
