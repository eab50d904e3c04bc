from django.conf import settings

from .models import Section


def site(request):
    """Give every template the site's name and the sections for the navigation.

    The QuerySet is lazy: pages that never show the navigation (the admin) never run it.
    """
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "nav_sections": Section.objects.in_navigation(),
    }
