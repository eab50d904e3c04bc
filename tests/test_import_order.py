"""Imports run one way: infrastructure below the domain apps, images and articles at the bottom of
those, comments above articles, the content API above both, the demo content above everything,
newsroom/urls.py on top.

The walk reads every module's source (``ast``), so an import inside a function counts as much as
one at the top of a file. A template may call what another app gives the templates (its Jinja2
extension, named in settings.TEMPLATES) without either app importing the other; that is how the
article page shows its comments.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The project's own packages, each with the packages it may import (beyond itself, the
# standard library and third-party code).
INFRASTRUCTURE = {"newsroom", "caching", "richtext"}
MAY_IMPORT = {
    **dict.fromkeys(INFRASTRUCTURE, INFRASTRUCTURE),
    "images": INFRASTRUCTURE,
    "articles": INFRASTRUCTURE | {"images"},
    "comments": INFRASTRUCTURE | {"images", "articles"},
    "api": INFRASTRUCTURE | {"images", "articles", "comments"},
    "demo": INFRASTRUCTURE | {"images", "articles", "comments", "api"},
}
# The one module that wires every app together.
TOP = {"newsroom/urls.py"}
OURS = set(MAY_IMPORT)


def imported_packages(source, module):
    """Yield (line, package) for each of our packages the source imports.

    ``module`` is the dotted name of the module, to resolve relative imports.
    """
    package = module.split(".")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level]
                names = [".".join([*base, node.module or ""]).strip(".")]
            else:
                names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in OURS:
                yield node.lineno, top


def wrong_way_imports(path, source):
    """Return the imports in one file that run against the order, as readable lines."""
    relative = path.relative_to(ROOT).as_posix()
    owner = relative.split("/")[0]
    if relative in TOP or owner not in MAY_IMPORT:
        return []
    module = relative.removesuffix(".py").replace("/", ".")
    allowed = MAY_IMPORT[owner] | {owner}
    return [
        f"{relative}:{line} imports {package}"
        for line, package in imported_packages(source, module)
        if package not in allowed
    ]


def _project_modules():
    for package in sorted(OURS):
        yield from sorted((ROOT / package).rglob("*.py"))


def test_every_module_imports_only_what_sits_below_it():
    modules = list(_project_modules())
    assert len(modules) > 50  # the walk found the project
    found = [line for path in modules for line in wrong_way_imports(path, path.read_text())]
    assert found == []


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("articles/views.py", "from comments.thread import comments_context"),
        ("articles/views.py", "def f():\n    from comments import models"),
        ("images/body.py", "from articles.models import Article"),
        ("caching/pages.py", "import articles.models"),
        ("newsroom/outage.py", "from comments.views import post_comment"),
        ("richtext/sanitize.py", "from images.models import Image"),
        ("articles/jinja.py", "from ..comments import models"),
    ],
)
def test_an_import_against_the_order_is_caught(path, source):
    assert wrong_way_imports(ROOT / path, source) != []


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("comments/views.py", "from articles.views import render_article"),
        ("articles/admin.py", "from images.markup import picture_html"),
        ("articles/jinja.py", "from . import metadata"),
        ("demo/seed.py", "from comments import policy"),
        ("newsroom/urls.py", "from articles.sitemaps import sitemaps"),
    ],
)
def test_an_import_down_the_order_is_allowed(path, source):
    assert wrong_way_imports(ROOT / path, source) == []
