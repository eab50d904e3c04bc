"""NEWSROOM_TWO_FACTOR_REQUIRED: Editors and superusers set it up before anything else."""

import pytest
from django.core.checks import run_checks
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from newsroom.admin_two_factor import NEW_KEY
from tests.factories import app_code, make_user
from tests.two_factor.helpers import code_step, password_step, signed_in

pytestmark = pytest.mark.django_db

SET_UP = reverse("admin:two_factor")


@pytest.fixture(autouse=True)
def _required(settings):
    settings.NEWSROOM_TWO_FACTOR_REQUIRED = True


def _signed_in_with_password(username):
    browser = Client()
    assert signed_in(password_step(browser, username))
    return browser


@pytest.mark.parametrize(
    "account",
    [{"group": "Editors"}, {"is_staff": True, "is_superuser": True}],
    ids=["editor", "superuser"],
)
def test_an_editor_or_a_superuser_must_set_it_up_first(account):
    make_user(username="nadia", **account)
    browser = _signed_in_with_password("nadia")
    for page in [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:password_change"),
        reverse("admin:comments_desk"),
    ]:
        answer = browser.get(page)
        assert answer.status_code == 302, page
        assert answer["Location"] == SET_UP
    set_up = browser.get(SET_UP)
    assert set_up.status_code == 200
    assert "Your role needs two-factor sign-in" in set_up.text
    # Signing out still works.
    browser.post(reverse("admin:logout"))
    assert browser.get(SET_UP)["Location"].startswith(reverse("admin:login"))


def test_once_set_up_the_admin_opens(db):
    make_user(group="Editors", username="nadia")
    browser = _signed_in_with_password("nadia")
    browser.get(SET_UP)
    code = f"{TOTP(bytes.fromhex(browser.session[NEW_KEY])).token():06d}"
    assert browser.post(SET_UP, {"code": code}).status_code == 200
    assert browser.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("group", ["Writers", "Moderators", "Moderation leads"])
def test_other_roles_may_set_it_up_but_are_not_made_to(group):
    make_user(group=group, username="tomas")
    browser = _signed_in_with_password("tomas")
    assert browser.get(reverse("admin:index")).status_code == 200
    set_up = browser.get(SET_UP)
    assert "Your role needs" not in set_up.text


def test_without_the_setting_nobody_is_made_to(settings):
    settings.NEWSROOM_TWO_FACTOR_REQUIRED = False
    make_user(group="Editors", username="nadia")
    assert _signed_in_with_password("nadia").get(reverse("admin:index")).status_code == 200


def test_an_editor_with_two_factor_on_signs_in_with_the_code(amira):
    browser = Client()
    password_step(browser)
    assert signed_in(code_step(browser, app_code(amira.app)))
    assert browser.get(reverse("admin:index")).status_code == 200


def test_the_deploy_checks_warn_when_production_runs_without_it(settings):
    settings.PRODUCTION = True
    settings.NEWSROOM_TWO_FACTOR_REQUIRED = False
    found = [message.id for message in run_checks(include_deployment_checks=True)]
    assert "newsroom.W001" in found
    settings.NEWSROOM_TWO_FACTOR_REQUIRED = True
    found = [message.id for message in run_checks(include_deployment_checks=True)]
    assert "newsroom.W001" not in found
