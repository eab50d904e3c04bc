import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

# After the app, before any request: each worker starts with the templates compiled and the
# URL patterns loaded, then sets all of it aside from the garbage collector (newsroom/warmup.py).
from django.urls import get_resolver  # noqa: E402

from newsroom.warmup import compile_templates, freeze_loaded_objects  # noqa: E402

compile_templates()
get_resolver().resolve("/")
freeze_loaded_objects()
