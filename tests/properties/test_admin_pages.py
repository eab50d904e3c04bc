"""Property 1 for staff pages: every admin address that reads a path segment, and every staff
page of our own that reads a query string or a form, answers hostile values with a page or a
clear 4xx, for every role.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from .admin_pages import segment_routes
from .conftest import STAFF_ROLES, rolled_back
from .helpers import answer, answer_to
from .strategies import edge_or_hostile, hostile_raw, percent, with_classics

pytestmark = pytest.mark.django_db

role = st.sampled_from(STAFF_ROLES)


def _real_ids(staff):
    """Return ids that exist, so that hostile segments sit beside ones that match."""
    return [
        str(obj.pk)
        for obj in [staff["article"], staff["pending"], staff["decision"], staff["image"]]
    ] + ["1", "2"]


@pytest.mark.parametrize("route", segment_routes())
@given(data=st.data(), role=role, method=st.sampled_from(["get", "post"]))
def test_each_admin_route_with_hostile_segments_gets_a_page_or_a_4xx(
    staff, route, data, role, method
):
    segment = st.one_of(edge_or_hostile, st.sampled_from(_real_ids(staff)))
    segments = [percent(data.draw(segment)) for _ in range(route.count("{}"))]
    with rolled_back():
        answer(method, route.format(*segments), client=staff["clients"][role])


@dataclass(frozen=True)
class Form:
    """A staff page that reads named values: how it is sent, and a valid request of it."""

    method: str
    url: object  # a function of the staff fixture
    valid: object  # a function of the staff fixture: the (name, value) pairs of a valid request


def _article_url(name, *more):
    return lambda staff: reverse(f"admin:{name}", args=[staff["article"].pk, *more])


def _decide(staff):
    pending = staff["pending"]
    return [
        ("comment", str(pending.pk)),
        (f"version-{pending.pk}", str(pending.version)),
        ("action", "reject"),
        ("reason", "other"),
        ("note", "Off topic."),
        ("following", ""),
        ("next", reverse("admin:comments_desk")),
    ]


FORMS = {
    "desk": Form(
        "get",
        lambda staff: reverse("admin:comments_desk"),
        lambda staff: [
            ("queue", "pending"),
            ("start", "0"),
            ("section", str(staff["section"].pk)),
            ("article", str(staff["article"].pk)),
            ("from", "2024-01-01"),
            ("to", "2030-12-31"),
            ("q", "thread"),
            ("order", "oldest"),
        ],
    ),
    "desk-decide": Form("post", lambda staff: reverse("admin:comments_desk_decide"), _decide),
    "desk-undo": Form(
        "post",
        lambda staff: reverse("admin:comments_desk_undo", args=[staff["decision"].pk]),
        lambda staff: [("next", reverse("admin:comments_desk"))],
    ),
    "desk-reply": Form(
        "post",
        lambda staff: reverse("admin:comments_desk_reply", args=[staff["pending"].pk]),
        lambda staff: [
            ("body", "Thank you, we have corrected it."),
            (f"version-{staff['pending'].pk}", str(staff["pending"].version)),
            ("next", reverse("admin:comments_desk")),
        ],
    ),
    "desk-test": Form(
        "get",
        lambda staff: reverse("admin:comments_desk_test"),
        lambda staff: [("text", "Is this spam?"), ("email", "regular@example.org")],
    ),
    "commenter": Form(
        "get",
        lambda staff: reverse("admin:comments_commenter"),
        lambda staff: [("email", "regular@example.org")],
    ),
    "commenter-standing": Form(
        "post",
        lambda staff: reverse("admin:comments_commenter"),
        lambda staff: [
            ("email", "regular@example.org"),
            ("note", ""),
            ("standing", "suspended"),
            ("days", "7"),
            ("reject_all", "on"),
        ],
    ),
    "commenter-note": Form(
        "post",
        lambda staff: reverse("admin:comments_commenter"),
        lambda staff: [("email", "regular@example.org"), ("note", "Asked to keep it civil.")],
    ),
    "revisions-compare": Form(
        "get",
        _article_url("articles_article_revisions_compare"),
        lambda staff: [("from", "1"), ("to", "2")],
    ),
    "revision-restore": Form(
        "post",
        _article_url("articles_article_revision_restore", 1),
        lambda staff: [("version", str(staff["article"].version))],
    ),
    "preview-link": Form(
        "post", _article_url("articles_article_preview_link"), lambda staff: [("hours", "24")]
    ),
    "image-picker": Form(
        "get",
        lambda staff: reverse("admin:images_image_pick"),
        lambda staff: [("q", "Picture"), ("page", "1"), ("CKEditorFuncNum", "-1")],
    ),
    # The comment policy's form (comments/admin_policy.py), as its page sends it.
    "comment-policy": Form(
        "post",
        lambda staff: reverse("admin:comments_policyversion_change", args=["current"]),
        lambda staff: [
            ("block_words", "viagra\ncasino bonus"),
            ("moderation_words", "idiot"),
            ("max_links", "2"),
            ("blocked_email_domains", "spam.example"),
            ("disposable_email_domains", "mailinator.com"),
            ("trusted_after", "3"),
            ("close_after_days", "0"),
            ("premoderate", "on"),
            ("based_on", "0"),
            ("_save", "Save"),
        ],
    ),
    # Setting up two-factor sign-in (newsroom/admin_two_factor.py): a code for the key that
    # waits in the session.
    "two-factor-set-up": Form(
        "post", lambda staff: reverse("admin:two_factor"), lambda staff: [("code", "123456")]
    ),
}
# Each field of each form by itself, as a superuser, who may open every one of them.
FIELDS = [
    (form, name)
    for form, names in {
        "desk": ["queue", "start", "section", "article", "from", "to", "q", "order"],
        "desk-decide": ["comment", "version", "action", "reason", "note", "following", "next"],
        "desk-undo": ["next"],
        "desk-reply": ["body", "version", "next"],
        "desk-test": ["text", "email"],
        "commenter": ["email"],
        "commenter-standing": ["email", "standing", "days", "reject_all"],
        "commenter-note": ["email", "note"],
        "revisions-compare": ["from", "to"],
        "revision-restore": ["version"],
        "preview-link": ["hours"],
        "image-picker": ["q", "page", "CKEditorFuncNum"],
        "two-factor-set-up": ["code"],
        "comment-policy": [
            "block_words",
            "moderation_words",
            "max_links",
            "blocked_email_domains",
            "disposable_email_domains",
            "trusted_after",
            "close_after_days",
            "premoderate",
            "based_on",
        ],
    }.items()
    for name in names
]


def _with(pairs, name, value):
    """Return the pairs with the named field's value replaced (``version`` is version-<id>)."""
    return [(key, value if key.partition("-")[0] == name else old) for key, old in pairs]


@pytest.mark.parametrize(("form", "name"), FIELDS)
@with_classics("value")
@given(value=edge_or_hostile)
def test_each_field_of_each_staff_page_gets_a_page_or_a_4xx(staff, form, name, value):
    page = FORMS[form]
    pairs = _with(page.valid(staff), name, value)
    with rolled_back():
        answer_to(page.method, page.url(staff), pairs, client=staff["clients"]["superuser"])


@pytest.mark.parametrize("form", list(FORMS))
@given(data=st.data(), role=role)
def test_any_values_on_each_staff_page_get_a_page_or_a_4xx(staff, form, data, role):
    page = FORMS[form]
    pairs = [
        (name, data.draw(st.one_of(st.just(value), edge_or_hostile)))
        for name, value in page.valid(staff)
    ]
    # Repeated and unknown names too: the desk reads several comments from one form.
    pairs += data.draw(st.lists(st.tuples(hostile_raw, edge_or_hostile), max_size=2))
    pairs += [("comment", pk) for pk in data.draw(st.lists(edge_or_hostile, max_size=2))]
    with rolled_back():
        answer_to(page.method, page.url(staff), pairs, client=staff["clients"][role])
