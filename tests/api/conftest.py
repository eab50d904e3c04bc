"""What the read API's tests share: stories readers may not see, one of each kind."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_comment, make_draft, make_live_entry, make_scheduled


def get_json(client, url, status=200, **headers):
    """GET the address and return its JSON, checking the status first."""
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()


def ids(answer):
    return [row["id"] for row in answer["results"]]


def _hidden(**kwargs):
    now = timezone.now()
    return {
        "draft": make_draft(**kwargs),
        "in review": make_article(status=Article.Status.REVIEW, **kwargs),
        "scheduled": make_scheduled(**kwargs),
        "embargoed": make_article(embargo_until=now + timedelta(hours=2), **kwargs),
        "expired": make_article(expires_at=now - timedelta(minutes=5), **kwargs),
        "withdrawn": make_article(
            status=Article.Status.WITHDRAWN, published_at=now - timedelta(days=1), **kwargs
        ),
        "unpublished": make_article(
            status=Article.Status.UNPUBLISHED, published_at=now - timedelta(days=1), **kwargs
        ),
    }


@pytest.fixture
def hidden_stories(db):
    """Return a factory: one live story of each kind readers may not see, with an entry and
    an approved comment each, made with the given article fields."""

    def make(**kwargs):
        stories = _hidden(is_live=True, **kwargs)
        for story in stories.values():
            make_live_entry(article=story)
            make_comment(article=story)
        return stories

    return make
