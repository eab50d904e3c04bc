"""Limits on failed admin sign-ins: per account, against guessing one editor's password, and per
address, against one machine trying many accounts (credential stuffing).

The two need different limits: a newsroom's staff often share one office address, where a few
typos between colleagues must not lock everyone out, while one account should see very few
wrong passwords. Counts live in the shared cache (newsroom/ratelimit.py).
"""

import logging
import math

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from . import ratelimit

logger = logging.getLogger("newsroom.security")


def _limits(request, username):
    """Yield (scope, identity, (limit, window), what the message calls it) for this attempt."""
    yield "login-account", username.casefold(), settings.LOGIN_LIMIT_PER_ACCOUNT, "this account"
    address = request.META.get("REMOTE_ADDR") or "unknown"
    yield "login-address", address, settings.LOGIN_LIMIT_PER_IP, "your network address"


def _minutes(seconds):
    minutes = max(1, math.ceil(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


TOO_MANY_ATTEMPTS = (
    "Too many failed sign-ins from %(whom)s. To keep the account safe, signing in is "
    "paused: try again in %(wait)s. A colleague with an administrator account can "
    "reset your password meanwhile."
)


def check_not_paused(request, username):
    """Raise the "paused" ValidationError if the account or the address has used up its
    failures in this window, whatever this attempt holds."""
    for scope, identity, (limit, window), whom in _limits(request, username):
        if wait := ratelimit.used_up(scope, identity, limit=limit, window=window):
            raise ValidationError(
                TOO_MANY_ATTEMPTS,
                code="too_many_attempts",
                params={"whom": whom, "wait": _minutes(wait)},
            )


def count_failure(request, username):
    """Count a wrong password or a wrong code against the account and the address."""
    for scope, identity, (limit, window), whom in _limits(request, username):
        if ratelimit.hit(scope, identity, limit=limit - 1, window=window):
            logger.warning(
                "Admin sign-in paused for %s (%s) after %d failures",
                whom,
                identity if scope == "login-address" else repr(username),
                limit,
            )


def clear_account(request, username):
    """Forget the account's failures once its owner has signed in.

    The address keeps its count, or stuffing could hide behind one account. With two-factor on
    this waits for the code: a right password must not wipe the wrong codes counted before it.
    """
    scope, identity, (_limit, window), _whom = next(_limits(request, username))
    ratelimit.forget(scope, identity, window=window)


class LimitedLoginForm(AdminAuthenticationForm):
    """The admin's sign-in form, refusing every attempt (right password or not) once an account
    or an address has used up its failures, until the window ends. The sign-in clears the
    account's count once it is complete (newsroom/sign_in.py)."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "too_many_attempts": TOO_MANY_ATTEMPTS,
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        check_not_paused(self.request, username)
        try:
            return super().clean()
        except ValidationError:
            count_failure(self.request, username)
            raise
