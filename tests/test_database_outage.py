"""With the database unreachable, readers get a short 503 page, or the page from the cache."""

import logging

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client, override_settings
from django.urls import include, path, reverse

from comments.models import Comment
from newsroom.outage import DatabaseOutageMiddleware, server_error
from tests.factories import comment_form_data, make_article
from tests.servers import free_port

pytestmark = pytest.mark.django_db

# This module serves as the root URLconf in one test below: the site's URLs, with the error
# handler that newsroom/outage.py offers for failures outside views.
urlpatterns = [path("", include("newsroom.urls"))]
handler500 = "newsroom.outage.server_error"

REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'


class Unreachable:
    """Fail every statement sent on the connection, as a database that is down does.

    Installed with ``connection.execute_wrapper``, Django's hook around every query, so the
    request runs its real code up to the first query and gets what Django raises when the
    server does not answer. A query made after that (say, by the error page) fails as well.
    """

    def __init__(self, error=OperationalError, *, only=""):
        self.error = error
        self.only = only  # fail only statements naming this table
        self.attempts = 0

    def __call__(self, execute, sql, params, many, context):
        if self.only not in sql:
            return execute(sql, params, many, context)
        self.attempts += 1
        raise self.error(REFUSED)


@pytest.fixture
def article():
    return make_article(headline="Talks resume in Istanbul")


@pytest.fixture
def memory_cache(settings):
    # The tests' cache is a database table, which goes down with the database; production
    # keeps pages in Redis, which does not.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "x"}
    }


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_an_uncached_page_answers_503_with_a_short_page(client, article, error):
    down = Unreachable(error)
    with connection.execute_wrapper(down):
        response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert down.attempts >= 1
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    # The short page alone, not the site's layout (whose navigation needs the database).
    assert "<title>Briefly unavailable | Newsroom</title>" in html
    assert 'class="masthead"' not in html
    assert "Newsroom is briefly unavailable" in html
    assert "Please try again in 1 minute." in html
    assert "/static/css/site.css" in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert "Talks resume" not in html


def test_a_comment_post_answers_503_saying_it_was_not_saved(client, article):
    data = comment_form_data(client, article, body="It's <b>late</b> & the vote matters.")
    with connection.execute_wrapper(Unreachable()):
        response = client.post(reverse("comments:post", args=[article.pk]), data)
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    assert "Your comment was not saved" in html
    assert "Please send it again in a minute." in html
    # The reader's text comes back escaped, in a form that sends it again as it was.
    assert ">It&#x27;s &lt;b&gt;late&lt;/b&gt; &amp; the vote matters.</textarea>" in html
    assert "<b>late</b>" not in html
    assert f'<form method="post" action="{reverse("comments:post", args=[article.pk])}">' in html
    assert f'name="token" value="{data["token"]}"' in html
    assert 'name="email" value="maria@example.org"' in html
    assert not Comment.objects.exists()


def test_the_comment_sent_again_after_the_outage_is_stored_once(client, article):
    data = comment_form_data(client, article)
    url = reverse("comments:post", args=[article.pk])
    with connection.execute_wrapper(Unreachable()):
        assert client.post(url, data).status_code == 503
    assert client.post(url, data).status_code == 303
    assert client.post(url, data).status_code == 303  # and once more, impatiently
    assert Comment.objects.get().body == data["body"]


@pytest.mark.page_cache
def test_cached_pages_are_still_served_while_the_database_is_down(memory_cache, article):
    url = article.get_absolute_url()
    assert Client().get(url)["X-Cache"] == "miss"
    down = Unreachable()
    with connection.execute_wrapper(down):
        response = Client().get(url)
    assert response.status_code == 200
    assert response["X-Cache"] == "hit"
    assert down.attempts == 0


@pytest.mark.page_cache
def test_the_503_page_is_never_cached(memory_cache, article):
    url = article.get_absolute_url()
    with connection.execute_wrapper(Unreachable()):
        assert Client().get(url).status_code == 503
    response = Client().get(url)  # the database is back
    assert response.status_code == 200
    assert response["X-Cache"] == "miss"
    assert "Talks resume in Istanbul" in response.content.decode()


def test_the_outage_is_logged_once_with_its_cause(client, article, caplog):
    with caplog.at_level(logging.INFO), connection.execute_wrapper(Unreachable()):
        client.get(article.get_absolute_url())
    errors = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(errors) == 1
    assert errors[0].name == "newsroom.outage"
    assert errors[0].levelno == logging.ERROR
    assert article.get_absolute_url() in errors[0].getMessage()
    assert "Connection refused" in errors[0].getMessage()
    assert errors[0].exc_info[0] is OperationalError


def test_a_database_lost_after_the_view_answered_gets_the_503_page_too(settings, article):
    # The comment is stored, then the database goes before the session that shows the poster
    # their pending comment is saved: SessionMiddleware fails, outside the view.
    settings.ROOT_URLCONF = __name__
    reader = Client(raise_request_exception=False)
    url = reverse("comments:post", args=[article.pk])
    data = comment_form_data(reader, article)
    with connection.execute_wrapper(Unreachable(only="django_session")):
        response = reader.post(url, data)
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    assert "Your comment may not have been saved" in html
    assert f'name="token" value="{data["token"]}"' in html
    assert Comment.objects.count() == 1
    # Sent again from that page, it is found, not stored a second time.
    assert reader.post(url, data).status_code == 303
    assert Comment.objects.count() == 1


def test_other_errors_are_left_to_the_500_page(rf):
    middleware = DatabaseOutageMiddleware(lambda request: None)
    assert middleware.process_exception(rf.get("/"), ValueError("a bug")) is None


@pytest.mark.parametrize(
    ("error", "status"), [(OperationalError(REFUSED), 503), (ValueError("a bug"), 500)]
)
def test_the_error_handler_tells_an_outage_from_a_bug(rf, error, status):
    # For database failures outside a view, e.g. saving the session after the view answered.
    try:
        raise error
    except Exception:
        response = server_error(rf.get("/"))
    assert response.status_code == status
    if status == 503:
        assert response["Cache-Control"] == "no-store"


def test_with_redis_unreachable_readers_get_the_503_page_not_a_500(settings, article):
    pytest.importorskip("redis")
    closed = {
        "BACKEND": "newsroom.cache.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
    }
    settings.PAGE_CACHE_ENABLED = True  # the first layer asks Redis before any view runs

    # Restored inside the test: the fixtures that empty the cache afterwards must find it.
    # No copies in this process's memory either, whose thread would go on calling Redis.
    with override_settings(CACHES={**settings.CACHES, "default": closed}, PAGE_CACHE_LOCAL_BYTES=0):
        response = Client(raise_request_exception=False).get(article.get_absolute_url())

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert b"is briefly unavailable" in response.content
