"""Response headers that Django has no setting of its own for."""

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed


def permissions_policy(features):
    """Write {"camera": [], "fullscreen": ["self"]} as ``camera=(), fullscreen=(self)``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in features.items())


class PermissionsPolicyMiddleware:
    """Tell browsers which powerful features (camera, location, payment…) no page here uses,
    so a script that got in somehow still cannot ask the reader for them."""

    def __init__(self, get_response):
        if not settings.PERMISSIONS_POLICY:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.header = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
