"""The API's OpenAPI schema, and the reference page the site serves from it."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_article

pytestmark = pytest.mark.django_db

READ_PATHS = [
    "/api/v1/articles/",
    "/api/v1/articles/{id}/",
    "/api/v1/articles/{id}/entries/",
    "/api/v1/articles/{id}/comments/",
    "/api/v1/sections/",
    "/api/v1/sections/{id}/",
    "/api/v1/topics/",
    "/api/v1/topics/{id}/",
    "/api/v1/authors/",
    "/api/v1/authors/{id}/",
]


def test_schema_is_openapi_3_json_with_every_read_endpoint(client):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(READ_PATHS) <= set(schema["paths"])
    article = schema["components"]["schemas"]["ArticleDetail"]["properties"]
    for field in ["headline", "body_html", "bylines", "lead_image", "canonical_url", "live"]:
        assert field in article


def test_schema_names_the_list_filters_and_paging(client):
    schema = client.get(reverse("api:schema")).json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/articles/"]["get"]["parameters"]}
    assert {
        "section",
        "topic",
        "author",
        "published_after",
        "published_before",
        "cursor",
        "limit",
    } <= parameters


def test_schema_never_describes_a_commenters_email_or_address(client):
    comment = client.get(reverse("api:schema")).json()["components"]["schemas"]["Comment"]
    shown = {"id", "parent", "name", "body", "created_at", "is_newsroom"}
    assert set(comment["properties"]) == shown


def test_docs_page_lists_every_read_endpoint_and_object(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    for path in READ_PATHS:
        assert f"GET {path}" in html, path
    assert 'id="object-ArticleDetail"' in html
    assert "published_after" in html
    assert f'href="{reverse("api:schema")}"' in html


def test_docs_page_loads_nothing_from_another_host(client):
    html = client.get(reverse("api:docs")).content.decode()
    for tag in re.findall(r"<(?:script|link|img|iframe|style|source)\b[^>]*>", html):
        # An absolute address is the site's own (the canonical link), never another host's.
        assert not re.search(r'(?:src|href)="(?:https?:)?//(?!testserver/)', tag), tag


def test_docs_page_keeps_the_sites_content_security_policy(client):
    make_article()
    page_policy = client.get("/")["Content-Security-Policy"]
    docs_policy = client.get(reverse("api:docs"))["Content-Security-Policy"]

    def without_nonce(policy):
        return re.sub(r"'nonce-[^']+'", "'nonce'", policy)

    assert without_nonce(docs_policy) == without_nonce(page_policy)
    assert "cdn" not in docs_policy


def test_docs_page_answers_only_reads(client):
    assert client.post(reverse("api:docs")).status_code in (403, 405)
