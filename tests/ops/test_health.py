"""/healthz says the process is up, /readyz whether the site can serve: never cached, never a
500, naming no host, address or version."""

import json
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as site_settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.test import override_settings
from django.utils import timezone

from articles.validators import validate_section_slug
from bench.postgres import PrivatePostgres, server_binaries
from newsroom.health import uses_redis
from newsroom.models import WorkerHeartbeat
from tests.ops.servers import app_server
from tests.query_budgets import OPERATORS
from tests.servers import free_port, request, skip_or_fail
from tests.test_database_outage import Unreachable

pytestmark = pytest.mark.django_db


def _beat(**ago):
    WorkerHeartbeat.objects.update_or_create(
        pk=WorkerHeartbeat.ONLY, defaults={"beat_at": timezone.now() - timedelta(**ago)}
    )


def _readiness(client, **headers):
    response = client.get("/readyz", **headers)
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return response.status_code, json.loads(response.content)


@pytest.mark.page_cache
def test_healthz_answers_from_the_process_alone(client, django_assert_num_queries):
    # The cache is a database table here: a look-up in the page cache would be a query.
    with django_assert_num_queries(OPERATORS["healthz"]):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response
    assert "Surrogate-Key" not in response


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_by_address_over_plain_http_are_answered(client, settings, path):
    # A load balancer names the app server's address as Host and speaks plain HTTP to it;
    # production refuses that Host (400) and redirects plain HTTP (301) everywhere else.
    settings.ALLOWED_HOSTS = ["news.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/", HTTP_HOST="10.0.0.5:8000").status_code == 400
    assert client.get(path, HTTP_HOST="10.0.0.5:8000").status_code == 200


def test_readyz_is_ok_when_every_service_is(client, django_assert_num_queries):
    _beat(seconds=5)
    with django_assert_num_queries(OPERATORS["readyz"]):
        status, body = _readiness(client)
    assert status == 200
    assert body["status"] == "ok"
    checks = body["checks"]
    assert checks["primary"]["state"] == "ok"
    assert checks["worker"]["state"] == "ok"
    assert checks["worker"]["last_beat_seconds_ago"] == 5
    assert checks["replicas"] == []
    # Checked where the cache is Redis (REDIS_URL), not where it is a database table.
    assert checks.get("redis", {"state": "ok"})["state"] == "ok"
    assert ("redis" in checks) == uses_redis()
    assert all(0 <= check["seconds"] < 5 for check in checks.values() if "seconds" in check)


def test_a_late_heartbeat_is_reported_and_the_site_still_serves(client, settings):
    settings.NEWSROOM_WORKER_HEARTBEAT_SECONDS = 60
    _beat(minutes=4)
    status, body = _readiness(client)
    assert status == 200
    assert body["status"] == "degraded"
    assert body["checks"]["worker"] == {
        "state": "late",
        "last_beat_seconds_ago": 240,
        "seconds": body["checks"]["worker"]["seconds"],
    }


def test_a_worker_that_never_beat_is_late(client):
    status, body = _readiness(client)
    assert status == 200
    assert body["checks"]["worker"]["state"] == "late"
    assert body["checks"]["worker"]["last_beat_seconds_ago"] is None


def test_without_a_heartbeat_the_worker_is_not_judged(client, settings):
    settings.NEWSROOM_WORKER_HEARTBEAT_SECONDS = 0
    status, body = _readiness(client)
    assert (status, body["status"], body["checks"]["worker"]["state"]) == (200, "ok", "off")


def test_readyz_answers_503_when_the_primary_is_down(client, caplog):
    down = Unreachable(OperationalError)
    with connection.execute_wrapper(down):
        status, body = _readiness(client)
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["primary"]["state"] == "down"
    assert body["checks"]["worker"] == {"state": "unknown"}
    # The cause is in the log, not in the answer.
    assert "Connection refused" not in json.dumps(body)
    assert "primary database is down" in caplog.text
    assert "Service Unavailable" not in caplog.text


