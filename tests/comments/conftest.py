import pytest
from django.core.cache import cache

from tests.factories import make_article


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def article(db):
    return make_article(headline="Story open for comments")
