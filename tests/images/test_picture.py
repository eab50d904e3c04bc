"""picture() renders responsive, stable markup from prefetched renditions."""

import re

import pytest
from django.template import engines

from images.models import Image
from tests.factories import make_image

pytestmark = pytest.mark.django_db

CARD = (
    '{{ picture(image, ratio="16:9", '
    'sizes="(min-width: 60rem) 40rem, 100vw", loading="lazy", class="card__image") }}'
)


def _render(source, **context):
    return engines["jinja2"].from_string(source).render(context)


def _attribute(html, tag, name):
    return re.search(rf"<{tag}\b[^>]*\s{name}=\"([^\"]*)\"", html)[1]


def test_a_16_9_picture_has_webp_and_jpeg_sources_with_sizes(django_assert_num_queries):
    image = Image.objects.with_renditions().get(pk=make_image(size=(2000, 1500)).pk)
    with django_assert_num_queries(0):
        html = _render(CARD, image=image)
    assert html.startswith('<picture><source type="image/webp" srcset="')
    webp = _attribute(html, "source", "srcset")
    assert re.fullmatch(
        r"(/media/images/renditions/\d+/\S+-16x9-w\d+-f500-500\.webp \d+w, )*"
        r"/media/\S+\.webp 1600w",
        webp,
    )
    assert [int(w) for w in re.findall(r" (\d+)w", webp)] == [320, 640, 960, 1280, 1600]
    assert _attribute(html, "source", "sizes") == "(min-width: 60rem) 40rem, 100vw"
    assert _attribute(html, "img", "src").endswith("-16x9-w960-f500-500.jpg")
    assert _attribute(html, "img", "srcset").count(".jpg ") == 5
    assert _attribute(html, "img", "sizes") == "(min-width: 60rem) 40rem, 100vw"
    assert (_attribute(html, "img", "width"), _attribute(html, "img", "height")) == ("1600", "900")
    assert _attribute(html, "img", "loading") == "lazy"
    assert _attribute(html, "img", "decoding") == "async"
    assert _attribute(html, "img", "class") == "card__image"
    assert _attribute(html, "img", "alt") == image.alt_text


def test_the_original_ratio_is_the_default():
    image = make_image(size=(1000, 800))
    html = _render("{{ picture(image) }}", image=image)
    assert (_attribute(html, "img", "width"), _attribute(html, "img", "height")) == ("960", "768")
    assert _attribute(html, "img", "src").endswith("-w640.jpg")
    assert _attribute(html, "img", "sizes") == "100vw"


def test_a_page_of_pictures_costs_one_prefetch_query(django_assert_num_queries):
    for _ in range(3):
        make_image(size=(700, 400))
    with django_assert_num_queries(2):
        images = list(Image.objects.with_renditions())
        html = _render(
            "{% for i in images %}{{ picture(i, ratio='16:9') }}{% endfor %}",
            images=images,
        )
    assert html.count("<picture>") == 3


def test_without_renditions_the_original_file_is_shown_at_its_size():
    image = make_image(size=(640, 480), renditions=False)
    html = _render(CARD, image=image)
    assert "<source" not in html
    assert _attribute(html, "img", "src") == image.file.url
    assert (_attribute(html, "img", "width"), _attribute(html, "img", "height")) == ("640", "480")


def test_alt_text_is_escaped():
    image = make_image(size=(400, 300), alt_text='A "quoted" <b>sign</b> & more')
    html = _render(CARD, image=image)
    assert 'alt="A &quot;quoted&quot; &lt;b&gt;sign&lt;/b&gt; &amp; more"' in html
    assert "<b>" not in html


def test_no_image_renders_nothing():
    assert _render(CARD, image=None) == ""


def test_an_unknown_argument_is_an_error():
    image = make_image(size=(400, 300), renditions=False)
    with pytest.raises(TypeError, match="style"):
        _render("{{ picture(image, style='x') }}", image=image)


def test_the_social_rendition_comes_from_the_prefetch(django_assert_num_queries):
    image = Image.objects.with_renditions().get(pk=make_image(size=(1600, 1000)).pk)
    with django_assert_num_queries(0):
        social = image.social_rendition()
    assert (social.spec, social.format, social.width, social.height) == ("og", "jpeg", 1200, 630)


def test_no_social_rendition_before_the_renditions_are_made():
    assert make_image(size=(1600, 1000), renditions=False).social_rendition() is None
