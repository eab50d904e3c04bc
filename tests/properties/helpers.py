"""Send a request as a client would and fail, naming the request, on a server error."""

import traceback

from django.test import Client

# A page, a redirect, "not modified", or a clear refusal.
CLEAR_ANSWERS = {200, 301, 302, 303, 304, 400, 403, 404, 405, 410, 413, 414, 429}


def shorten(value, limit=300):
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def answer(method, url, *, client=None, **kwargs):
    """Return the site's answer to one request; fail if it is not a page or a clear 4xx.

    The client does not raise the view's exception: a crash comes back as the 500 page a
    reader would get, and the failure names the request and shows the traceback.
    """
    client = client or Client(raise_request_exception=False)
    response = getattr(client, method)(url, **kwargs)
    if response.status_code not in CLEAR_ANSWERS:
        sent = {key: shorten(value) for key, value in kwargs.items()}
        crash = getattr(response, "exc_info", None)
        detail = "".join(traceback.format_exception(*crash)) if crash else ""
        raise AssertionError(
            f"{method.upper()} {shorten(url)} {sent or ''} answered "
            f"{response.status_code}\n{detail}"
        )
    return response
