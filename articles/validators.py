from django.conf import settings
from django.core.exceptions import ValidationError

# Top-level paths the site serves itself; a section page at one of them would be unreachable
# or would hide the site's own page.
RESERVED_PATHS = {
    "admin",
    "author",
    "comments",
    "corrections",
    "favicon.ico",
    "feed",
    "healthz",
    "media",
    "metrics",
    "preview",
    "readyz",
    "robots.txt",
    "search",
    "sitemap.xml",
    "static",
    "tag",
}


def reserved_section_slugs():
    """Return every first path segment that a section slug may not take."""
    configured = {
        url.strip("/").split("/")[0]
        for url in (settings.STATIC_URL, settings.MEDIA_URL)
        if url and not url.startswith(("http://", "https://"))
    }
    return RESERVED_PATHS | {segment.lower() for segment in configured if segment}


def validate_section_slug(value):
    if value.lower() in reserved_section_slugs():
        raise ValidationError(
            "“%(slug)s” is taken by the site's own /%(slug)s/ pages; choose another slug for this "
            "section.",
            code="reserved",
            params={"slug": value},
        )
