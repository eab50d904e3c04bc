import datetime
import json

from django import template
from django.utils.safestring import mark_safe

from .. import metadata

register = template.Library()

# Inside <script> only "</script" or "<!--" could end the data early; escaping <, > and &
# makes that impossible whatever a headline says, and JSON parsers read them back unchanged.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """Render a ``<script type="application/ld+json">`` that text in ``data`` can't break out of."""
    text = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.filter(expects_localtime=True)
def machine_time(value):
    """Return a date or time as <time datetime> wants it: ISO 8601, to the second, or ""."""
    # isoformat() alone gives microseconds when there are any, and HTML allows at most three
    # fractional digits; no page shows anything finer than a minute.
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""


@register.simple_tag(takes_context=True)
def canonical_url(context, obj=None):
    """Return the page's (or ``obj``'s) absolute canonical address; "" without a request."""
    request = context.get("request")
    return metadata.canonical_url(request, context.get("page"), obj) if request else ""


@register.simple_tag(takes_context=True)
def article_metadata(context, article):
    """Return the article page's Open Graph pairs and JSON-LD objects."""
    request = context["request"]
    return {
        "open_graph": metadata.article_open_graph(request, article),
        "json_ld": metadata.article_json_ld(request, article),
    }


@register.simple_tag(takes_context=True)
def website_json_ld(context):
    return metadata.website_json_ld(context["request"])
