"""System checks for settings that only work together."""

from django.conf import settings
from django.core.checks import Error, register

REDIS_CACHE = "newsroom.cache.RedisCache"


@register()
def replicas_need_postgresql_and_redis(app_configs, **kwargs):
    """Refuse read replicas without the services they rely on."""
    if not settings.NEWSROOM_REPLICAS:
        return []
    errors = []
    if settings.CACHES["default"]["BACKEND"] != REDIS_CACHE:
        errors.append(
            Error(
                "DATABASE_REPLICA_URLS needs REDIS_URL.",
                hint="Every app server records there the newest change a replica must hold "
                "before readers' pages are made from it (newsroom/replicas.py).",
                id="newsroom.E001",
            )
        )
    engines = {
        settings.DATABASES[alias]["ENGINE"] for alias in ["default", *settings.NEWSROOM_REPLICAS]
    }
    if engines != {"django.db.backends.postgresql"}:
        errors.append(
            Error(
                "Read replicas are PostgreSQL streaming replicas of a PostgreSQL primary.",
                hint="Set DATABASE_URL and DATABASE_REPLICA_URLS to postgres:// addresses.",
                id="newsroom.E002",
            )
        )
    return errors
