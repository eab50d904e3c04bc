"""Setting up two-factor sign-in, recovery codes and turning it off, from the admin."""

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.admin_two_factor import NEW_KEY
from tests.factories import app_code, log_in_verified, make_user
from tests.query_budgets import staff
from tests.two_factor.helpers import PASSWORD, code_step, password_step, signed_in

pytestmark = pytest.mark.django_db

SET_UP = reverse("admin:two_factor")


@pytest.fixture
def writer_client(client):
    client.force_login(make_user(group="Writers", username="tomas"))
    return client


def _code_for_the_new_key(client, steps=0):
    totp = TOTP(bytes.fromhex(client.session[NEW_KEY]))
    totp.time += steps * 30
    return f"{totp.token():06d}"


def test_every_staff_member_finds_the_page_in_the_user_tools(writer_client):
    assert (
        f'href="{SET_UP}">Two-factor sign-in</a>' in writer_client.get(reverse("admin:index")).text
    )


def test_the_set_up_page_shows_a_qr_code_and_the_key_and_saves_nothing(writer_client):
    page = writer_client.get(SET_UP)
    assert page.status_code == 200
    assert '<svg role="img"' in page.text
    assert "<title>QR code to scan with your authenticator app</title>" in page.text
    key = page.context["key"]
    assert len(key.replace(" ", "")) == 32
    assert key in page.text
    assert writer_client.get(SET_UP).context["key"] == key  # a reload shows the same
    assert not TOTPDevice.objects.exists()


def test_the_page_runs_nothing_inline(writer_client):
    page = writer_client.get(SET_UP)
    assert "<script>" not in page.text
    assert " style=" not in page.text


def test_a_wrong_code_keeps_the_page_and_turns_nothing_on(writer_client):
    key = writer_client.get(SET_UP).context["key"]
    right = int(_code_for_the_new_key(writer_client))
    answer = writer_client.post(SET_UP, {"code": f"{(right + 1) % 1_000_000:06d}"})
    assert answer.status_code == 400
    assert "That is not the code the app shows for this key" in answer.text
    assert answer.context["key"] == key
    assert not TOTPDevice.objects.exists()


@pytest.mark.parametrize(
    "code", ["", "1234567", "abcdef", "abcd2345", "１２３４５６", "12\x003456", "9" * 10_000]
)
def test_bad_input_on_the_set_up_page_gets_the_form_again(writer_client, code):
    key = writer_client.get(SET_UP).context["key"]
    answer = writer_client.post(SET_UP, {"code": code})
    assert answer.status_code == 400
    assert 'class="errorlist"' in answer.text
    assert answer.context["key"] == key
    assert not TOTPDevice.objects.exists()


def test_the_right_code_turns_it_on_and_shows_ten_recovery_codes_once(writer_client):
    writer_client.get(SET_UP)
    answer = writer_client.post(SET_UP, {"code": _code_for_the_new_key(writer_client)})
    assert answer.status_code == 200
    codes = answer.context["codes"]
    assert len(codes) == len(set(codes)) == 10
    for code in codes:
        assert f"<code>{code}</code>" in answer.text
    app = TOTPDevice.objects.get()
    assert app.confirmed
    assert StaticToken.objects.filter(device__user=app.user).count() == 10
    # This session gave the code: it goes on working; the key is no longer in it.
    assert writer_client.session[DEVICE_ID_SESSION_KEY] == app.persistent_id
    assert NEW_KEY not in writer_client.session
    status = writer_client.get(SET_UP)
    assert "10 recovery codes left" in status.text
    assert codes[0] not in status.text
    assert LogEntry.objects.filter(change_message="Turned two-factor sign-in on.").exists()


