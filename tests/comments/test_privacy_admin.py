"""Privacy requests from the admin: what is stored about an address, its export as a download,
its erasure after a confirming page, and the audit record each leaves."""

import hashlib
import json
import re
from html import unescape

import pytest
from django.core import signing
from django.urls import reverse

from comments import services
from comments.admin_privacy import ERASE_SALT
from comments.models import Comment, Commenter, CommenterNote, PrivacyRequest
from newsroom.mail import send_later
from tests.factories import make_article, make_comment, make_user
from tests.query_budgets import staff

pytestmark = pytest.mark.django_db

LOOKUP = "admin:comments_privacy"
EXPORT = "admin:comments_privacy_export"
ERASE = "admin:comments_privacy_erase"


def _post(client, name, email, **extra):
    return client.post(reverse(name), {"email": email, **extra})


def _sha256(email):
    return hashlib.sha256(email.encode()).hexdigest()


def _confirmation(html):
    return re.search(r'name="confirmation" value="([^"]+)"', html).group(1)


@pytest.fixture
def ana(moderator):
    """Ana: three comments (one answered by Zed), a note, a standing and an email sent."""
    article = make_article(headline="Ana's story")
    answered = make_comment(article=article, email="Ana@Example.org", name="Ana", body="Hers.")
    make_comment(article=article, email="ana@example.org", name="Ana")
    make_comment(article=article, email="ana@example.org", name="Ana", status="pending")
    make_comment(article=article, parent=answered, email="zed@example.org", name="Zed")
    CommenterNote.objects.create(email="ana@example.org", author=moderator, text="Polite.")
    Commenter.objects.create(email="ana@example.org", standing="premoderated")
    send_later([("ana@example.org", "Hello", "A word about your comment.", None)], kind="test")
    return article


def test_an_editor_looks_up_an_address_and_sees_what_is_stored(
    editor_client, ana, django_assert_num_queries
):
    page = editor_client.get(reverse(LOOKUP))
    assert page.status_code == 200
    assert 'name="email"' in page.content.decode()
    # The numbers are counted, not listed: the page costs the same however much is stored.
    with django_assert_num_queries(staff("privacy page")):
        response = _post(editor_client, LOOKUP, "  ANA@example.org ")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Stored about ana@example.org" in html
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', html))
    assert rows == {
        "Comments": "3",
        "Moderators' notes": "1",
        "Standing": "set",
        "Reply emails asked for": "0",
        "Emails sent or waiting": "1",
    }
    assert "Download export (JSON)" in html and "Erase…" in html
    # Looking is not a request: nothing is recorded.
    assert not PrivacyRequest.objects.exists()


def test_the_export_is_a_json_download_and_is_recorded(editor_client, editor, ana):
    response = _post(editor_client, EXPORT, "ana@example.org")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    name = f"commenter-{_sha256('ana@example.org')[:12]}.json"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert {"no-store", "private"} <= set(response["Cache-Control"].split(", "))
    data = json.loads(response.content)
    assert data["email"] == "ana@example.org"
    assert len(data["comments"]) == 3
    assert {c["name"] for c in data["comments"]} == {"Ana"}
    assert data["commenter"]["standing"] == "premoderated"
    assert [n["text"] for n in data["notes"]] == ["Polite."]
    assert [e["subject"] for e in data["emails_sent"]] == ["Hello"]
    assert "zed@example.org" not in response.content.decode()
    record = PrivacyRequest.objects.get()
    assert record.kind == "export"
    assert record.handled_by == editor
    assert record.email_sha256 == _sha256("ana@example.org")
    assert record.counts == {
        "comments": 3,
        "notes": 1,
        "standing": 1,
        "reply_emails": 0,
        "emails": 1,
    }
    # Exporting takes nothing away.
    assert Comment.objects.by_email("ana@example.org").count() == 3


