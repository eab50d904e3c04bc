"""Body images: only our own media survive sanitising, and library ones render responsively."""

import pytest
from django.template import engines

from images.body import responsive_body
from richtext.sanitize import sanitize_body
from tests.factories import make_article, make_image

FIGURE = (
    '<figure><img src="/media/images/2026/01/flood.jpg" alt="Flooded street" width="1600" '
    'height="900"><figcaption>Water reached the first floor.</figcaption></figure>'
)


def test_a_library_figure_survives_sanitising():
    assert sanitize_body(FIGURE) == FIGURE


def test_the_editors_figure_markup_is_reduced_to_the_allow_list():
    sent = (
        '<figure class="figure"><img src="/media/images/a.jpg" alt="A" data-file="3" '
        'style="border:0"><figcaption class="figure-caption">Cap</figcaption></figure>'
    )
    assert sanitize_body(sent) == (
        '<figure><img src="/media/images/a.jpg" alt="A"><figcaption>Cap</figcaption></figure>'
    )


@pytest.mark.parametrize(
    "src",
    [
        "https://tracker.example/pixel.gif",
        "//tracker.example/media/images/a.jpg",
        "http://127.0.0.1/media/images/a.jpg",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript:alert(1)",
        "/static/img/logo.png",
        "/media/../admin/",
        "x",
    ],
)
def test_images_from_anywhere_else_are_removed(src):
    assert sanitize_body(f'<p>Before</p><img src="{src}" alt="x"><p>After</p>') == (
        "<p>Before</p><p>After</p>"
    )


def test_event_handlers_and_bad_sizes_are_stripped_from_a_library_image():
    assert (
        sanitize_body('<img src="/media/images/a.jpg" onerror="alert(1)" width="100%" height="9">')
        == '<img src="/media/images/a.jpg" height="9">'
    )


@pytest.mark.django_db
def test_an_article_keeps_its_library_figure_when_saved():
    article = make_article(body=f"<p>Intro</p>{FIGURE}<script>x()</script>")
    article.refresh_from_db()
    assert article.body == f"<p>Intro</p>{FIGURE}"


@pytest.mark.django_db
def test_library_images_become_pictures_in_one_query(django_assert_num_queries):
    by_original = make_image(size=(1600, 900), alt_text="Library alt")
    by_rendition = make_image(size=(1000, 1000))
    rendition = by_rendition.renditions.get(spec="w640", format="jpeg")
    body = sanitize_body(
        f'<figure><img src="{by_original.file.url}" alt="Editor’s alt"></figure>'
        f'<p>Middle</p><figure><img src="{rendition.url}" alt=""></figure>'
        '<img src="/media/authors/someone.jpg" alt="Not in the library">'
        '<img src="/media/images/2020/01/gone.jpg" alt="Deleted long ago">'
    )
    with django_assert_num_queries(1):
        html = responsive_body(body)
    assert html.count("<picture>") == 2
    assert 'alt="Editor’s alt"' in html
    # An empty alt in the body falls back to the library's description.
    assert f'alt="{by_rendition.alt_text}"' in html
    assert '<source type="image/webp"' in html
    assert 'sizes="(min-width: 45rem) 42rem, 100vw"' in html
    assert 'width="1600" height="900"' in html
    assert '<img src="/media/authors/someone.jpg" alt="Not in the library">' in html
    assert '<img src="/media/images/2020/01/gone.jpg" alt="Deleted long ago">' in html
    assert "<p>Middle</p>" in html


@pytest.mark.django_db
def test_a_body_without_library_images_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert responsive_body("<p>Just words.</p>") == "<p>Just words.</p>"


@pytest.mark.django_db
def test_the_filter_rewrites_safe_bodies_and_escapes_anything_else():
    image = make_image(size=(800, 600))
    body = f'<figure><img src="{image.file.url}" alt="A"></figure>'
    template = engines["jinja2"].from_string(
        "{{ body|safe|responsive_images }}|{{ body|responsive_images }}"
    )
    trusted, untrusted = template.render({"body": body}).split("|")
    assert trusted.startswith("<figure><picture><source")
    assert untrusted.startswith("&lt;figure&gt;&lt;img")
