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


class LimitedLoginForm(AdminAuthenticationForm):
    """The admin's sign-in form, refusing every attempt (right password or not) once an account
    or an address has used up its failures, until the window ends."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "too_many_attempts": (
            "Too many failed sign-ins from %(whom)s. To keep the account safe, signing in is "
            "paused: try again in %(wait)s. A colleague with an administrator account can "
            "reset your password meanwhile."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        limits = list(_limits(self.request, username))
        for scope, identity, (limit, window), whom in limits:
            if wait := ratelimit.used_up(scope, identity, limit=limit, window=window):
                raise ValidationError(
                    self.error_messages["too_many_attempts"],
                    code="too_many_attempts",
                    params={"whom": whom, "wait": _minutes(wait)},
                )
        try:
            cleaned_data = super().clean()
        except ValidationError:
            for scope, identity, (limit, window), whom in limits:
                if ratelimit.hit(scope, identity, limit=limit - 1, window=window):
                    logger.warning(
                        "Admin sign-in paused for %s (%s) after %d failures",
                        whom,
                        identity if scope == "login-address" else repr(username),
                        limit,
                    )
            raise
        # The right password clears the account's count: an editor's earlier typos do not
        # carry over. The address keeps its count, or stuffing could hide behind one account.
        scope, identity, (_limit, window), _whom = limits[0]
        ratelimit.forget(scope, identity, window=window)
        return cleaned_data
