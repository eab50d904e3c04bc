"""Hostile input gets a clear 4xx or is stored harmlessly, and nothing is half-stored."""

from html import unescape

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.factories import comment_form_data, make_comment

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "<a href=\"javascript:alert(1)\" onclick='steal()'>click</a>",
    "</textarea><script>alert(2)</script>",
]


def _post(client, article, data):
    return client.post(reverse("comments:post", args=[article.pk]), data)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_script_payloads_in_name_and_body_are_shown_as_text(client, article, payload):
    data = comment_form_data(client, article, name=f"Eve {payload}", body=f"Look {payload}")
    assert _post(client, article, data).status_code == 303
    comment = Comment.objects.get()
    assert comment.body == f"Look {payload}"  # stored exactly as typed
    comment.status = Comment.Status.APPROVED
    comment.save()
    client.cookies.clear()
    html = client.get(article.get_absolute_url()).content.decode()
    assert payload not in html
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert '<a href="javascript:' not in html
    section = html[html.index('id="comments"') :]
    assert "&lt;" in section


@pytest.mark.parametrize("payload", PAYLOADS)
def test_script_payloads_in_email_and_website_are_refused(client, article, payload):
    for field in ["email", "website"]:
        response = _post(client, article, comment_form_data(client, article, **{field: payload}))
        assert response.status_code == 400, field
        assert payload not in response.content.decode()
    assert not Comment.objects.exists()


def test_javascript_website_is_refused(client, article):
    response = _post(
        client, article, comment_form_data(client, article, website="javascript:alert(1)")
    )
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_huge_body_is_refused_with_the_text_kept(client, article):
    huge = "word " * 20_000
    response = _post(client, article, comment_form_data(client, article, body=huge))
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Ensure this value has at most 5000 characters" in html
    assert huge.strip() in html
    assert not Comment.objects.exists()


@pytest.mark.parametrize("field", ["name", "body"])
def test_nul_bytes_are_refused_clearly(client, article, field):
    response = _post(client, article, comment_form_data(client, article, **{field: "bad\x00text"}))
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
    assert not Comment.objects.exists()


def test_unusual_unicode_is_kept_but_invisible_controls_are_dropped(client, article):
    name = "Zoë \u202eevil\u202c Ngụyễn 李雷 🙂"
    body = "Ça marche — ÅÄÖ, عربى, עברית, emoji 🧪.\u200b\nSecond line"
    assert (
        _post(client, article, comment_form_data(client, article, name=name, body=body)).status_code
        == 303
    )
    comment = Comment.objects.get()
    assert comment.name == "Zoë evil Ngụyễn 李雷 🙂"
    assert comment.body == "Ça marche — ÅÄÖ, عربى, עברית, emoji 🧪.\nSecond line"


@pytest.mark.parametrize("name", ["", "   ", "\u200b\u200b"])
def test_an_empty_or_invisible_name_is_refused(client, article, name):
    response = _post(client, article, comment_form_data(client, article, name=name))
    assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize("token", ["", "short", "x" * 65, "bad token with spaces!!"])
def test_a_damaged_form_token_is_refused(client, article, token):
    response = _post(client, article, comment_form_data(client, article, token=token))
    assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize("parent", ["abc", "-1", "1.5", "9" * 30])
def test_a_garbled_parent_is_refused(client, article, parent):
    response = _post(client, article, comment_form_data(client, article, parent=parent))
    assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize("query", ["?cpage=0", "?cpage=abc", "?cpage=99", "?cpage=" + "9" * 40])
def test_a_comment_page_that_cannot_exist_is_not_found(client, article, query):
    make_comment(article=article)
    assert client.get(article.get_absolute_url() + query).status_code == 404


@pytest.mark.parametrize("query", ["?replytocom=abc", "?replytocom=" + "9" * 40, "?replytocom=-1"])
def test_an_odd_reply_target_is_ignored_and_the_form_starts_a_new_thread(client, article, query):
    make_comment(article=article)
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Leave a Reply</h3>" in html  # not "Leave a Reply to …"
    assert 'name="parent" id="id_parent"' in html and 'name="parent" value=' not in html
