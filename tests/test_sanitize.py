"""Whatever the browser sends, the stored body holds only the allowed tags."""

import pytest
from django.urls import reverse

from articles.models import Article
from richtext.sanitize import sanitize_body
from tests.articles.test_admin import _article_form
from tests.factories import make_article, make_section

HOSTILE = [
    ("<p>Hi<script>alert(1)</script></p>", "<p>Hi</p>"),
    ('<p onclick="steal()">Click</p>', "<p>Click</p>"),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<p style="position:fixed;top:0">Overlay</p>', "<p>Overlay</p>"),
    ("<style>body{display:none}</style><p>Text</p>", "<p>Text</p>"),
    ('<img src=x onerror="alert(1)"><p>After</p>', "<p>After</p>"),
    ('<iframe src="https://evil.example"></iframe><p>Ok</p>', "<p>Ok</p>"),
    ("<svg><script>alert(1)</script></svg>", ""),
    ('<form action="/x"><input name="q"></form>', ""),
    ("<p>Null\x00byte</p>", "<p>Nullbyte</p>"),
    ("<h1>Big</h1><h4>Small</h4>", "BigSmall"),
    ("<!-- secret --><p>Shown</p>", "<p>Shown</p>"),
    ("<p></p>", ""),
]

ALLOWED = (
    "<p>Lead with <strong>bold</strong> and <em>italic</em>.</p><h2>Sub</h2><h3>Minor</h3>"
    "<blockquote><p>Quote</p></blockquote><ul><li>One</li></ul><ol><li>Two</li></ol>"
    '<p><a href="https://example.org/report" rel="noopener noreferrer">report</a></p>'
)


@pytest.mark.parametrize(("dirty", "clean"), HOSTILE)
def test_hostile_markup_is_removed(dirty, clean):
    assert sanitize_body(dirty) == clean


def test_the_editors_own_markup_survives_unchanged():
    assert sanitize_body(ALLOWED) == ALLOWED


@pytest.mark.django_db
def test_save_cleans_the_body_whatever_path_it_comes_by():
    article = make_article(body='<p onmouseover="x()">Hi</p><script>alert(1)</script>')
    article.refresh_from_db()
    assert article.body == "<p>Hi</p>"


@pytest.mark.django_db
def test_admin_post_with_a_forged_body_stores_it_clean(editor_client, client):
    forged = (
        '<p>Real text</p><script>document.location="https://evil.example"</script>'
        '<a href="javascript:alert(1)" onclick="x()">link</a><p style="color:red">red</p>'
    )
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        _article_form(make_section(), body=forged, status="published"),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    for bad in ("<script", "javascript:", "onclick", "style="):
        assert bad not in article.body
    html = client.get(article.get_absolute_url()).content.decode()
    assert "evil.example" not in html
    assert "<p>Real text</p>" in html
