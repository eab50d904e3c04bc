from django.utils.functional import SimpleLazyObject

from . import front
from .models import Section


def navigation(request):
    """Give every template the sections for the navigation.

    The QuerySet is lazy: pages that never show the navigation (the admin) never run it.
    """
    return {"nav_sections": Section.objects.in_navigation()}


def breaking_news(request):
    """Give every template the breaking-news banner, or None.

    Lazy too: one query on the pages that show it (jinja2/includes/banner.html), none on
    the others. The front page passes the banner it has read already.
    """
    return {"breaking_news": SimpleLazyObject(front.current_banner)}
