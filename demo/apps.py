from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content: the seed a newcomer sees, and fill_database's generated archive."""

    name = "demo"
    verbose_name = "Demo content"
