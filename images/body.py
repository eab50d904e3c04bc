"""Article bodies: library images become responsive <picture> elements when the page renders."""

import re
from html import unescape
from urllib.parse import unquote

from django.conf import settings
from django.db.models import Q

from richtext.sanitize import ATTRIBUTE, IMAGE_TAG

from .markup import picture_html
from .models import Rendition

# The body column is about 42rem wide (--measure in site.css) and full width on phones.
BODY_SIZES = "(min-width: 45rem) 42rem, 100vw"

_RENDITION_PATH = re.compile(r"images/renditions/(\d+)/")


def _library_path(src):
    """Return the storage name an <img src> points to, if it is in the image library."""
    if not src.startswith(settings.MEDIA_URL):
        return None
    path = unquote(src.removeprefix(settings.MEDIA_URL))
    return path if path.startswith("images/") else None


def responsive_body(html, *, sizes=BODY_SIZES):
    """Return sanitised body HTML with each library <img> replaced by a <picture>.

    One query for the whole body, however many images it holds; an <img> that is not from
    the library, or whose image has no renditions yet, is left as the editor placed it.
    """
    found = {}
    for tag in set(IMAGE_TAG.findall(html)):
        attributes = {name: unescape(value) for name, value in ATTRIBUTE.findall(tag)}
        if path := _library_path(attributes.get("src", "")):
            found[tag] = (path, attributes.get("alt"))
    if not found:
        return html
    paths = {path for path, _ in found.values()}
    # A rendition's file names its image's id, even a crop since replaced; an original file
    # is matched by its name.
    image_ids = {path: int(match[1]) for path in paths if (match := _RENDITION_PATH.match(path))}
    renditions = {}
    for rendition in Rendition.objects.select_related("image").filter(
        Q(image__file__in=paths) | Q(image_id__in=image_ids.values())
    ):
        renditions.setdefault(rendition.image_id, []).append(rendition)
    image_ids |= {listed[0].image.file.name: pk for pk, listed in renditions.items()}

    def replace(match):
        tag = match.group(0)
        path, alt = found.get(tag, (None, None))
        image_renditions = renditions.get(image_ids.get(path))
        if not image_renditions:
            return tag
        return picture_html(
            image_renditions[0].image, renditions=image_renditions, sizes=sizes, alt=alt or None
        )

    return IMAGE_TAG.sub(replace, html)
