from django import template
from django.utils.safestring import SafeData, mark_safe

from ..body import BODY_SIZES, responsive_body
from ..markup import DEFAULT_SIZES, picture_html

register = template.Library()


@register.simple_tag
def picture(
    image, ratio=None, sizes=DEFAULT_SIZES, loading="lazy", fetchpriority=None, **attributes
):
    """Render a library image as a responsive <picture>.

    {% picture image ratio="16:9" sizes="(min-width: 60rem) 40rem, 100vw" class="card__image" %}

    ``alt=""`` marks the picture as decoration, where the text beside it says it all.
    """
    css_class = attributes.pop("class", "")
    alt = attributes.pop("alt", None)
    if attributes:
        raise template.TemplateSyntaxError(
            f"{{% picture %}} got unexpected arguments: {', '.join(attributes)}"
        )
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


@register.filter
def responsive_images(html, sizes=BODY_SIZES):
    """Turn a sanitised article body's library images into <picture> elements.

    Use after ``safe``: {{ article.body|safe|responsive_images }}. Text not marked safe is
    returned untouched, to be escaped as usual.
    """
    if not isinstance(html, SafeData):
        return html
    return mark_safe(responsive_body(str(html), sizes=sizes))
