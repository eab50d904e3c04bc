"""Send a request as a client would and fail, naming the request, on a server error."""

import traceback

from django.test import Client

from .strategies import percent

# A page, a redirect, "not modified", or a clear refusal.
CLEAR_ANSWERS = {200, 301, 302, 303, 304, 400, 403, 404, 405, 409, 410, 413, 414, 429}


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


def answer_to(method, url, pairs, *, client, **extra):
    """Return the answer to the (name, value) pairs sent as a query string or a form, as
    answer() does; they are encoded by hand, since the test client's encoder cannot send
    invalid UTF-8."""
    encoded = "&".join(f"{percent(name)}={percent(value)}" for name, value in pairs)
    if method == "get":
        return answer("get", f"{url}?{encoded}", client=client, **extra)
    return answer(
        method,
        url,
        client=client,
        data=encoded.encode(),
        content_type="application/x-www-form-urlencoded",
        **extra,
    )


def summary(failure):
    """Return answer()'s failure in one line: the request, and the exception's last line."""
    lines = str(failure).strip().splitlines()
    return lines[0] if len(lines) == 1 else f"{lines[0]}: {lines[-1]}"
