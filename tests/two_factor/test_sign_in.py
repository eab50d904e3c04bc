"""Signing in with two-factor on: the password, then a code; the limits count wrong codes."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from newsroom.sign_in import MARK, MARK_SECONDS
from tests.factories import app_code, make_user
from tests.query_budgets import sign_in
from tests.two_factor.helpers import code_step, opens_the_admin, password_step, signed_in

pytestmark = pytest.mark.django_db


def test_the_right_password_alone_opens_no_admin_page(amira, client):
    answer = password_step(client)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("admin:login_code")
    assert SESSION_KEY not in client.session
    assert not opens_the_admin(client)
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 302
    amira.refresh_from_db()
    assert amira.last_login is None


def test_the_code_page_asks_for_the_apps_code(amira, client):
    password_step(client)
    page = client.get(reverse("admin:login_code"))
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.text
    assert 'inputmode="numeric"' in page.text
    assert "Signing in as <strong>amira</strong>" in page.text
    recovery = client.get(reverse("admin:login_code") + "?with=recovery")
    assert 'inputmode="text"' in recovery.text


def test_the_right_code_after_the_password_signs_in(amira, client):
    password_step(client)
    before = client.session.session_key
    assert signed_in(code_step(client, app_code(amira.app)))
    assert client.session.session_key != before
    assert client.session[DEVICE_ID_SESSION_KEY] == amira.app.persistent_id
    assert MARK not in client.session
    assert opens_the_admin(client)


def test_a_code_typed_with_spaces_signs_in(amira, client):
    password_step(client)
    code = app_code(amira.app)
    assert signed_in(code_step(client, f" {code[:3]} {code[3:]} "))


def test_a_recovery_code_signs_in_once_and_not_twice(amira, client):
    code = amira.recovery_codes[3]
    password_step(client)
    assert signed_in(code_step(client, code.upper()))
    assert opens_the_admin(client)
    again = Client()
    password_step(again)
    refused = code_step(again, code)
    assert refused.status_code == 200
    assert "That code is not right, or it has been used already" in refused.text
    assert not opens_the_admin(again)


def test_an_apps_code_is_good_once_within_its_window(amira, client):
    code = app_code(amira.app)
    password_step(client)
    assert signed_in(code_step(client, code))
    again = Client()
    password_step(again)
    assert "it has been used already" in code_step(again, code).text
    # The app's next code is good.
    assert signed_in(code_step(again, app_code(amira.app, steps=1)))


def test_wrong_codes_count_towards_the_accounts_limit(amira, settings):
    settings.LOGIN_LIMIT_PER_ACCOUNT = (5, 900)
    browser = Client()
    password_step(browser, REMOTE_ADDR="203.0.113.1")
    for n in range(5):
        wrong = code_step(browser, f"{n:06d}", REMOTE_ADDR=f"203.0.113.{n + 1}")
        assert "That code is not right" in wrong.text
    refused = code_step(browser, app_code(amira.app), REMOTE_ADDR="198.51.100.9")
    assert "Too many failed sign-ins from this account" in refused.text
    assert not opens_the_admin(browser)
    # The password step is paused as well, even with the right password, from anywhere.
    fresh = Client()
    paused = password_step(fresh, REMOTE_ADDR="198.51.100.10")
    assert "Too many failed sign-ins from this account" in paused.text
    assert "try again in" in paused.text


def test_the_right_password_does_not_clear_the_wrong_codes_before_it(amira, settings):
    settings.LOGIN_LIMIT_PER_ACCOUNT = (3, 900)
    for n in range(2):
        browser = Client()
        password_step(browser)
        code_step(browser, f"{n:06d}")
    browser = Client()
    assert password_step(browser).status_code == 302  # right, but the count stays
    code_step(browser, "999999")
    assert "Too many failed sign-ins from this account" in password_step(Client()).text


def test_a_complete_sign_in_clears_the_accounts_count(amira, settings):
    settings.LOGIN_LIMIT_PER_ACCOUNT = (3, 900)
    browser = Client()
    password_step(browser)
    code_step(browser, "000000")
    code_step(browser, "111111")
    assert signed_in(code_step(browser, app_code(amira.app)))
    browser = Client()
    password_step(browser)
    code_step(browser, "222222")
    code_step(browser, "333333")
    assert signed_in(code_step(browser, app_code(amira.app, steps=1)))


def test_wrong_codes_count_towards_the_addresses_limit(amira, settings):
    settings.LOGIN_LIMIT_PER_IP = (3, 900)
    browser = Client(REMOTE_ADDR="203.0.113.66")
    password_step(browser)
    for n in range(3):
        code_step(browser, f"{n:06d}")
    refused = code_step(browser, app_code(amira.app))
    assert "Too many failed sign-ins from your network address" in refused.text
    make_user(group="Writers", username="tomas")
    assert "your network address" in password_step(browser, "tomas").text
    assert signed_in(password_step(Client(REMOTE_ADDR="198.51.100.9"), "tomas"))


def test_a_code_without_a_password_step_is_refused(amira, client):
    refused = code_step(client, app_code(amira.app))
    assert refused.status_code == 403
    assert "This sign-in has expired, or it did not start in this browser" in refused.text
    assert f'href="{reverse("admin:login")}"' in refused.text
    assert SESSION_KEY not in client.session
    assert client.get(reverse("admin:login_code")).status_code == 403


def test_a_password_step_in_another_browser_does_not_count(amira, client):
    password_step(Client())
    assert code_step(client, app_code(amira.app)).status_code == 403
    assert not opens_the_admin(client)


def test_a_password_step_older_than_a_few_minutes_is_refused(amira, client):
    password_step(client)
    session = client.session
    session[MARK] = {**session[MARK], "at": session[MARK]["at"] - MARK_SECONDS - 1}
    session.save()
    refused = code_step(client, app_code(amira.app))
    assert refused.status_code == 403
    assert not opens_the_admin(client)
    # The stale mark is gone: a new password step is needed.
    assert MARK not in client.session


def test_a_forged_mark_for_another_account_is_refused(amira, client):
    password_step(client)
    session = client.session
    session[MARK] = {**session[MARK], "hash": "forged"}
    session.save()
    assert code_step(client, app_code(amira.app)).status_code == 403


def test_a_password_changed_after_the_password_step_voids_it(amira, client):
    password_step(client)
    amira.set_password("another-long-passphrase")
    amira.save()
    assert code_step(client, app_code(amira.app)).status_code == 403


@pytest.mark.parametrize(
    "code",
    [
        "",
        "   ",
        "1234567",
        "12345",
        "abcdef",
        "١٢٣٤٥٦",  # Arabic-Indic digits
        "１２３４５６",  # full-width digits
        "12\x003456",
        "1" * 10_000,
        "<script>alert(1)</script>",
    ],
)
def test_a_malformed_code_gets_the_form_again_and_keeps_the_step(amira, client, code):
    password_step(client)
    answer = code_step(client, code)
    assert answer.status_code == 200
    assert 'class="errorlist"' in answer.text
    assert "<script>alert(1)</script>" not in answer.text
    assert not opens_the_admin(client)
    assert signed_in(code_step(client, app_code(amira.app)))


def test_an_account_without_two_factor_signs_in_with_its_password(client, db):
    make_user(group="Writers", username="tomas")
    assert signed_in(password_step(client, "tomas"))
    assert opens_the_admin(client)


def test_a_session_signed_in_before_two_factor_was_turned_on_opens_nothing(amira, client):
    client.force_login(amira)  # no code given in this session
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    assert client.get(reverse("admin:login")).status_code == 200


def test_the_code_pages_queries(amira, client, django_assert_num_queries):
    password_step(client)
    with django_assert_num_queries(sign_in("code page")):
        assert client.get(reverse("admin:login_code")).status_code == 200
