"""Object storage for the tests: moto's standalone S3 server on loopback, and a fixture that
points Django's default storage and MEDIA_URL at a corner of its bucket."""

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib.util import find_spec
from urllib.parse import urlencode

import pytest

from tests.servers import free_port, skip_or_fail

BUCKET = "newsroom-media"
REGION = "eu-west-1"


def _answers(url):
    try:
        urllib.request.urlopen(url, timeout=1).close()
    except urllib.error.HTTPError:
        return True  # an S3 error page is an answer too
    except OSError:
        return False
    return True


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """Start moto's S3 server on a free loopback port with a bucket readers may read, as a CDN
    in front of it would; yield the server's address."""
    missing = [name for name in ("moto", "flask", "flask_cors", "storages") if not find_spec(name)]
    if missing:
        skip_or_fail(
            f"the object-storage tests need {', '.join(missing)}: "
            "pip install 'moto[s3]' flask flask-cors 'django-storages[s3]' "
            "(./scripts/test installs them with the test extra)"
        )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("s3") / "moto.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "--host", "127.0.0.1", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while not _answers(url):
            if server.poll() is not None or time.monotonic() > deadline:
                skip_or_fail(f"moto's S3 server did not start on {url}:\n{log.read_text()[-600:]}")
            time.sleep(0.1)
        with pytest.MonkeyPatch.context() as patch:
            # boto3 reads these; moto takes any. A developer's own AWS settings stay out.
            for name in list(os.environ):
                if name.startswith("AWS_"):
                    patch.delenv(name)
            patch.setenv("AWS_ACCESS_KEY_ID", "newsroom-tests")
            patch.setenv("AWS_SECRET_ACCESS_KEY", "newsroom-tests")
            patch.setenv("AWS_CONFIG_FILE", os.devnull)
            patch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
            client = _s3_client(url)
            client.create_bucket(
                Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
            )
            client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
            yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# What an operator grants the CDN (here, anyone): reading the objects, nothing more.
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}


def _s3_client(url):
    import boto3

    return boto3.client("s3", endpoint_url=url, region_name=REGION)


@dataclass
class Bucket:
    """The part of the test bucket one test's files go to, under a key prefix of its own."""

    client: object
    prefix: str

    def names(self):
        """Return the names of the stored files, as the storage names them."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=BUCKET, Prefix=f"{self.prefix}/"
        )
        return {
            item["Key"].removeprefix(f"{self.prefix}/")
            for page in pages
            for item in page.get("Contents", [])
        }

    def content_type(self, name):
        return self.client.head_object(Bucket=BUCKET, Key=f"{self.prefix}/{name}")["ContentType"]


@pytest.fixture
def object_storage(s3_server, settings):
    """Store uploads in the S3 server, under a prefix of this test's own, served from the
    bucket's address as MEDIA_URL; yield the Bucket."""
    from django.core.files.storage import default_storage

    from newsroom.s3_media import PublicS3Storage
    from newsroom.storage_url import media_origins, object_storage

    prefix = f"test-{secrets.token_hex(6)}"
    settings.MEDIA_URL = f"{s3_server}/{BUCKET}/{prefix}/"
    query = urlencode({"endpoint_url": s3_server, "region_name": REGION})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": object_storage(f"s3://{BUCKET}/{prefix}?{query}", settings.MEDIA_URL),
    }
    # As newsroom/settings.py adds MEDIA_URL's origin to the image sources.
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "img-src": [*settings.SECURE_CSP["img-src"], *media_origins(settings.MEDIA_URL)],
    }
    # Django forgets its storages when STORAGES changes, and image fields hold the lazy
    # default_storage, not the storage it stood for when the models were loaded.
    assert isinstance(default_storage, PublicS3Storage)
    return Bucket(_s3_client(s3_server), prefix)
