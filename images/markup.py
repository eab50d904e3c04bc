"""The <picture> element for a library image, shared by templates' picture() and article bodies."""

from django.conf import settings
from django.utils.html import format_html, format_html_join

from . import renditions as plans

DEFAULT_SIZES = "100vw"
# Pictures made from an image's rendition index, by everything the markup depends on; a
# listing shows the same few dozen pictures again and again. Emptied past this many.
_MADE = {}
MOST_MADE = 2_000


def _srcset(renditions):
    return ", ".join(f"{rendition.url} {rendition.width}w" for rendition in renditions)


def picture_html(
    image,
    *,
    renditions=None,
    ratio=None,
    sizes=DEFAULT_SIZES,
    loading="lazy",
    fetchpriority=None,
    css_class="",
    alt=None,
):
    """Return a <picture> with WebP and JPEG sources for the image, as safe HTML.

    ``renditions`` defaults to the image's ``rendition_index``, which costs no query. Without
    renditions (not made yet) the original file is shown, so a page never lacks its picture.
    """
    options = (ratio, sizes, loading, fetchpriority, css_class, alt)
    if renditions is None:
        # The address of each file is worked out once, not on every page that shows it.
        index = tuple(tuple(entry.values()) for entry in image.rendition_index)
        # Every storage serves its files at MEDIA_URL; a test, or a CDN, may move it.
        where = settings.MEDIA_URL
        key = (where, image.pk, image.file.name, image.width, image.height, image.alt_text)
        key += (index, options)
        if (made := _MADE.get(key)) is None:
            if len(_MADE) >= MOST_MADE:
                _MADE.clear()
            made = _MADE[key] = _picture(image, image.stored_renditions(), *options)
        return made
    return _picture(image, renditions, *options)


def _picture(image, renditions, ratio, sizes, loading, fetchpriority, css_class, alt):
    jpegs = plans.select(renditions, ratio, "jpeg")
    webps = plans.select(renditions, ratio, "webp")
    if not jpegs and ratio is not None:
        # The crops are still being made: the whole picture is better than none.
        jpegs = plans.select(renditions, None, "jpeg")
        webps = plans.select(renditions, None, "webp")
    if jpegs:
        # The middle width suits browsers that ignore srcset; the largest sets the shape.
        img = {
            "src": jpegs[len(jpegs) // 2].url,
            "srcset": _srcset(jpegs),
            "sizes": sizes,
            "width": jpegs[-1].width,
            "height": jpegs[-1].height,
        }
    else:
        img = {"src": image.file.url, "width": image.width, "height": image.height}
    img |= {
        "alt": image.alt_text if alt is None else alt,
        "loading": loading,
        "decoding": "async",
        "fetchpriority": fetchpriority,
        "class": css_class or None,
    }
    source = ""
    if webps:
        source = format_html(
            '<source type="image/webp" srcset="{}" sizes="{}">', _srcset(webps), sizes
        )
    # format_html escapes every value, the alt text included.
    attributes = format_html_join(
        " ", '{}="{}"', ((name, value) for name, value in img.items() if value is not None)
    )
    return format_html("<picture>{}<img {}></picture>", source, attributes)
