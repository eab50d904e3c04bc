"""MEDIA_STORAGE_URL, read into the storage settings that put uploads in an S3 bucket.

Read by the settings module, so it imports nothing from Django's apps, nor boto3.
"""

from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKEND = "newsroom.s3_media.PublicS3Storage"
# Query parameters a MEDIA_STORAGE_URL may carry, as django-storages' S3 options name them.
OPTIONS = {"endpoint_url", "region_name", "addressing_style"}
EXAMPLE = "s3://newsroom-media/prefix?endpoint_url=http://127.0.0.1:9000&region_name=eu-west-1"


def _refuse(problem):
    # Never repeat the address itself: it may hold a secret someone put there by mistake.
    return ImproperlyConfigured(f"MEDIA_STORAGE_URL {problem} It looks like {EXAMPLE}.")


def object_storage(url, media_url):
    """Return the STORAGES entry for an ``s3://bucket/prefix?option=value`` address.

    Files are then public at ``media_url`` (a CDN in front of the bucket) followed by their
    name; credentials come from boto3's own sources (AWS_ACCESS_KEY_ID and
    AWS_SECRET_ACCESS_KEY, a profile, an instance role), never from the address.
    """
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise _refuse("must start with s3://.")
    if "@" in parts.netloc:
        raise _refuse(
            "must not hold credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead."
        )
    if not parts.netloc:
        raise _refuse("names no bucket.")
    options = dict(parse_qsl(parts.query, keep_blank_values=True))
    if unknown := sorted(set(options) - OPTIONS):
        raise _refuse(
            f"has options we do not know ({', '.join(unknown)}); "
            f"it takes {', '.join(sorted(OPTIONS))}."
        )
    endpoint = options.get("endpoint_url")
    if endpoint is not None and urlsplit(endpoint).scheme not in ("http", "https"):
        raise _refuse("has an endpoint_url that is not an http:// or https:// address.")
    if not media_url.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            "With MEDIA_STORAGE_URL, set DJANGO_MEDIA_URL to the address readers fetch the "
            "bucket's files from (a CDN in front of it), e.g. https://media.example.com/."
        )
    return {
        "BACKEND": BACKEND,
        "OPTIONS": {
            "bucket_name": parts.netloc,
            "location": unquote(parts.path).strip("/"),
            # Two uploads of "photo.jpg" in one month get two names, as on disk: the
            # default would let the second overwrite the first.
            "file_overwrite": False,
            **{name: value for name, value in options.items() if value},
        },
    }


def media_origins(media_url):
    """Return the origin of an absolute MEDIA_URL in a list, for the CSP's image sources;
    an empty list for one on this site."""
    parts = urlsplit(media_url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return [f"{parts.scheme}://{parts.netloc}"]
    return []
