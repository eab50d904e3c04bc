import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

# A web address up to the next space; trailing punctuation belongs to the sentence.
URL = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)


def _link(match):
    url = match.group(0)
    return f'<a href="{url}" rel="nofollow ugc noopener">{url}</a>'


@register.filter
def comment_body(text):
    """Return a reader's plain text as HTML: escaped, links clickable, line breaks kept."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    html = []
    for paragraph in paragraphs:
        # Escape first, then link: the address is matched in already-escaped text, so
        # nothing the reader typed can close the attribute or the tag.
        linked = URL.sub(_link, escape(paragraph))
        html.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(html))
