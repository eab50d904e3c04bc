"""The S3 storage for uploads, whose public addresses are MEDIA_URL's (newsroom/storage_url.py).

Only Django's storage handler imports this module, and only when MEDIA_STORAGE_URL is set.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class PublicS3Storage(S3Storage):
    """Files in an S3 bucket, read by readers through the CDN at MEDIA_URL."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        """Return MEDIA_URL followed by the file's name, as FileSystemStorage does."""
        # Worked out here, with no request and no signature: a page lists dozens of pictures,
        # the CDN serves public files, and MEDIA_URL + name is what article bodies and the
        # sanitiser recognise as our own media (images/body.py, richtext/sanitize.py).
        return urljoin(settings.MEDIA_URL, filepath_to_uri(clean_name(name)).lstrip("/"))
