from urllib.parse import quote, urlencode

from django import template
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("articles/_share_links.html", takes_context=True)
def share_links(context, article, label):
    """Render plain share links: no third-party script, nothing loads until a reader clicks."""
    url = context["request"].build_absolute_uri(article.get_absolute_url())
    return _links(url, article.headline, label)


@register.inclusion_tag("articles/_share_links.html", takes_context=True)
def share_entry_links(context, article, entry):
    """Render the share links of one entry of a live coverage: its own address, its title."""
    url = context["request"].build_absolute_uri(f"{article.get_absolute_url()}#entry-{entry.pk}")
    text = f"{article.headline}: {entry.title}" if entry.title else article.headline
    when = timezone.localtime(entry.published_at).strftime("%H:%M")
    label = f"Share the update of {when}" + (f", {entry.title}" if entry.title else "")
    return _links(url, text, label)


def _links(url, text, label):
    return {
        "label": label,
        "links": [
            ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
            ("X", "https://x.com/intent/post?" + urlencode({"url": url, "text": text})),
            ("Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": f"{text} {url}"})),
            (
                "LinkedIn",
                "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
            ),
            ("WhatsApp", "https://wa.me/?" + urlencode({"text": f"{text} {url}"})),
            ("Email", f"mailto:?subject={quote(text)}&body={quote(url)}"),
        ],
    }
