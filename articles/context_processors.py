from django.utils.functional import SimpleLazyObject

from caching import fragments
from caching.pages import EVERY_PAGE

from . import front
from .models import Section


def navigation(request):
    """Give every template the sections for the navigation.

    Lazy: pages that never show the navigation (the admin) never read it. Readers who share
    pages share it too, stored with the site's key.
    """

    def sections():
        return list(Section.objects.in_navigation())

    return {
        "nav_sections": SimpleLazyObject(
            lambda: fragments.part(request, "navigation", [EVERY_PAGE], sections)
        )
    }


def breaking_news(request):
    """Give every template the breaking-news banner, or None.

    Lazy too: read on the pages that show it (jinja2/includes/banner.html), never on the
    others, and stored like the navigation. The front page passes the banner it has read
    already.
    """
    return {
        "breaking_news": SimpleLazyObject(
            lambda: fragments.part(request, "banner", [EVERY_PAGE], front.current_banner)
        )
    }
