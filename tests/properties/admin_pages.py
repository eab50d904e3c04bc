"""The admin's pages and the parameters they read, taken from the admin site's registry.

A model registered later is covered by itself: its changelist, its filters and its fields,
and every address of its admin that takes a path segment.
"""

import re

from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import URLResolver, reverse
from django.urls.resolvers import RoutePattern

# Django's own changelist parameters: search, order, page, show all, facets, popup, the field a
# popup returns, and the error flag.
CHANGELIST_PARAMETERS = ["q", "o", "p", "all", "_facets", "_popup", "_to_field", "e"]
DATE_PARTS = ["year", "month", "day"]


def registered():
    """Return (label, model admin) for each registered model, in a stable order."""
    return sorted(
        (model._meta.label, model_admin) for model, model_admin in admin.site._registry.items()
    )


def changelist_url(model_admin):
    opts = model_admin.opts
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def list_parameters(model_admin, user):
    """Return every name the changelist reads from its query string, as ``user`` sees it.

    Its filters' parameters, the date hierarchy's, Django's own, and each field of the model,
    with the year of each date: the admin takes any of them as a lookup.
    """
    request = RequestFactory().get(changelist_url(model_admin))
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    names = {name for spec in changelist.filter_specs for name in spec.expected_parameters()}
    if model_admin.date_hierarchy:
        names |= {f"{model_admin.date_hierarchy}__{part}" for part in DATE_PARTS}
    opts = model_admin.opts
    for field in [*opts.concrete_fields, *opts.many_to_many]:
        names.add(field.name)
        if isinstance(field, models.DateField):
            names.add(f"{field.name}__year")
    return sorted(names | set(CHANGELIST_PARAMETERS))


def action_names(model_admin, user):
    request = RequestFactory().get(changelist_url(model_admin))
    request.user = user
    return sorted(model_admin.get_actions(request))


def _routes(patterns, prefix):
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue  # the app index's regex, which reads no segment
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif "<" in route:
            yield re.sub(r"<[^>]+>", "{}", route)


def segment_routes():
    """Return every admin address that reads a path segment, "{}" for each segment."""
    return sorted(set(_routes(admin.site.get_urls(), reverse("admin:index"))))
