"""Production mode (DJANGO_DEBUG=0): deploy checks, collected static files, the app server
(granian), Redis."""

import json
import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from newsroom import ratelimit
from tests import servers

BASE_DIR = Path(settings.BASE_DIR)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_http = urllib.request.build_opener(_NoRedirects)


def _production_env(**extra):
    """Return this machine's environment with only the production variables of a deploy."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "GRANIAN_", "MEDIA_"))
        and k != "PORT"
    }
    return clean | {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": "news.example.com",
        **extra,
    }


def _manage(*args, env, timeout=120):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_deploy_checks_find_nothing_in_production():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_checks_find_nothing_with_media_in_object_storage():
    env = _production_env(
        MEDIA_STORAGE_URL="s3://newsroom-media/site?region_name=eu-west-1",
        DJANGO_MEDIA_URL="https://media.example.com/site/",
    )
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Collect the static files the way a deploy does, once for this module."""
    root = tmp_path_factory.mktemp("static")
    result = _manage(
        "collectstatic", "--noinput", env=_production_env(DJANGO_STATIC_ROOT=str(root)), timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def _fingerprinted(static_root, name):
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    return manifest["paths"][name]


def test_collected_static_files_are_fingerprinted_and_compressed(static_root):
    hashed = _fingerprinted(static_root, "css/site.css")
    assert hashed != "css/site.css"
    assert hashed.startswith("css/site.") and hashed.endswith(".css")
    for suffix in ("", ".gz", ".br"):
        assert (static_root / (hashed + suffix)).is_file(), hashed + suffix


def _get(url, **headers):
    try:
        return _http.open(urllib.request.Request(url, headers=headers), timeout=10)
    except urllib.error.HTTPError as error:  # 3xx and 4xx answers, unfollowed
        return error


@pytest.fixture
def app_server(static_root, tmp_path):
    """Start the production server (deploy/serve.py, granian) on a migrated SQLite database;
    yield its URL."""
    env = _production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # As behind a proxy that terminates TLS: the production HTTPS settings stay on.
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        GRANIAN_WORKERS="2",
    )
    for command in (("migrate", "--noinput"), ("createcachetable",)):
        result = _manage(*command, env=env, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    with servers.app_server(env, tmp_path / "server.log") as url:
        yield url


def test_the_production_server_serves_pages_over_https_only(app_server):
    page = _get(app_server + "/", **{"X-Forwarded-Proto": "https"})
    assert page.status == 200
    assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "upgrade-insecure-requests" in policy
    assert "session" not in page.headers.get("Set-Cookie", "")

    plain = _get(app_server + "/")
    assert plain.status == 301
    assert plain.headers["Location"].startswith("https://")


def test_the_production_server_serves_fingerprinted_compressed_static_files(
    app_server, static_root
):
    hashed = _fingerprinted(static_root, "css/site.css")
    answer = _get(
        f"{app_server}/static/{hashed}",
        **{"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"},
    )
    assert answer.status == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    assert "immutable" in answer.headers["Cache-Control"]
    assert answer.read() == (static_root / (hashed + ".gz")).read_bytes()


def test_the_cache_round_trips_through_redis(redis_client):
    cache.set("probe", {"headline": "Élection"}, timeout=60)
    assert cache.get("probe") == {"headline": "Élection"}
    assert redis_client.exists(cache.make_key("probe"))


def test_rate_limit_counters_live_in_redis(redis_client):
    for _ in range(3):
        wait = ratelimit.hit("probe", "203.0.113.9", limit=2, window=600)
    assert wait > 0
    keys = list(redis_client.scan_iter(match=cache.make_key("ratelimit:probe:*")))
    assert len(keys) == 1
    assert int(redis_client.get(keys[0])) == 3


def test_clearing_the_cache_spares_other_keys_in_the_same_redis(redis_client):
    # Another test run, or another site, sharing this Redis.
    redis_client.set("elsewhere:probe", "keep", ex=60)
    cache.set("probe", "drop", timeout=60)
    cache.clear()
    assert cache.get("probe") is None
    assert redis_client.get("elsewhere:probe") == b"keep"
    redis_client.delete("elsewhere:probe")


def test_every_template_compiles_before_the_first_request():
    from newsroom.warmup import compile_templates

    loaded, broken = compile_templates()
    assert broken == []
    assert "articles/article_detail.html" in loaded and "base.html" in loaded


def test_a_loaded_worker_keeps_the_site_out_of_the_garbage_collectors_sweeps():
    # What a full collection walks, and so how long it stops the worker's threads: the
    # objects made since loading, not the whole site (newsroom/warmup.py).
    probe = (
        "import gc, json, newsroom.wsgi; "
        "print(json.dumps([gc.get_freeze_count(), len(gc.get_objects()), gc.get_threshold()]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=BASE_DIR,
        env=_production_env(DJANGO_ALLOWED_HOSTS="testserver"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    frozen, swept, threshold = json.loads(done.stdout.splitlines()[-1])
    assert frozen > 50_000
    assert swept < frozen / 20
    assert threshold[2] == 1
