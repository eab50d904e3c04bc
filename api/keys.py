"""Partners' keys: ``Authorization: Bearer <key>`` on any API request.

A request without the header is an anonymous reader's. A header with a key that is wrong,
revoked or expired is refused with 401 rather than served as anonymous: a partner whose key
stopped working should hear so at once, not get silently throttled as a stranger.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db.models import F
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiKey

# How stale the admin's "last used" and "requests" may be: writing them on every request would
# make every partner request a write to one hot row.
USE_RECORDED_EVERY = timedelta(minutes=1)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _, key = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None  # No key (or another scheme): an anonymous reader.
        key = key.strip()
        prefix, dot, _ = key.partition(".")
        if not dot or not prefix:
            raise exceptions.AuthenticationFailed("The API key is not in the right form.")
        found = ApiKey.objects.filter(prefix=prefix).first()
        if found is None or not found.matches(key):
            raise exceptions.AuthenticationFailed("The API key is not known.")
        if found.is_revoked():
            raise exceptions.AuthenticationFailed("The API key has been revoked.")
        if found.is_expired():
            raise exceptions.AuthenticationFailed("The API key has expired.")
        record_use(found)
        return (AnonymousUser(), found)

    def authenticate_header(self, request):
        # Makes DRF answer 401 (with this challenge) rather than 403 when a key is refused.
        return f'{self.keyword} realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the key: HTTP bearer authentication."""

    target_class = ApiKeyAuthentication
    name = "partnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A partner's API key, made by an editor in the admin. Optional for "
            "reading (anonymous readers get a lower rate); required for ingest.",
        }


def _pending_key(api_key):
    return f"api-key-uses:{api_key.pk}"


def record_use(api_key, *, now=None):
    """Count one request made with the key; write the count and the time to its row at most
    once a minute (a conditional update, so two processes never both write)."""
    cache = caches[settings.API_CACHE_ALIAS]
    pending = _pending_key(api_key)
    cache.add(pending, 0, timeout=None)
    try:
        cache.incr(pending)
    except ValueError:  # evicted between add() and incr()
        cache.set(pending, 1, timeout=None)
    now = now or timezone.now()
    if api_key.last_used_at and now - api_key.last_used_at < USE_RECORDED_EVERY:
        return
    uses = cache.get(pending, 0)
    written = ApiKey.objects.filter(pk=api_key.pk, last_used_at=api_key.last_used_at).update(
        use_count=F("use_count") + uses, last_used_at=now
    )
    if written and uses:
        # Requests counted meanwhile stay pending for the next write.
        cache.decr(pending, uses)


def keys_revoke(*, keys):
    """Revoke the given keys that are not revoked yet, from now on; return how many."""
    return keys.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
