"""Project-wide promises: migrations match the models, and settings come from the environment."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _settings_under(env):
    code = (
        "import json, newsroom.settings as s; print(json.dumps({'engine': "
        "s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), "
        "'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'key': s.SECRET_KEY, "
        "'cache': s.CACHES['default']['BACKEND'], "
        "'cache_location': s.CACHES['default']['LOCATION'], "
        "'sessions': getattr(s, 'SESSION_ENGINE', 'django.contrib.sessions.backends.db'), "
        "'static': s.STORAGES['staticfiles']['BACKEND'], 'ssl_redirect': s.SECURE_SSL_REDIRECT, "
        "'hsts': s.SECURE_HSTS_SECONDS, 'secure_cookies': s.SESSION_COOKIE_SECURE, "
        "'proxy_header': getattr(s, 'SECURE_PROXY_SSL_HEADER', None)}))"
    )
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean | env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_defaults_need_no_variable_and_are_safe():
    settings = _settings_under({})
    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["name"].endswith("db.sqlite3")
    assert settings["debug"] is False
    assert settings["key"].startswith("django-insecure-")
    assert "*" not in settings["hosts"]


def test_environment_overrides_the_defaults():
    settings = _settings_under(
        {
            "DATABASE_URL": "postgres://newsroom@db.internal:5432/news",
            "DJANGO_DEBUG": "1",
            "DJANGO_ALLOWED_HOSTS": "news.example.org, www.news.example.org",
            "DJANGO_SECRET_KEY": "from-the-environment",
        }
    )
    assert settings["engine"] == "django.db.backends.postgresql"
    assert settings["name"] == "news"
    assert settings["debug"] is True
    assert settings["hosts"] == ["news.example.org", "www.news.example.org"]
    assert settings["key"] == "from-the-environment"


def test_without_services_the_database_holds_cache_and_sessions():
    settings = _settings_under({})
    assert settings["cache"] == "django.core.cache.backends.db.DatabaseCache"
    # scripts/serve and the README's production steps run createcachetable for this table.
    assert settings["cache_location"] == "newsroom_cache"
    assert settings["sessions"] == "django.contrib.sessions.backends.db"


def test_redis_url_makes_redis_the_cache_and_caches_sessions():
    settings = _settings_under({"REDIS_URL": "redis://cache.internal:6379/2"})
    assert settings["cache"] == "newsroom.cache.RedisCache"
    assert settings["cache_location"] == "redis://cache.internal:6379/2"
    assert settings["sessions"] == "django.contrib.sessions.backends.cached_db"


def test_local_defaults_serve_plain_http_and_source_static_files():
    # What the tests and scripts/serve rely on: no HTTPS redirect, no manifest to collect.
    for env in ({}, {"DJANGO_DEBUG": "1"}):
        settings = _settings_under(env)
        assert settings["static"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
        assert settings["ssl_redirect"] is False
        assert settings["hsts"] == 0
        assert settings["secure_cookies"] is False


def test_production_is_https_only_with_fingerprinted_static_files():
    settings = _settings_under({"DJANGO_DEBUG": "0"})
    assert settings["debug"] is False
    assert settings["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert settings["ssl_redirect"] is True
    assert settings["hsts"] == 365 * 24 * 3600
    assert settings["secure_cookies"] is True
    assert settings["proxy_header"] is None


def test_production_https_settings_yield_to_the_environment():
    settings = _settings_under(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_HSTS_SECONDS": "3600",
            "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        }
    )
    assert settings["ssl_redirect"] is False
    assert settings["hsts"] == 3600
    assert settings["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
