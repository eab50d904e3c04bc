"""Signed preview links: let someone without an account read an unpublished article, for a while.

The link carries the article's id and its expiry time, signed with the site's secret key, so
it needs no table and cannot be stretched or pointed at another article.
"""

import datetime

from django.core import signing
from django.utils import timezone

SALT = "articles.preview"
# What editors may choose when they share a link, in hours.
LIFETIMES = {1: "1 hour", 24: "1 day", 72: "3 days", 168: "1 week"}


class PreviewLinkExpired(Exception):
    pass


def make_token(article, *, hours):
    expires = timezone.now() + datetime.timedelta(hours=hours)
    return signing.dumps({"article": article.pk, "expires": int(expires.timestamp())}, salt=SALT)


def read_token(token):
    """Return (article id, expiry); raise BadSignature if tampered, PreviewLinkExpired if old."""
    payload = signing.loads(token, salt=SALT)
    expires = datetime.datetime.fromtimestamp(payload["expires"], tz=datetime.UTC)
    if expires <= timezone.now():
        raise PreviewLinkExpired(expires)
    return payload["article"], expires


def no_index_no_store(response):
    """Mark a preview answer private: never cached, never indexed, never passed on as a referrer."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
