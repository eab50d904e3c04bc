"""Checks that `manage.py check --deploy` runs besides Django's own."""

from django.conf import settings
from django.core import checks


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
