"""Work done once when the app loads, so that no reader waits for it.

newsroom/wsgi.py calls it as each app server worker loads the site: every worker, and every
worker started again after a reload, begins with the site's templates compiled, instead of
compiling each on the first request that needs it.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines

logger = logging.getLogger(__name__)


def compile_templates():
    """Load every template of this project's own folders (not the admin's) into each
    engine's cache; return the names loaded, and those that would not compile."""
    base = Path(settings.BASE_DIR)
    loaded, broken = [], []
    for engine in engines.all():
        for folder in engine.template_dirs:
            folder = Path(folder)
            if not folder.is_relative_to(base) or ".venv" in folder.parts:
                continue
            for path in folder.rglob("*"):
                if path.suffix not in (".html", ".txt", ".xml") or "admin" in path.parts:
                    continue
                name = str(path.relative_to(folder))
                try:
                    engine.get_template(name)
                except TemplateDoesNotExist:
                    continue
                except TemplateSyntaxError as error:
                    # The page that needs it will fail; the rest of the site serves on.
                    logger.error("Template %s does not compile: %s", name, error)
                    broken.append(name)
                    continue
                loaded.append(name)
    return loaded, broken
