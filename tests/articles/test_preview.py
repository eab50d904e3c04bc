"""Editors preview unpublished articles as readers would, and share signed, expiring links."""

import base64
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import preview
from tests.factories import make_draft

pytestmark = pytest.mark.django_db


def _assert_private(response):
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.fixture
def draft():
    return make_draft(headline="Embargoed: the new hospital plan", body="<p>Secret plans.</p>")


def test_editor_previews_a_draft_from_the_admin(editor_client, draft):
    change = editor_client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    preview_url = reverse("admin:articles_article_preview", args=[draft.pk])
    assert preview_url in change.content.decode()

    response = editor_client.get(preview_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="story__headline">Embargoed: the new hospital plan</h1>' in html
    assert "Secret plans." in html
    assert "Preview." in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    _assert_private(response)


def test_moderator_cannot_preview(moderator_client, draft):
    response = moderator_client.get(reverse("admin:articles_article_preview", args=[draft.pk]))
    assert response.status_code in (302, 403)
    assert b"Secret plans" not in response.content


def _share(client, draft, hours="24"):
    response = client.post(
        reverse("admin:articles_article_preview_link", args=[draft.pk]), {"hours": hours}
    )
    assert response.status_code == 200
    return re.search(r'value="(http://testserver/preview/[^"]+)"', response.content.decode())[1]


def test_shared_link_shows_the_draft_to_someone_without_an_account(editor_client, reader, draft):
    link = _share(editor_client, draft)
    response = reader.get(link)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Embargoed: the new hospital plan" in html
    assert "from a link that works until" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    _assert_private(response)
    assert response["Referrer-Policy"] == "no-referrer"


def test_shared_link_shows_later_saves(editor_client, reader, draft):
    link = _share(editor_client, draft)
    draft.headline = "Hospital plan: the final version"
    draft.save()
    assert "Hospital plan: the final version" in reader.get(link).content.decode()


def test_expired_link_says_so(editor_client, reader, draft):
    link = _share(editor_client, draft, hours="1")
    later = timezone.now() + timedelta(hours=1, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = reader.get(link)
    assert response.status_code == 410
    assert "This preview link has expired" in response.content.decode()
    assert "Secret plans" not in response.content.decode()
    _assert_private(response)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("aa" if not token.endswith("aa") else "bb"),
        lambda token: token[:10],
        lambda token: "not-a-token",
    ],
)
def test_tampered_link_is_refused(editor_client, reader, draft, tamper):
    token = _share(editor_client, draft).rstrip("/").rsplit("/", 1)[1]
    response = reader.get(reverse("articles:preview", args=[tamper(token)]))
    assert response.status_code == 404
    assert "This preview link does not work" in response.content.decode()
    _assert_private(response)


def test_a_link_cannot_be_pointed_at_another_article(client, draft):
    other = make_draft(headline="Another secret")
    token = preview.make_token(draft, hours=1)
    assert client.get(f"/preview/{token}/").status_code == 200
    payload, signature = token.split(":", 1)
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    edited = decoded.replace(f'"article":{draft.pk}'.encode(), f'"article":{other.pk}'.encode())
    assert edited != decoded
    forged = base64.urlsafe_b64encode(edited).decode().rstrip("=") + ":" + signature
    response = client.get(f"/preview/{forged}/")
    assert response.status_code == 404
    assert "Another secret" not in response.content.decode()


def test_unknown_lifetime_is_refused(editor_client, draft):
    response = editor_client.post(
        reverse("admin:articles_article_preview_link", args=[draft.pk]),
        {"hours": "100000"},
        follow=True,
    )
    assert "Choose how long the preview link should work." in response.content.decode()


def test_withdrawn_article_cannot_be_previewed(client, draft):
    token = preview.make_token(draft, hours=1)
    draft.status = "withdrawn"
    draft.save()
    assert client.get(f"/preview/{token}/").status_code == 404
