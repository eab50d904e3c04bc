from urllib.parse import quote, urlencode

from django import template

register = template.Library()


@register.inclusion_tag("articles/_share_links.html", takes_context=True)
def share_links(context, article, label):
    """Render plain share links: no third-party script, nothing loads until a reader clicks."""
    url = context["request"].build_absolute_uri(article.get_absolute_url())
    text = article.headline
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
