"""The reader's own address, when the site sits behind proxies of ours (Varnish, a load balancer).

Behind a proxy, REMOTE_ADDR is the proxy's address: every reader would share one comment rate
limit and one admin login limit. Each proxy appends the address it received the request from
to X-Forwarded-For, so reading that list from the right and skipping our own proxies finds the
first address we did not put there. Anything further left was written by the client and proves
nothing.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def networks(values, *, setting):
    """Return the networks named by addresses or networks written as text (e.g. "10.0.0.0/8");
    refuse to start on one that is neither, naming the setting to fix."""
    try:
        return [ipaddress.ip_network(value, strict=False) for value in values]
    except ValueError as error:
        raise ImproperlyConfigured(f"{setting}: {error}") from error


def is_within(text, trusted):
    """Return True if the address written in ``text`` is in one of the networks."""
    address = _address(text)
    if address is None:
        return False
    # An IPv4 client of a server listening on IPv6 shows as ::ffff:a.b.c.d.
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in trusted)


def client_address(remote_addr, forwarded_for, trusted):
    """Return the address of the nearest client that is not one of the ``trusted`` networks."""
    nearest = _address(remote_addr)
    hops = [hop for hop in forwarded_for.split(",") if hop.strip()]
    while nearest is not None and any(nearest in network for network in trusted) and hops:
        previous = _address(hops.pop())
        if previous is None:
            break  # A malformed entry: stop at the last proxy we trust.
        nearest = previous
    return str(nearest) if nearest is not None else remote_addr


class ClientAddressMiddleware:
    """Put the reader's address in REMOTE_ADDR when the request came through our proxies."""

    def __init__(self, get_response):
        if not settings.NEWSROOM_TRUSTED_PROXIES:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.trusted = networks(settings.NEWSROOM_TRUSTED_PROXIES, setting="DJANGO_TRUSTED_PROXIES")

    def __call__(self, request):
        request.META["REMOTE_ADDR"] = client_address(
            request.META.get("REMOTE_ADDR", ""),
            request.META.get("HTTP_X_FORWARDED_FOR", ""),
            self.trusted,
        )
        return self.get_response(request)
