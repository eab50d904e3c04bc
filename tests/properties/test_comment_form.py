"""Property 2: a valid comment is stored exactly once, as the form tidies it; anything else
stores nothing and comes back with a clear error and the reader's text kept.

comments/forms.py documents the tidying (``tidy_text``, ``CommentForm.clean_body``): Unicode
NFC, Windows line ends made plain, invisible and control characters dropped (newlines kept
in the comment), spaces trimmed at both ends, runs of blank lines cut to one. ``tidied()``
below restates it, independently, as the expected stored text.
"""

import re
import unicodedata
from html import unescape

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from comments.models import Comment

from .conftest import rolled_back
from .helpers import answer
from .strategies import hostile_text, percent, received, sized_text

pytestmark = pytest.mark.django_db

INVISIBLE = {"Cc", "Cf", "Co", "Cs"}
LIMITS = {"name": 80, "email": 254, "website": 200, "body": 5000, "token": 64, "homepage": 200}
VALID = {
    "name": "Maria Kovalenko",
    "email": "maria@example.org",
    "website": "",
    "body": "A thoughtful comment about the story.",
    "token": "Qx7-tokenFromTheArticlePage_01",
    "parent": "",
    "homepage": "",
}
TEXTAREA = re.compile(r'<textarea name="body"[^>]*>(.*?)</textarea>', re.DOTALL)


def tidied(text, *, keep_newlines):
    """Return the text as the comment form documents it is stored."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n")
    text = "".join(
        c for c in text if (keep_newlines and c == "\n") or unicodedata.category(c) not in INVISIBLE
    )
    text = text.strip()
    return re.sub(r"\n{3,}", "\n\n", text) if keep_newlines else text


def post(client, article, fields):
    # Encoded by hand: the test client's own encoder cannot send invalid UTF-8.
    body = "&".join(f"{name}={percent(value)}" for name, value in fields.items())
    return answer(
        "post",
        f"/comments/post/{article.pk}/",
        client=client,
        data=body.encode(),
        content_type="application/x-www-form-urlencoded",
    )


def _posted_once(client, article, fields, before, response):
    """Post the same form a second time, as a double click does; check it is stored once."""
    first = Comment.objects.get(pk__gt=before)
    # Back at the article, on the page of comments that shows the new one.
    assert re.fullmatch(
        rf"{re.escape(article.get_absolute_url())}(\?cpage=\d+)?#comments?(-{first.pk})?",
        response["Location"],
    )
    again = post(client, article, fields)
    assert again.status_code == 303
    assert again["Location"] == response["Location"]
    assert Comment.objects.filter(pk__gt=before).count() == 1
    return first


def _refused_with_text_kept(response, fields, before):
    assert response.status_code == 400
    assert not Comment.objects.filter(pk__gt=before).exists()
    html = response.content.decode()
    assert 'role="alert"' in html or '-error"' in html
    kept = TEXTAREA.search(html)
    assert kept is not None
    assert unescape(kept.group(1)) == received(fields["body"])


def _last_id():
    return Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# Text the form keeps as it is: visible characters and single blank lines, nothing to trim.
clean_text = (
    st.text(
        st.one_of(st.characters(exclude_categories=INVISIBLE), st.just("\n")),
        min_size=1,
        max_size=300,
    )
    .map(lambda text: tidied(text, keep_newlines=True))
    .filter(lambda text: text and text == tidied(text, keep_newlines=True))
)


@given(name=clean_text.map(lambda text: " ".join(text.split())[:80]), body=clean_text)
def test_clean_text_is_stored_exactly_as_typed_once(posting, name, body):
    article = posting["article"]
    with rolled_back():
        before, client = _last_id(), Client(raise_request_exception=False)
        fields = {**VALID, "name": name or "Maria", "body": body}
        response = post(client, article, fields)
        assert response.status_code == 303, (name, body)
        comment = _posted_once(client, article, fields, before, response)
        assert (comment.name, comment.body) == (name or "Maria", body)


@given(body=st.one_of(hostile_text, sized_text(limits=(LIMITS["body"],))))
def test_any_body_is_stored_once_tidied_or_refused_with_the_text_kept(posting, body):
    article = posting["article"]
    with rolled_back():
        before, client = _last_id(), Client(raise_request_exception=False)
        fields = {**VALID, "body": body}
        response = post(client, article, fields)
        text = received(body)
        stored = tidied(text, keep_newlines=True)
        # As typed and once tidied, the text must fit (NFC can lengthen it).
        fits = max(len(text.strip()), len(stored)) <= LIMITS["body"]
        valid = "\x00" not in text and len(stored) > 0 and fits
        if response.status_code != 303:
            _refused_with_text_kept(response, fields, before)
            assert not valid, "a valid comment was refused"
            return
        assert valid, "an invalid comment was accepted"
        comment = _posted_once(client, article, fields, before, response)
        assert comment.body == stored
        assert len(comment.body) <= LIMITS["body"]


field_value = st.one_of(
    hostile_text,
    st.sampled_from(["", "<comment-id>", "maria@example.org", "https://example.org/"]),
)


@given(
    changed=st.dictionaries(
        st.sampled_from(list(VALID)), st.one_of(field_value, sized_text(limits=(80, 200, 254)))
    )
)
def test_any_form_is_stored_once_or_refused_whole(posting, changed):
    article = posting["article"]
    parent = str(posting["comments"][0].pk)
    fields = {**VALID, **{k: parent if v == "<comment-id>" else v for k, v in changed.items()}}
    with rolled_back():
        before, client = _last_id(), Client(raise_request_exception=False)
        response = post(client, article, fields)
        if response.status_code != 303:
            _refused_with_text_kept(response, fields, before)
            return
        comment = _posted_once(client, article, fields, before, response)
        assert comment.name == tidied(received(fields["name"]), keep_newlines=False)
        assert comment.body == tidied(received(fields["body"]), keep_newlines=True)
        # What is stored fits the columns, whatever the tidying did to its length.
        for name in ["name", "email", "website", "body"]:
            assert len(getattr(comment, name)) <= LIMITS[name], name
