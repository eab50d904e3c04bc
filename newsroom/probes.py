"""The operators' addresses, /healthz, /readyz and /metrics, answered above the site's stack.

Load balancers, Varnish's probes and Prometheus ask an app server directly, by its address:
their requests name an IP address as Host, which ALLOWED_HOSTS refuses, and speak plain HTTP,
which production redirects to HTTPS. Answered here, before either check (and before the page
cache, which would look the address up in Redis), they get the real answer, which is the
same whatever the Host and never stored: no cache can be poisoned with it.
"""

from django.conf import settings
from django.http import HttpResponseNotAllowed

from . import metrics, scrape
from .health import healthz, no_store, readyz
from .proxies import networks

METRICS_PATH = "/metrics"
METHODS = ("GET", "HEAD")


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Parsed once, as the app loads: a mistyped address stops it from starting.
        allowed, trusted = settings.NEWSROOM_METRICS_ALLOWED, settings.NEWSROOM_TRUSTED_PROXIES
        self.allowed = networks(allowed, setting="DJANGO_METRICS_ALLOWED")
        self.trusted = networks(trusted, setting="DJANGO_TRUSTED_PROXIES")
        self.scrape = scrape.metrics_view()
        self.answers = {"/healthz": healthz, "/readyz": readyz, METRICS_PATH: self.metrics}

    def __call__(self, request):
        answer = self.answers.get(request.path_info)
        if answer is None:
            return self.get_response(request)
        metrics.answered_by(request, request.path_info.lstrip("/"))
        if request.method not in METHODS:
            return no_store(HttpResponseNotAllowed(METHODS))
        response = answer(request)
        if request.method == "HEAD":
            response.content = b""
        return response

    def metrics(self, request):
        if not scrape.may_read(request, allowed=self.allowed, trusted=self.trusted):
            return scrape.refused()
        return no_store(self.scrape(request))
