"""Where uploads live, from the environment: local disk by default, an S3 bucket with
MEDIA_STORAGE_URL, served from DJANGO_MEDIA_URL with the CSP following it."""

import json
import os
import subprocess
import sys

import pytest

ENDPOINT = "http://127.0.0.1:9000"
CDN = "https://media.example.com/"
STORAGE_URL = f"s3://newsroom-media/site/one?endpoint_url={ENDPOINT}&region_name=eu-west-1"

READ = (
    "import json, newsroom.settings as s; print(json.dumps({"
    "'storage': s.STORAGES['default'], 'media_url': s.MEDIA_URL, "
    "'img_src': [str(source) for source in s.SECURE_CSP['img-src']]}))"
)
# The newcomer's path: the site's modules loaded and a picture's address worked out, and
# neither boto3 nor django-storages imported.
LOCAL_ONLY = (
    "import sys, django; django.setup(); import newsroom.urls; "
    "from images.models import StoredRendition; "
    "print(StoredRendition('w320', 'jpeg', 320, 180, 'images/a.jpg').url); "
    "print(sorted({'boto3', 'botocore', 'storages'} & set(sys.modules)))"
)


def _run(code, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "MEDIA_", "AWS_"))
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean | {"DJANGO_SETTINGS_MODULE": "newsroom.settings"} | env,
        capture_output=True,
        text=True,
    )


def _settings_under(env):
    result = _run(READ, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_by_default_files_stay_on_disk_at_media():
    settings = _settings_under({})
    assert settings["storage"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert settings["media_url"] == "/media/"
    assert settings["img_src"] == ["'self'", "data:"]


def test_nothing_loads_boto3_without_object_storage():
    result = _run(LOCAL_ONLY, {})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["/media/images/a.jpg", "[]"]


def test_media_storage_url_puts_uploads_in_the_bucket_served_from_media_url():
    settings = _settings_under(
        {
            "MEDIA_STORAGE_URL": STORAGE_URL,
            "DJANGO_MEDIA_URL": "https://media.example.com/site/one",
            "DJANGO_CSP_IMG_SRC": "https://maps.example.org",
        }
    )
    assert settings["storage"] == {
        "BACKEND": "newsroom.s3_media.PublicS3Storage",
        "OPTIONS": {
            "bucket_name": "newsroom-media",
            "location": "site/one",
            "file_overwrite": False,
            "endpoint_url": ENDPOINT,
            "region_name": "eu-west-1",
        },
    }
    assert settings["media_url"] == "https://media.example.com/site/one/"
    assert settings["img_src"] == [
        "'self'",
        "data:",
        "https://media.example.com",
        "https://maps.example.org",
    ]


def test_a_bucket_alone_takes_region_and_endpoint_from_boto3():
    settings = _settings_under(
        {"MEDIA_STORAGE_URL": "s3://newsroom-media", "DJANGO_MEDIA_URL": "https://cdn.example.com/"}
    )
    assert settings["storage"]["OPTIONS"] == {
        "bucket_name": "newsroom-media",
        "location": "",
        "file_overwrite": False,
    }


def test_media_url_alone_moves_the_address_of_files_on_disk():
    # A web server or CDN of its own in front of DJANGO_MEDIA_ROOT.
    settings = _settings_under({"DJANGO_MEDIA_URL": "https://media.example.com"})
    assert settings["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert settings["media_url"] == "https://media.example.com/"
    assert "https://media.example.com" in settings["img_src"]


@pytest.mark.parametrize(
    ("storage_url", "media_url", "message"),
    [
        (
            "https://newsroom-media.s3.amazonaws.com/",
            CDN,
            "MEDIA_STORAGE_URL must start with s3://.",
        ),
        (
            "s3://AKIAEXAMPLE:s3cr3t@newsroom-media/",
            CDN,
            "MEDIA_STORAGE_URL must not hold credentials: set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY instead.",
        ),
        ("s3:///images", CDN, "MEDIA_STORAGE_URL names no bucket."),
        (
            "s3://newsroom-media?endpoint=http://127.0.0.1:9000",
            CDN,
            "MEDIA_STORAGE_URL has options we do not know (endpoint); it takes "
            "addressing_style, endpoint_url, region_name.",
        ),
        (
            "s3://newsroom-media?endpoint_url=127.0.0.1:9000",
            CDN,
            "MEDIA_STORAGE_URL has an endpoint_url that is not an http:// or https:// address.",
        ),
        (
            "s3://newsroom-media",
            "",
            "With MEDIA_STORAGE_URL, set DJANGO_MEDIA_URL to the address readers fetch",
        ),
    ],
)
def test_a_wrong_storage_setting_stops_the_start_with_what_to_fix(storage_url, media_url, message):
    result = _run(READ, {"MEDIA_STORAGE_URL": storage_url, "DJANGO_MEDIA_URL": media_url})
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured: " + message in result.stderr
    assert "s3cr3t" not in result.stderr
