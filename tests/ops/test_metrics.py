"""/metrics: Prometheus's text, with what the site counts, for the listed addresses only."""

import os
import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from newsroom.heartbeat import heartbeat_run
from newsroom.models import WorkerHeartbeat
from newsroom.tasks import enqueue_after
from tests.factories import comment_form_data, make_article
from tests.query_budgets import OPERATORS
from tests.test_production import BASE_DIR

pytestmark = pytest.mark.django_db

READER = "203.0.113.7"


def _scrape(client, **request):
    response = client.get("/metrics", **request)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert response["Cache-Control"] == "no-store"
    return Samples(response.content.decode())


class Samples:
    """The samples of one scrape, looked up by name and labels."""

    def __init__(self, text):
        self.text = text
        self.values = {
            (sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
        }

    def __call__(self, name, **labels):
        return self.values.get((name, frozenset(labels.items())), 0)


def _grew(before, after, name, **labels):
    return after(name, **labels) - before(name, **labels)


@pytest.fixture
def story(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_article(headline="Talks resume in Istanbul")


@pytest.mark.page_cache
def test_the_page_cache_is_counted_and_its_answers_named(client, story):
    before = _scrape(client)
    url = story.get_absolute_url()
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"
    after = _scrape(client)
    assert _grew(before, after, "newsroom_page_cache_lookups_total", result="miss") == 1
    assert _grew(before, after, "newsroom_page_cache_lookups_total", result="hit") == 1
    # The miss ran the article's view; the hit ran no view at all.
    detail = {"view": "articles:detail", "status": "200"}
    assert _grew(before, after, "newsroom_requests_total", **detail) == 1
    cached = {"view": "page_cache", "status": "200"}
    assert _grew(before, after, "newsroom_requests_total", **cached) == 1
    assert _grew(before, after, "newsroom_request_duration_seconds_count", view="page_cache") == 1
    assert (
        _grew(
            before, after, "newsroom_request_duration_seconds_bucket", view="page_cache", le="+Inf"
        )
        == 1
    )


def test_requests_are_counted_by_url_name_never_by_path(client):
    before = _scrape(client)
    assert client.get("/no-such-section-xyz/").status_code == 404
    assert client.get("/no/such/address/at/all/").status_code == 404
    after = _scrape(client)
    assert (
        _grew(before, after, "newsroom_requests_total", view="articles:section", status="404") == 1
    )
    assert _grew(before, after, "newsroom_requests_total", view="unmatched", status="404") == 1
    assert _grew(before, after, "newsroom_requests_total", view="metrics", status="200") == 1
    assert "no-such-section" not in after.text and "at/all" not in after.text


def test_comments_are_counted_by_outcome(client, settings):
    settings.COMMENTS_RATE_LIMIT_PER_EMAIL = (1, 600)
    article = make_article()
    post = reverse("comments:post", args=[article.pk])
    before = _scrape(client)
    assert client.post(post, comment_form_data(client, article)).status_code == 303
    assert client.post(post, comment_form_data(client, article, body="")).status_code == 400
    spam = comment_form_data(client, article, email="w@example.net", body="A casino bonus!")
    assert client.post(post, spam).status_code == 303  # told it waits, as any comment
    again = comment_form_data(client, article, body="And one more thing.")
    assert client.post(post, again).status_code == 429  # one a window for this email
    after = _scrape(client)
    for outcome in ("held", "invalid", "spam", "rate_limited"):
        assert _grew(before, after, "newsroom_comments_posted_total", outcome=outcome) == 1


def test_front_cache_purges_are_counted_sent_or_failed(
    client, settings, story, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_FRONT_CACHES = ["http://127.0.0.1:9/"]  # nothing listens there
    before = _scrape(client)
    with django_capture_on_commit_callbacks(execute=True):
        story.standfirst = "Changed."
        story.save()
    after = _scrape(client)
    assert _grew(before, after, "newsroom_front_cache_purges_total", result="failed") == 1
    assert _grew(before, after, "newsroom_front_cache_purges_total", result="sent") == 0


def test_the_task_queue_and_the_heartbeat_are_read_when_scraped(
    client, settings, django_assert_num_queries
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    heartbeat_run.enqueue()
    heartbeat_run.enqueue()
    enqueue_after(heartbeat_run, timezone.now() + timedelta(hours=1))
    beat_at = timezone.now() - timedelta(seconds=30)
    WorkerHeartbeat.objects.create(pk=WorkerHeartbeat.ONLY, beat_at=beat_at)
    with django_assert_num_queries(OPERATORS["metrics"]):
        samples = _scrape(client)
    depth = "newsroom_task_queue_depth"
    assert samples(depth, queue="default", state="due") == 2
    assert samples(depth, queue="default", state="scheduled") == 1
    assert samples(depth, queue="default", state="running") == 0
    assert samples("newsroom_worker_heartbeat_timestamp_seconds") == pytest.approx(
        beat_at.timestamp()
    )


def test_an_address_not_listed_is_refused(client):
    response = client.get("/metrics", REMOTE_ADDR=READER)
    assert response.status_code == 403
    assert response["Cache-Control"] == "no-store"
    assert b"newsroom_" not in response.content


def test_a_reader_through_our_proxy_is_refused(client, settings):
    settings.NEWSROOM_TRUSTED_PROXIES = ["127.0.0.1"]  # Varnish, on this machine
    for forwarded in (READER, f"127.0.0.1, {READER}"):
        response = client.get("/metrics", HTTP_X_FORWARDED_FOR=forwarded)
        assert response.status_code == 403, forwarded


def test_a_request_forwarded_by_a_proxy_we_do_not_trust_is_refused(client):
    # Varnish on the loopback, left out of DJANGO_TRUSTED_PROXIES: its address proves nothing.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR=READER).status_code == 403


def test_listed_networks_are_served_through_our_proxies(client, settings):
    settings.NEWSROOM_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.NEWSROOM_METRICS_ALLOWED = ["10.0.0.0/8"]
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.2.3.4").status_code == 200
    assert client.get("/metrics").status_code == 403  # the loopback is no longer listed
    # An IPv4 client of a server listening on IPv6.
    assert client.get("/metrics", REMOTE_ADDR="::ffff:10.9.9.9").status_code == 200


def test_with_no_address_listed_no_one_reads_and_nothing_is_counted(client, settings):
    settings.NEWSROOM_METRICS_ALLOWED = []
    assert client.get("/metrics").status_code == 403
    assert "newsroom.metrics.RequestMetricsMiddleware" not in [
        type(layer).__module__ + "." + type(layer).__name__ for layer in _loaded_layers(client)
    ]


def _loaded_layers(client):
    handler = client.handler
    handler.load_middleware()
    chain, layers = handler._middleware_chain, []
    while chain is not None:
        layers.append(chain)
        chain = getattr(chain, "get_response", None)
    return layers


@pytest.mark.parametrize("query", ["?name[]=<script>", "?x=%00&name[]=%00", "?" + "a=1&" * 900])
def test_odd_queries_get_the_metrics(client, query):
    assert client.get("/metrics" + query).status_code == 200


def test_too_many_query_fields_is_a_clear_400():
    too_many = "?" + "a=1&" * 3000  # past DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert Client(raise_request_exception=False).get("/metrics" + too_many).status_code == 400


def test_counts_of_several_processes_add_up(tmp_path):
    """The app server's workers each count their own requests; any one of them answers the
    machine's total (PROMETHEUS_MULTIPROC_DIR)."""
    folder = tmp_path / "metrics"
    folder.mkdir()
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
        },
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    program = textwrap.dedent(
        """
        import sys, django
        django.setup()
        from django.test import Client
        client = Client()
        for _ in range(int(sys.argv[1])):
            assert client.get("/healthz").status_code == 200
        if len(sys.argv) > 2:
            sys.stdout.write(client.get("/metrics").content.decode())
        """
    )

    def run(*arguments):
        done = subprocess.run(
            [sys.executable, "-c", program, *arguments],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("2")
    run("3")
    samples = Samples(run("1", "scrape"))
    assert samples("newsroom_requests_total", view="healthz", status="200") == 6
    assert samples("newsroom_request_duration_seconds_count", view="healthz") == 6
    assert len(list(folder.iterdir())) >= 3  # a file per process and kind of metric


def test_a_mistyped_address_stops_the_site_from_starting(client, settings):
    settings.NEWSROOM_METRICS_ALLOWED = ["10.0.0.0/8", "prometheus.internal"]
    with pytest.raises(ImproperlyConfigured, match="DJANGO_METRICS_ALLOWED"):
        client.get("/healthz")