def test_once_on_the_password_alone_no_longer_signs_in(writer_client):
    writer_client.get(SET_UP)
    confirming = _code_for_the_new_key(writer_client)
    writer_client.post(SET_UP, {"code": confirming})
    browser = Client()
    assert password_step(browser, "tomas")["Location"] == reverse("admin:login_code")
    # The code that confirmed the app is used up.
    assert "it has been used already" in code_step(browser, confirming).text
    assert signed_in(code_step(browser, app_code(TOTPDevice.objects.get(), steps=1)))


@pytest.fixture
def amira_client(amira, client):
    log_in_verified(client, amira, amira.app)
    return client


def test_a_new_set_of_recovery_codes_voids_the_old_ones(amira, amira_client):
    old = amira.recovery_codes
    answer = amira_client.post(reverse("admin:two_factor_recovery_codes"))
    assert answer.status_code == 200
    new = answer.context["codes"]
    assert len(new) == 10
    assert not set(old) & set(new)
    browser = Client()
    password_step(browser)
    assert "not right" in code_step(browser, old[0]).text
    assert signed_in(code_step(browser, new[0]))
    # The session that asked stays signed in.
    assert amira_client.get(reverse("admin:index")).status_code == 200


def test_the_page_says_how_many_recovery_codes_are_left(amira, amira_client):
    browser = Client()
    password_step(browser)
    code_step(browser, amira.recovery_codes[0])
    assert "9 recovery codes left" in amira_client.get(SET_UP).text


def test_new_recovery_codes_only_by_post(amira_client):
    assert amira_client.get(reverse("admin:two_factor_recovery_codes")).status_code == 405


def test_turning_it_off_needs_the_password_and_a_code(amira, amira_client):
    off = reverse("admin:two_factor_off")
    assert amira_client.get(off).status_code == 200
    wrong_password = amira_client.post(off, {"password": "wrong", "code": app_code(amira.app)})
    assert wrong_password.status_code == 400
    assert "nothing changed" in wrong_password.text
    wrong_code = amira_client.post(off, {"password": PASSWORD, "code": "000000"})
    assert wrong_code.status_code == 400
    assert TOTPDevice.objects.filter(user=amira).exists()
    answer = amira_client.post(off, {"password": PASSWORD, "code": app_code(amira.app, steps=1)})
    assert answer.status_code == 302
    assert not TOTPDevice.objects.filter(user=amira).exists()
    assert not StaticToken.objects.filter(device__user=amira).exists()
    assert signed_in(password_step(Client()))


def test_it_cannot_be_turned_off_while_the_role_needs_it(amira, amira_client, settings):
    settings.NEWSROOM_TWO_FACTOR_REQUIRED = True
    off = reverse("admin:two_factor_off")
    page = amira_client.get(off)
    assert "Your role needs two-factor sign-in: it cannot be turned off" in page.text
    assert 'name="password"' not in page.text
    refused = amira_client.post(off, {"password": PASSWORD, "code": app_code(amira.app)})
    assert refused.status_code == 403
    assert TOTPDevice.objects.filter(user=amira).exists()


def test_wrong_passwords_to_turn_it_off_count_towards_the_limit(amira, amira_client, settings):
    settings.LOGIN_LIMIT_PER_ACCOUNT = (3, 900)
    off = reverse("admin:two_factor_off")
    for _ in range(3):
        amira_client.post(off, {"password": "guess", "code": "000000"})
    refused = amira_client.post(off, {"password": PASSWORD, "code": app_code(amira.app)})
    assert "Too many failed sign-ins from this account" in refused.text
    assert TOTPDevice.objects.filter(user=amira).exists()


def test_the_set_up_pages_queries(writer_client, django_assert_num_queries):
    writer_client.get(SET_UP)  # the key is made and kept in the session
    with django_assert_num_queries(staff("two-factor set-up")):
        assert writer_client.get(SET_UP).status_code == 200


def test_the_status_pages_queries(amira_client, django_assert_num_queries):
    with django_assert_num_queries(staff("two-factor status")):
        assert amira_client.get(SET_UP).status_code == 200
