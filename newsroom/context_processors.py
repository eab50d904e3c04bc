from django.conf import settings


def site(request):
    """Give every template the site's name."""
    return {"site_name": settings.NEWSROOM_SITE_NAME}
