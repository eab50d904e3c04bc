import os
import secrets

import pytest

from tests.factories import make_user

# moto's S3 server and the object_storage fixture, for any test that stores files there.
from tests.object_storage import object_storage, s3_server  # noqa: F401


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploaded and generated images go to a throwaway folder, never the working tree.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(db):
    return make_user(group="Editors")


@pytest.fixture
def moderator(db):
    return make_user(group="Moderators")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def reader():
    """A second, anonymous browser, for tests where ``client`` is logged in as staff."""
    from django.test import Client

    return Client()


def _cache_is_redis():
    from django.conf import settings
    from django.core.cache.backends.redis import RedisCache
    from django.utils.module_loading import import_string

    return issubclass(import_string(settings.CACHES["default"]["BACKEND"]), RedisCache)


@pytest.fixture(autouse=True, scope="session")
def _redis_cache_of_this_run():
    """Give this test run its own corner of a shared Redis, when REDIS_URL configures one."""
    from django.conf import settings
    from django.core.cache.backends.redis import RedisCache
    from django.test import override_settings

    from caching import store

    if not _cache_is_redis():
        # The database cache is rolled back with each test's transaction (live-server tests,
        # which flush instead, empty it themselves: tests/browser/conftest.py).
        yield
        return
    # Parallel or overlapping runs on one Redis (two checkouts, CI beside a developer) each get
    # a prefix of their own, and clear() removes only that prefix's keys: Django's clear() would
    # empty the whole Redis database, under the other runs too.
    prefix = f"test-{os.getpid()}-{secrets.token_hex(4)}"

    def clear_this_run(self):
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        # This process's copies of the pages went with them.
        store.forget_copies()

    caches = {**settings.CACHES}
    caches["default"] = {**caches["default"], "KEY_PREFIX": prefix}
    # The content API's request counts (api/throttles.py) sit in the same Redis.
    caches[settings.API_CACHE_ALIAS] = {
        **caches[settings.API_CACHE_ALIAS],
        "KEY_PREFIX": f"{prefix}-api",
    }
    with pytest.MonkeyPatch.context() as patch, override_settings(CACHES=caches):
        patch.setattr(RedisCache, "clear", clear_this_run)
        yield
        from django.core.cache import cache

        cache.clear()


@pytest.fixture(autouse=True)
def _redis_cache_emptied(_redis_cache_of_this_run):
    # Cached pages, rate-limit counters and sessions of one test are not there for the next.
    yield
    if _cache_is_redis():
        from django.core.cache import cache

        cache.clear()


@pytest.fixture(autouse=True)
def _api_counts_emptied(_redis_cache_of_this_run):
    # The API's request counts live outside the database (in memory without Redis): one
    # test's requests must not spend the next one's rate.
    from django.conf import settings
    from django.core.cache import caches

    caches[settings.API_CACHE_ALIAS].clear()
    yield
    caches[settings.API_CACHE_ALIAS].clear()


@pytest.fixture
def redis_client():
    """Return a client of the Redis that serves as the cache; skip the test without one."""
    import redis

    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL is not set: the Redis tests are skipped (CI runs them)")
    if not _cache_is_redis():
        pytest.skip("the cache is not Redis in these settings: the Redis tests are skipped")
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {url} ({error}): the Redis tests are skipped")
    yield client
    client.close()


@pytest.fixture(autouse=True)
def _page_cache_off_unless_asked(request, settings):
    """Keep Django's page cache out of tests that change data and read pages in one
    transaction (its invalidations wait for a commit that a test never makes). Tests of
    the cache itself are marked ``page_cache`` and commit, or run the commit hooks."""
    settings.PAGE_CACHE_ENABLED = request.node.get_closest_marker("page_cache") is not None


@pytest.fixture(autouse=True)
def _lazy_loads_fail(settings):
    # A related object a page did not load raises instead of costing a query per row.
    settings.NEWSROOM_FETCH_MODE = "raise"


IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    # A test sees a task's effect (an email, a rendition) without running a worker; the tests of
    # the worker itself ask for ``database_tasks``.
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def database_tasks(settings, transactional_db):
    """Tasks wait in the database, as in production; call the fixture's value to run the
    worker over every task that is due, as `manage.py db_worker --batch` does. The worker
    commits as it goes, so these tests commit too (``transactional_db``)."""
    from django.core.management import call_command

    settings.TASKS = DATABASE_TASKS

    def run_worker():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    return run_worker
