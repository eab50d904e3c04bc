"""What the image library gives the readers' Jinja2 templates: ``picture()`` and the
``responsive_images`` filter."""

from django.utils.safestring import mark_safe
from jinja2.ext import Extension

from .body import BODY_SIZES, responsive_body
from .markup import DEFAULT_SIZES, picture_html


def picture(
    image, ratio=None, sizes=DEFAULT_SIZES, loading="lazy", fetchpriority=None, **attributes
):
    """Render a library image as a responsive <picture>.

    {{ picture(image, ratio="16:9", sizes="(min-width: 60rem) 40rem, 100vw", class="card__image") }}

    ``alt=""`` marks the picture as decoration, where the text beside it says it all.
    """
    css_class = attributes.pop("class", "")
    alt = attributes.pop("alt", None)
    if attributes:
        raise TypeError(f"picture() got unexpected arguments: {', '.join(attributes)}")
    if not image:
        return ""
    return picture_html(
        image,
        ratio=ratio,
        sizes=sizes,
        loading=loading,
        fetchpriority=fetchpriority,
        css_class=css_class,
        alt=alt,
    )


def responsive_images(html, sizes=BODY_SIZES):
    """Turn a sanitised article body's library images into <picture> elements.

    Use after ``safe``: {{ article.body|safe|responsive_images }}. Text not marked safe is
    returned untouched, to be escaped as usual.
    """
    if not hasattr(html, "__html__"):
        return html
    return mark_safe(responsive_body(str(html), sizes=sizes))


class ImagesExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["picture"] = picture
        environment.filters["responsive_images"] = responsive_images
