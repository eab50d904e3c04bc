"""Staff two-factor sign-in: an authenticator app's 6-digit codes (TOTP) and single-use
recovery codes, kept as django-otp's devices; who has it on, who must, and checking a code.

An account has two-factor on once it has a confirmed authenticator app (a TOTPDevice): only then
does signing in ask for a code (newsroom/sign_in.py). Its recovery codes are a StaticDevice
whose tokens are used up one by one. Nothing is saved before the app has shown it works: the key
being set up waits in the session (newsroom/admin_two_factor.py).
"""

import re
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.functional import SimpleLazyObject
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

RECOVERY_CODE_COUNT = 10
# Besides superusers, the roles (newsroom/roles.py) that NEWSROOM_TWO_FACTOR_REQUIRED covers:
# the accounts that can publish to every reader.
REQUIRED_FOR_GROUPS = ("Editors",)

# What a code may look like once spaces and dashes are gone. ASCII only: int() would take
# Arabic-Indic or full-width digits as the same number, and no app shows those.
APP_CODE = re.compile(r"[0-9]{6}", re.ASCII)
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}", re.ASCII)  # StaticToken.random_token()'s alphabet


def is_on(user):
    """Return True if the account signs in with a code from an authenticator app."""
    if not user.is_authenticated:
        return False
    if getattr(user, "otp_device", None) is not None:
        return True  # the session gave one of its codes (django-otp's middleware checked)
    # Asked several times in one request (the session's check, the admin's gate): once is enough.
    if not hasattr(user, "_two_factor_on"):
        user._two_factor_on = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return user._two_factor_on


def is_required(user):
    """Return True if the setting makes two-factor sign-in compulsory for this account."""
    if not (settings.NEWSROOM_TWO_FACTOR_REQUIRED and user.is_authenticated and user.is_staff):
        return False
    return user.is_superuser or user.groups.filter(name__in=REQUIRED_FOR_GROUPS).exists()


def must_set_up(user):
    """Return True if the account may open nothing in the admin until it turns two-factor on."""
    return settings.NEWSROOM_TWO_FACTOR_REQUIRED and not is_on(user) and is_required(user)


def clean_code(text):
    """Return the code as stored, without the spaces or dashes people type, or None if it
    cannot be an app's code or a recovery code."""
    code = re.sub(r"[\s-]", "", text).lower()
    if APP_CODE.fullmatch(code) or RECOVERY_CODE.fullmatch(code):
        return code
    return None


def use_code(user, code):
    """Return the device that accepts ``code`` (cleaned) for ``user``, using it up, or None.

    An app's code is good once (a replay in its 30 seconds is refused: django-otp keeps the
    last step used); a recovery code is deleted as it is used.
    """
    if APP_CODE.fullmatch(code):
        with transaction.atomic():
            # Locked, so that the same code sent twice at once is accepted once.
            app = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            return app if app is not None and app.verify_token(code) else None
    with transaction.atomic():
        codes = StaticDevice.objects.filter(user=user, confirmed=True).first()
        # The delete's own count decides: two requests with one code cannot both see it go.
        if codes is None or not codes.token_set.filter(token=code).delete()[0]:
            return None
        codes.set_last_used_timestamp()
        return codes


def new_app_key():
    """Return a new random key for an authenticator app, in hex as TOTPDevice keeps it."""
    return random_hex(20)


def app_for_key(user, key):
    """Return an unsaved authenticator app with this key, to show its QR code and key."""
    return TOTPDevice(user=user, key=key, name="Authenticator app", confirmed=False)


def turn_on(user, key, code):
    """Save the app with ``key`` if ``code`` is its current one; return it and a first set of
    recovery codes, or None for a wrong code."""
    check = TOTP(bytes.fromhex(key))
    check.time = time.time()
    if not APP_CODE.fullmatch(code) or not check.verify(int(code), tolerance=1):
        return None
    with transaction.atomic():
        turn_off(user)
        # The step just used is recorded, so the same code cannot sign in a second time.
        app = TOTPDevice.objects.create(
            user=user,
            key=key,
            name="Authenticator app",
            confirmed=True,
            last_t=check.t(),
            drift=check.drift,
        )
        codes = new_recovery_codes(user)
    user._two_factor_on = True
    return app, codes


def new_recovery_codes(user):
    """Replace the account's recovery codes with a new set and return them."""
    with transaction.atomic():
        # One device for good: a session verified with a recovery code stays verified.
        device, _ = StaticDevice.objects.get_or_create(
            user=user, defaults={"name": "Recovery codes"}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user).count()


def turn_off(user):
    """Delete the account's authenticator app and recovery codes: its password alone signs in.

    Every session verified with them stops being so at its next request.
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    user._two_factor_on = False


def _anonymous():
    user = AnonymousUser()
    user.otp_device = None
    user.is_verified = lambda: False
    return user


class UnverifiedSessionMiddleware:
    """Make a signed-in session anonymous while its account has two-factor on and the session
    has not given a code.

    The sign-in never makes such a session: one that was signed in before its account turned
    two-factor on in another browser is one. Installed after django-otp's middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user

        def checked():
            if user.is_authenticated and not user.is_verified() and is_on(user):
                return _anonymous()
            return user

        # Lazy, as the layers below: a reader's page that never looks at the user costs nothing.
        request.user = SimpleLazyObject(checked)
        return self.get_response(request)
