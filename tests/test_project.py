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
        "'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'key': s.SECRET_KEY}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
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
