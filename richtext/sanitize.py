"""The allow-list for article bodies, applied on every save whatever the browser sent."""

import re

import nh3
from django.conf import settings

# Paragraphs, sub-headings (the headline is the page's only h1), quotes, lists, links,
# emphasis and figures: what the admin's editor offers, and nothing else.
ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "br",
    "figure",
    "figcaption",
    "img",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def is_own_media(url):
    """Return True if the address is a file in our media storage, with no way out of it."""
    return (
        url.startswith(settings.MEDIA_URL)
        and not url.startswith("//")
        and ".." not in url
        and "\\" not in url
    )


def _filter_attribute(tag, name, value):
    if tag != "img":
        return value
    if name == "src":
        # Images from other hosts would tell them who reads what; data: URLs bypass the
        # library's checks. Only files we stored ourselves may appear in a body.
        return value if is_own_media(value) else None
    if name in ("width", "height"):
        return value if value.isdigit() else None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)

_EMPTY_PARAGRAPH = re.compile(r"^\s*(<p>\s*(<br>)?\s*</p>\s*)*$")
# nh3 serialises every attribute as name="value" with quotes escaped, so these are exact.
IMAGE_TAG = re.compile(r"<img\b[^>]*>")
ATTRIBUTE = re.compile(r'\s([\w-]+)="([^"]*)"')


def _drop_sourceless_image(match):
    # An <img> whose src the filter removed would only show a broken-image icon.
    names = {name for name, _ in ATTRIBUTE.findall(match.group(0))}
    return match.group(0) if "src" in names else ""


def sanitize_body(html):
    """Return the body HTML with everything outside the allow-list removed."""
    cleaned = IMAGE_TAG.sub(_drop_sourceless_image, _cleaner.clean(html.replace("\x00", "")))
    # The editor always leaves one empty paragraph; an empty body should be really empty.
    return "" if _EMPTY_PARAGRAPH.match(cleaned) else cleaned.strip()
