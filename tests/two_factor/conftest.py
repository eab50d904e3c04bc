import pytest

from tests.factories import make_user, turn_on_two_factor


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    # Every test signs in several times: the default hasher would take most of the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def amira(db):
    """An editor with two-factor on: her app and her recovery codes ride on the user."""
    user = make_user(group="Editors", username="amira")
    user.app, user.recovery_codes = turn_on_two_factor(user)
    return user
