"""What the articles app gives the readers' Jinja2 templates: the pages' metadata (canonical
addresses, Open Graph, JSON-LD), machine-readable times and the share links."""

import datetime
import json
from urllib.parse import quote, urlencode

from django.utils import timezone
from django.utils.safestring import mark_safe
from jinja2 import pass_context
from jinja2.ext import Extension

from . import metadata

# Inside <script> only "</script" or "<!--" could end the data early; escaping <, > and &
# makes that impossible whatever a headline says, and JSON parsers read them back unchanged.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_ld(data):
    """Render a ``<script type="application/ld+json">`` that text in ``data`` can't break out of."""
    text = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def machine_time(value):
    """Return a date or time as <time datetime> wants it: ISO 8601, to the second, or ""."""
    # In the current time zone, as the date shown beside it. isoformat() alone gives
    # microseconds when there are any, and HTML allows at most three fractional digits; no
    # page shows anything finer than a minute.
    if isinstance(value, datetime.datetime):
        return timezone.template_localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""


@pass_context
def canonical_url(context, obj=None):
    """Return the page's (or ``obj``'s) absolute canonical address; "" without a request."""
    request = context.get("request")
    return metadata.canonical_url(request, context.get("page"), obj) if request else ""


@pass_context
def article_metadata(context, article):
    """Return the article page's Open Graph pairs and JSON-LD objects."""
    request = context["request"]
    return {
        "open_graph": metadata.article_open_graph(request, article),
        "json_ld": metadata.article_json_ld(request, article),
    }


@pass_context
def website_json_ld(context):
    return metadata.website_json_ld(context["request"])


@pass_context
def share_links(context, article, label):
    """Render plain share links: no third-party script, nothing loads until a reader clicks."""
    url = context["request"].build_absolute_uri(article.get_absolute_url())
    return _share_links(context, url, article.headline, label)


@pass_context
def share_entry_links(context, article, entry):
    """Render the share links of one entry of a live coverage: its own address, its title."""
    url = context["request"].build_absolute_uri(f"{article.get_absolute_url()}#entry-{entry.pk}")
    text = f"{article.headline}: {entry.title}" if entry.title else article.headline
    when = timezone.localtime(entry.published_at).strftime("%H:%M")
    label = f"Share the update of {when}" + (f", {entry.title}" if entry.title else "")
    return _share_links(context, url, text, label)


def _share_links(context, url, text, label):
    links = [
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("X", "https://x.com/intent/post?" + urlencode({"url": url, "text": text})),
        ("Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": f"{text} {url}"})),
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
        ("WhatsApp", "https://wa.me/?" + urlencode({"text": f"{text} {url}"})),
        ("Email", f"mailto:?subject={quote(text)}&body={quote(url)}"),
    ]
    template = context.environment.get_template("articles/_share_links.html")
    return mark_safe(template.render(label=label, links=links))


class ArticlesExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals.update(
            article_metadata=article_metadata,
            canonical_url=canonical_url,
            json_ld=json_ld,
            share_entry_links=share_entry_links,
            share_links=share_links,
            website_json_ld=website_json_ld,
        )
        environment.filters["machine_time"] = machine_time