def test_erasing_asks_first_and_a_single_post_erases_nothing(editor_client, ana):
    response = _post(editor_client, ERASE, "ana@example.org")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Erase everything stored about ana@example.org?" in html
    assert "3 comments" in html
    assert "Yes, erase it all" in html
    # Neither that page, nor a POST saying "yes" without its token, nor a token made for
    # another address or altered, erases anything.
    other = signing.dumps(_sha256("zed@example.org"), salt=ERASE_SALT)
    for forged in [{"confirm": "yes"}, {"confirmation": other}, {"confirmation": "x:y:z"}]:
        again = _post(editor_client, ERASE, "ana@example.org", **forged)
        assert again.status_code == 200
        assert "Yes, erase it all" in again.content.decode()
    assert Comment.objects.by_email("ana@example.org").count() == 3
    assert CommenterNote.objects.exists() and Commenter.objects.exists()
    assert not PrivacyRequest.objects.exists()


def test_a_confirmed_erasure_erases_and_keeps_a_record_without_the_address(
    editor_client, editor, ana, client
):
    confirming = _post(editor_client, ERASE, "ana@example.org").content.decode()
    response = _post(
        editor_client, ERASE, "ana@example.org", confirmation=_confirmation(confirming)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:comments_privacyrequest_changelist")
    listing = unescape(editor_client.get(response["Location"]).content.decode())
    assert "Erased ana@example.org: 2 comments deleted, 1 kept as placeholders" in listing

    assert not Comment.objects.by_email("ana@example.org").exists()
    assert not CommenterNote.objects.exists() and not Commenter.objects.exists()
    assert Comment.objects.filter(name="Zed").exists()  # the other reader's reply stays
    record = PrivacyRequest.objects.get()
    assert (record.kind, record.handled_by) == ("erase", editor)
    assert record.counts["deleted"] == 2 and record.counts["anonymised"] == 1
    stored = json.dumps(list(PrivacyRequest.objects.values()), default=str).lower()
    assert "ana@" not in stored and "example.org" not in stored
    assert record.email_sha256 == _sha256("ana@example.org")
    # Readers no longer see what she wrote.
    page = client.get(ana.get_absolute_url()).content.decode()
    assert "Hers." not in page and ">Ana<" not in page
    # Sending the confirmed form again finds nothing left to erase.
    again = _post(editor_client, ERASE, "ana@example.org", confirmation=_confirmation(confirming))
    assert again.status_code == 404
    assert "Nothing is stored about ana@example.org." in unescape(again.content.decode())
    assert PrivacyRequest.objects.count() == 1


def test_the_audit_records_are_listed_read_only_and_found_by_address(
    editor_client, ana, django_assert_num_queries
):
    for _ in range(4):
        _post(editor_client, EXPORT, "ana@example.org")
    url = reverse("admin:comments_privacyrequest_changelist")
    with django_assert_num_queries(staff("privacy request list")):
        response = editor_client.get(url)
    html = response.content.decode()
    assert html.count('<td class="field-kind">') == 4
    assert f"{_sha256('ana@example.org')[:12]}…" in html
    assert reverse(LOOKUP) in html
    assert "ana@example.org" not in html
    found = editor_client.get(url, {"q": "ANA@example.org"}).content.decode()
    assert found.count('<td class="field-kind">') == 4
    nobody = editor_client.get(url, {"q": "zed@example.org"}).content.decode()
    assert '<td class="field-kind">' not in nobody
    record = PrivacyRequest.objects.first()
    change = editor_client.get(reverse("admin:comments_privacyrequest_change", args=[record.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert editor_client.get(reverse("admin:comments_privacyrequest_add")).status_code == 403
    delete = reverse("admin:comments_privacyrequest_delete", args=[record.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert PrivacyRequest.objects.count() == 4


@pytest.mark.parametrize("group", ["Moderators", "Writers"])
def test_moderators_and_writers_are_refused_every_privacy_page(client, ana, group):
    client.force_login(make_user(group=group))
    assert client.get(reverse(LOOKUP)).status_code == 403
    assert client.get(reverse("admin:comments_privacyrequest_changelist")).status_code == 403
    token = signing.dumps(_sha256("ana@example.org"), salt=ERASE_SALT)
    for name in [LOOKUP, EXPORT, ERASE]:
        response = _post(client, name, "ana@example.org", confirmation=token)
        assert response.status_code == 403
        assert "Polite." not in response.content.decode()
    assert Comment.objects.by_email("ana@example.org").count() == 3
    assert not PrivacyRequest.objects.exists()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Give the commenter's email address."),
        ("   ", "Give the commenter's email address."),
        ("a" * 10_000 + "@example.org", "Ensure this value has at most 254 characters"),
        ("ana\x00@example.org", "Null characters are not allowed."),
        ("ünï@example.org", "Enter a valid email address."),
        ("<script>alert(1)</script>@example.org", "Enter a valid email address."),
        ("not an address", "Enter a valid email address."),
    ],
)
@pytest.mark.parametrize("name", [LOOKUP, EXPORT, ERASE])
def test_a_bad_address_gets_a_clear_error_and_changes_nothing(
    editor_client, ana, name, email, message
):
    response = _post(editor_client, name, email)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert message in unescape(html)
    assert "<script>alert(1)" not in html
    assert 'role="alert"' in html
    assert not PrivacyRequest.objects.exists()
    assert Comment.objects.by_email("ana@example.org").count() == 3


def test_an_address_with_nothing_stored_says_so(editor_client, ana):
    for name in [LOOKUP, EXPORT, ERASE]:
        response = _post(editor_client, name, "nobody@exämple.org")
        assert response.status_code == 404
        html = unescape(response.content.decode())
        assert "Nothing is stored about nobody@exämple.org." in html
        assert 'value="nobody@exämple.org"' in html  # kept in the form, to correct it
    assert not PrivacyRequest.objects.exists()


def test_an_address_with_an_accented_domain_is_found_and_exported(editor_client, article):
    make_comment(article=article, email="lucja@exämple.org", name="Łucja")
    response = _post(editor_client, EXPORT, "LUCJA@EXÄMPLE.ORG")
    assert response.status_code == 200
    assert [c["name"] for c in json.loads(response.content)["comments"]] == ["Łucja"]


def test_the_newsroom_address_cannot_be_erased(editor_client, moderator, settings, ana):
    settings.DEFAULT_FROM_EMAIL = "desk@newsroom.example"
    reader = Comment.objects.by_email("ana@example.org").filter(status="approved").first()
    services.comment_reply_as_newsroom(parent=reader, moderator=moderator, body="Thank you.")
    page = unescape(_post(editor_client, LOOKUP, "Desk@Newsroom.example").content.decode())
    assert "Stored about desk@newsroom.example" in page
    assert "the newsroom's own address" in page
    assert "Erase…" not in page
    token = signing.dumps(_sha256("desk@newsroom.example"), salt=ERASE_SALT)
    for data in [{}, {"confirmation": token}]:
        response = _post(editor_client, ERASE, "desk@newsroom.example", **data)
        assert response.status_code == 400
        html = unescape(response.content.decode())
        assert "desk@newsroom.example is the newsroom's own address" in html
        assert "It cannot be erased" in html
    assert Comment.objects.filter(is_newsroom=True).count() == 1
    assert not PrivacyRequest.objects.exists()


def test_a_moderation_lead_exports_and_erases_as_an_editor_does(client, ana):
    client.force_login(make_user(group="Moderation leads"))
    assert _post(client, LOOKUP, "ana@example.org").status_code == 200
    download = _post(client, EXPORT, "ana@example.org")
    assert download.status_code == 200
    assert json.loads(download.content)["email"] == "ana@example.org"
    confirming = _post(client, ERASE, "ana@example.org")
    _post(client, ERASE, "ana@example.org", confirmation=_confirmation(confirming.text))
    assert not Comment.objects.filter(email_normalised="ana@example.org", name="Ana").exists()
    assert list(PrivacyRequest.objects.values_list("kind", flat=True).order_by("pk")) == [
        "export",
        "erase",
    ]
