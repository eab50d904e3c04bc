import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

# After the app, before any request: each worker starts with the templates compiled.
from newsroom.warmup import compile_templates  # noqa: E402

compile_templates()
