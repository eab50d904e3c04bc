"""The exact inputs the properties found, kept as plain tests."""

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment, CommentReport

from .helpers import answer
from .test_comment_form import VALID, post

pytestmark = pytest.mark.django_db

THOUSANDS_OF_DIGITS = "9" * 4301


@pytest.mark.parametrize(
    "url",
    [
        "/world/?page=" + "0" * 4301,
        f"/world/?page={THOUSANDS_OF_DIGITS}",
        f"/tag/climate/?page={THOUSANDS_OF_DIGITS}",
        f"/author/ada-reporter/?page={THOUSANDS_OF_DIGITS}",
        f"/corrections/?page={THOUSANDS_OF_DIGITS}",
        f"/search/?q=glacier&page={THOUSANDS_OF_DIGITS}",
    ],
)
def test_a_page_number_of_thousands_of_digits_is_a_404(site, url):
    # Was a 500: the page-number helper read it with int(), which refuses over 4300 digits.
    assert answer("get", url).status_code == 404


def test_page_numbers_with_leading_zeros_still_work(site):
    assert "Page 2 of 3" in answer("get", "/world/?page=0002").content.decode()


@pytest.mark.parametrize(("field", "character"), [("name", "\ufb2c"), ("body", "\u0958")])
def test_a_text_that_normalisation_lengthens_past_its_limit_is_refused(posting, field, character):
    # U+FB2C is three characters once NFC-normalised, U+0958 two: 80 of the first in the name
    # was a 500 on PostgreSQL (varchar(80)); on SQLite a 240-character name was stored.
    limit = {"name": 80, "body": 5000}[field]
    text = character * limit
    response = post(
        Client(raise_request_exception=False), posting["article"], {**VALID, field: text}
    )
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert f"Ensure this value has at most {limit} characters" in html
    assert text in html
    assert not Comment.objects.filter(article=posting["article"], status="pending").exists()


@pytest.mark.parametrize("cpage", ["9" * 30, THOUSANDS_OF_DIGITS])
def test_a_comment_page_far_past_the_end_is_a_404(site, cpage):
    url = f"{site['article'].get_absolute_url()}?cpage={cpage}"
    assert answer("get", url).status_code == 404


def test_a_reply_link_to_thousands_of_digits_shows_the_article(site):
    url = f"{site['article'].get_absolute_url()}?replytocom={THOUSANDS_OF_DIGITS}"
    assert answer("get", url).status_code == 200


def test_a_form_with_a_parent_of_thousands_of_digits_is_refused_with_the_text_kept(posting):
    fields = {**VALID, "parent": "0" * 4301, "body": "Keep this text."}
    response = post(Client(raise_request_exception=False), posting["article"], fields)
    assert response.status_code == 400
    assert "Keep this text." in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/tag/%00/",
        "/tag/%00/feed/",
        "/tag/%00/feed/atom/",
        "/tag/clim%00ate/",
    ],
)
def test_a_nul_in_a_topic_address_is_a_404(site, url):
    # Was a 500 on PostgreSQL, which refuses a NUL in a query parameter.
    assert answer("get", url).status_code == 404


def test_a_nul_in_the_search_section_filter_finds_nothing(site):
    # Was a 500 on PostgreSQL, as above.
    response = answer("get", "/search/?q=glacier&section=wor%00ld")
    assert response.status_code == 200
    assert '<li class="search-result">' not in response.content.decode()
    assert '<li class="search-result">' in answer("get", "/search/?q=glacier").content.decode()


def test_a_report_that_normalisation_lengthens_past_its_limit_is_refused(site):
    # The report's text is tidied (NFC) after its length check, as comments were: 500 × U+FB2C
    # became 1,500 characters for a varchar(500) column.
    comment = Comment.objects.filter(article=site["article"], status="approved").first()
    url = reverse("comments:report", args=[comment.pk])
    response = answer("post", url, data={"reason": "other", "text": "\ufb2c" * 500})
    assert response.status_code == 400
    assert "Ensure this value has at most 500 characters" in unescape(response.content.decode())
    assert not CommentReport.objects.exists()