@pytest.fixture
def redis_at_a_closed_port():
    # Not the settings fixture: the cache must be back before conftest's teardown empties it.
    down = {
        "BACKEND": "newsroom.cache.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
    with override_settings(CACHES={**site_settings.CACHES, "default": down}):
        yield


def test_readyz_answers_503_when_redis_is_down(client, redis_at_a_closed_port):
    _beat(seconds=1)
    started = timezone.now()
    status, body = _readiness(client)
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"]["state"] == "down"
    assert body["checks"]["primary"]["state"] == "ok"
    assert timezone.now() - started < timedelta(seconds=10)


def test_readyz_checks_redis_when_the_cache_is_redis(client, redis_client):
    _beat(seconds=1)
    status, body = _readiness(client)
    assert (status, body["checks"]["redis"]["state"]) == (200, "ok")


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_other_methods_are_refused_with_405(client, path, method):
    response = getattr(client, method)(path, data=b"x" * 10_000, content_type="text/plain")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_head_answers_the_status_alone(client, path):
    _beat(seconds=1)
    response = client.head(path)
    assert (response.status_code, response.content) == (200, b"")


def test_odd_requests_get_the_normal_answer(client):
    _beat(seconds=1)
    response = client.get(
        "/readyz?x=<script>alert(1)</script>&y=\x00",
        HTTP_X_FORWARDED_FOR="<script>, 1.2.3.4",
        HTTP_X_PADDING="a" * 60_000,
        HTTP_HOST="[::1]:8000",
    )
    assert response.status_code == 200
    assert b"script" not in response.content
    assert client.get("/healthz?" + "q=1&" * 5000).status_code == 200


def test_readyz_names_no_host_address_or_version(client):
    _, body = _readiness(client)
    text = json.dumps(body).lower()
    for secret in ("127.0.0.1", "localhost", "sqlite", "postgres", "django", "python", "version"):
        assert secret not in text


@pytest.mark.parametrize("slug", ["healthz", "readyz", "metrics"])
def test_no_section_can_take_an_operators_address(slug):
    with pytest.raises(ValidationError):
        validate_section_slug(slug)


def test_varnish_passes_the_operators_addresses():
    from tests.test_production import BASE_DIR

    vcl = (BASE_DIR / "deploy" / "varnish" / "newsroom.vcl").read_text()
    assert 'req.url ~ "^/(healthz|readyz|metrics)(\\?|$)"' in vcl


# The app as production serves it (deploy/serve.py, granian), against services that fail.


def _served_readiness(url):
    status, headers, body = request(url + "/readyz", headers={"Host": "10.1.2.3:8000"})
    assert headers["Cache-Control"] == "no-store"
    return status, json.loads(body)


def test_the_served_site_is_unavailable_while_its_database_and_redis_refuse(tmp_path):
    closed = {
        "DATABASE_URL": f"postgres://newsroom@127.0.0.1:{free_port()}/newsroom",
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
    }
    with app_server(tmp_path / "server.log", **closed) as url:
        # Asked by address, over plain HTTP, as a load balancer does.
        status, _, body = request(url + "/healthz", headers={"Host": "10.1.2.3:8000"})
        assert (status, body) == (200, b"ok\n")
        status, body = _served_readiness(url)
    assert status == 503
    assert body["status"] == "unavailable"
    checks = body["checks"]
    assert (checks["primary"]["state"], checks["redis"]["state"]) == ("down", "down")
    assert checks["worker"] == {"state": "unknown"}
    assert "newsroom@" not in json.dumps(body)


@pytest.fixture
def private_postgres():
    if server_binaries() is None:
        skip_or_fail("the test needs PostgreSQL's server programs: apt-get install postgresql")
    # Under the system's temporary folder, which the postgres user can reach (not pytest's).
    folder = Path(tempfile.mkdtemp(prefix="newsroom-postgres-"))
    folder.chmod(0o755)
    cluster = PrivatePostgres(folder / "cluster", database="postgres")
    try:
        cluster.create()
        cluster.start()
        yield cluster
    finally:
        cluster.remove()
        shutil.rmtree(folder, ignore_errors=True)


def test_readyz_follows_the_primary_down_and_back_up(tmp_path, private_postgres):
    with app_server(tmp_path / "server.log", DATABASE_URL=private_postgres.url) as url:
        status, body = _served_readiness(url)
        assert (status, body["checks"]["primary"]["state"]) == (200, "ok")
        # Nothing is migrated here: the heartbeat cannot be read, and the site still serves.
        assert (body["status"], body["checks"]["worker"]["state"]) == ("degraded", "down")

        private_postgres.stop()
        status, body = _served_readiness(url)
        assert (status, body["checks"]["primary"]["state"]) == (503, "down")
        assert request(url + "/healthz")[0] == 200

        private_postgres.start()
        status, body = _served_readiness(url)
        assert (status, body["checks"]["primary"]["state"]) == (200, "ok")
