"""System checks for settings that only work together, and the deploy checks `manage.py check
--deploy` runs besides Django's own."""

from django.conf import settings
from django.core import checks

REDIS_CACHE = "newsroom.cache.RedisCache"


@checks.register()
def replicas_need_postgresql_and_redis(app_configs, **kwargs):
    """Refuse read replicas without the services they rely on."""
    if not settings.NEWSROOM_REPLICAS:
        return []
    errors = []
    if settings.CACHES["default"]["BACKEND"] != REDIS_CACHE:
        errors.append(
            checks.Error(
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
            checks.Error(
                "Read replicas are PostgreSQL streaming replicas of a PostgreSQL primary.",
                hint="Set DATABASE_URL and DATABASE_REPLICA_URLS to postgres:// addresses.",
                id="newsroom.E002",
            )
        )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def two_factor_required(app_configs, **kwargs):
    """Warn when production lets Editors and superusers sign in with a password alone."""
    if settings.PRODUCTION and not settings.NEWSROOM_TWO_FACTOR_REQUIRED:
        return [
            checks.Warning(
                "Two-factor sign-in is not required: an Editor's or a superuser's password "
                "alone opens the admin.",
                hint="Unset DJANGO_TWO_FACTOR_REQUIRED (on in production) or set it to 1.",
                id="newsroom.W001",
            )
        ]
    return []
