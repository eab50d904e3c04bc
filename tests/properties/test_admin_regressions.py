"""The exact staff inputs that were 500s, kept as plain tests, and the checks behind them."""

from html import unescape

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from comments.models import Comment
from newsroom.admin_input import CheckedInputAdmin
from newsroom.input import parse_id, whole_number

from .helpers import answer, answer_to

pytestmark = pytest.mark.django_db

PAST_ANY_ID = "99999999999999999999999"
PAST_ANY_YEAR = "99999999999"


def test_every_registered_admin_checks_its_input():
    unchecked = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, CheckedInputAdmin)
    ]
    assert not unchecked, f"Put CheckedInputAdmin first in the bases of: {unchecked}"


@pytest.mark.parametrize(
    "query",
    [
        f"/admin/articles/article/?section={PAST_ANY_ID}",
        f"/admin/articles/article/?topics={PAST_ANY_ID}",
        f"/admin/articles/article/?published_at__year={PAST_ANY_YEAR}",
        "/admin/articles/article/?published_at__year=9999",
        "/admin/articles/article/?published_at__year=9999&published_at__month=12",
        f"/admin/articles/article/?published_at__year=2024&published_at__month={PAST_ANY_YEAR}",
        f"/admin/articles/article/?created_at__year={PAST_ANY_YEAR}",
        "/admin/articles/article/?created_at__year=0",
        f"/admin/comments/comment/?article={PAST_ANY_ID}",
        f"/admin/comments/comment/?created_at__year={PAST_ANY_YEAR}",
        f"/admin/comments/comment/?decided_at__year={PAST_ANY_YEAR}",
        "/admin/comments/comment/?status=a%00b",
        "/admin/comments/comment/?policy_reasons=a%00b",
        f"/admin/images/image/?created_at__year={PAST_ANY_YEAR}",
        f"/admin/auth/user/?groups={PAST_ANY_ID}",
    ],
)
def test_a_filter_no_item_can_match_is_a_400_that_says_so(staff, query):
    # Each was a 500 on SQLite, PostgreSQL or both (a year or a NUL on both).
    response = answer("get", query, client=staff["clients"]["superuser"])
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "This list cannot be shown with the filters in its address" in html
    assert f'href="{query.partition("?")[0]}"' in html


def test_a_filter_django_already_refused_now_says_so_too(staff):
    # Django sent the editor to the bare list, "?e=1", without a word.
    response = answer(
        "get", "/admin/articles/article/?no_such_field=1", client=staff["clients"]["superuser"]
    )
    assert response.status_code == 400


def test_a_regular_expression_from_the_address_is_refused(staff):
    # Was a 503 on SQLite (its error looked like an outage) and a 500 on PostgreSQL.
    url = "/admin/articles/article/?headline__regex=("
    assert answer("get", url, client=staff["clients"]["superuser"]).status_code == 400


def test_a_nul_in_a_search_finds_nothing(staff):
    client = staff["clients"]["superuser"]
    for url in [
        "/admin/comments/comment/?q=a%00b",
        "/admin/images/image/pick/?q=a%00b",
        "/admin/autocomplete/?app_label=articles&model_name=article&field_name=primary_topic"
        "&term=a%00b",
    ]:
        assert answer("get", url, client=client).status_code == 200


def test_the_filters_in_range_still_work(staff):
    client = staff["clients"]["superuser"]
    article, year = staff["article"], staff["comments"][0].created_at.year
    url = f"/admin/comments/comment/?article={article.pk}&created_at__year={year}"
    response = answer("get", url, client=client)
    assert response.status_code == 200
    assert response.context["cl"].result_count == Comment.objects.filter(article=article).count()


@pytest.mark.parametrize("value", [PAST_ANY_ID, "abc", "9" * 4301])
def test_an_action_on_an_id_no_item_can_have_is_a_400(staff, value):
    response = answer_to(
        "post",
        reverse("admin:articles_article_changelist"),
        [("action", "publish_selected"), (ACTION_CHECKBOX_NAME, value)],
        client=staff["clients"]["superuser"],
    )
    assert response.status_code == 400
    assert "Some of the selected items do not exist" in unescape(response.content.decode())


@pytest.mark.parametrize("name", ["article", "section"])
def test_the_desk_ignores_an_id_no_article_or_section_can_have(staff, name):
    for value in [PAST_ANY_ID, "²"]:
        url = f"{reverse('admin:comments_desk')}?{name}={value}"
        assert answer("get", url, client=staff["clients"]["Moderators"]).status_code == 200


def test_the_desk_pages_no_further_than_a_64_bit_offset(staff):
    url = f"{reverse('admin:comments_desk')}?start={PAST_ANY_ID}"
    assert answer("get", url, client=staff["clients"]["Moderators"]).status_code == 200


@pytest.mark.parametrize("comment", [PAST_ANY_ID, "²", "9" * 4301])
def test_a_desk_decision_on_a_comment_no_row_can_be_is_a_400(staff, comment):
    response = answer_to(
        "post",
        reverse("admin:comments_desk_decide"),
        [("action", "approve"), ("comment", comment), (f"version-{comment}", "1")],
        client=staff["clients"]["Moderators"],
        headers={"X-Desk": "1"},  # as the desk's script sends it: the answer's own status
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Choose a comment and a decision."


def test_a_preview_of_an_id_that_is_not_a_number_is_a_404(staff):
    url = "/admin/articles/article/abc/preview/"
    assert answer("get", url, client=staff["clients"]["Editors"]).status_code == 404


@pytest.mark.parametrize(
    ("text", "low", "high", "number"),
    [
        ("0", 0, 10, 0),
        ("10", 0, 10, 10),
        ("11", 0, 10, None),
        ("0", 1, 10, None),
        ("0007", 1, 3650, 7),
        ("0" * 40 + "3", 1, 3, 3),
        ("", 0, 10, None),
        ("-1", 0, 10, None),
        (" 2", 0, 10, None),
        ("²", 0, 10, None),
        ("١", 0, 10, None),
        ("9" * 4301, 0, 10, None),
    ],
)
def test_whole_number_reads_only_ascii_digits_in_range(text, low, high, number):
    assert whole_number(text, low=low, high=high) == number


def test_parse_id_reads_every_64_bit_id_and_nothing_past():
    assert parse_id(str(2**63 - 1)) == 2**63 - 1
    assert parse_id(str(2**63)) is None
    assert parse_id("0") is None


def test_the_revisions_page_of_an_article_without_revisions_opens(staff):
    # Was a 500: an article made in bulk (or before revisions were kept) has none.
    story = staff["stories"][1]
    assert not story.revisions.exists()
    url = reverse("admin:articles_article_revisions", args=[story.pk])
    assert answer("get", url, client=staff["clients"]["Editors"]).status_code == 200


@pytest.mark.parametrize("target", ["0", "comments_desk"])
def test_the_desk_goes_back_to_a_next_that_looks_like_a_view_name_as_an_address(staff, target):
    # Was a 500: redirect() took "0" for the name of a view, and failed to find it.
    url = reverse("admin:comments_desk_undo", args=[staff["decision"].pk])
    response = answer_to("post", url, [("next", target)], client=staff["clients"]["Moderators"])
    assert response.status_code == 302
    assert response["Location"].partition("#")[0] == target


def test_a_search_of_thousands_of_words_reads_the_first_200_characters(staff):
    # Was a 500 after minutes: each word is a condition on every search field.
    url = f"{reverse('admin:images_image_pick')}?q={'Picture%0D' * 2000}"
    response = answer("get", url, client=staff["clients"]["Editors"])
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1
