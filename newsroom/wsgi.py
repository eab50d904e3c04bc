import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

# After the app, before any request (and, under gunicorn, before the workers fork).
from newsroom.warmup import compile_templates  # noqa: E402

compile_templates()
