from .models import Section


def navigation(request):
    """Give every template the sections for the navigation.

    The QuerySet is lazy: pages that never show the navigation (the admin) never run it.
    """
    return {"nav_sections": Section.objects.in_navigation()}
