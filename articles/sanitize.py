"""The allow-list for article bodies, applied on every save whatever the browser sent."""

import re

import nh3

# Paragraphs, sub-headings (the headline is the page's only h1), quotes, lists, links and
# emphasis: what the admin's editor offers, and nothing else.
ALLOWED_TAGS = {"p", "h2", "h3", "blockquote", "ul", "ol", "li", "a", "strong", "em", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)

_EMPTY_PARAGRAPH = re.compile(r"^\s*(<p>\s*(<br>)?\s*</p>\s*)*$")


def sanitize_body(html):
    """Return the body HTML with everything outside the allow-list removed."""
    cleaned = _cleaner.clean(html.replace("\x00", ""))
    # The editor always leaves one empty paragraph; an empty body should be really empty.
    return "" if _EMPTY_PARAGRAPH.match(cleaned) else cleaned.strip()
