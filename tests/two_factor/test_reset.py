"""A superuser resets a colleague's two-factor sign-in after a lost phone."""

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_user
from tests.two_factor.helpers import password_step, signed_in

pytestmark = pytest.mark.django_db


def _reset_url(user):
    return reverse("admin:auth_user_two_factor_reset", args=[user.pk])


@pytest.fixture
def superuser_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True, username="root"))
    return client


def test_a_colleagues_page_links_to_the_reset(amira, superuser_client):
    page = superuser_client.get(reverse("admin:auth_user_change", args=[amira.pk]))
    assert f'href="{_reset_url(amira)}"' in page.text


def test_the_reset_asks_first_then_resets_and_is_recorded(amira, superuser_client):
    page = superuser_client.get(_reset_url(amira))
    assert page.status_code == 200
    assert "10 recovery codes left" in page.text
    assert TOTPDevice.objects.filter(user=amira).exists()
    answer = superuser_client.post(_reset_url(amira))
    assert answer.status_code == 302
    assert answer["Location"] == reverse("admin:auth_user_change", args=[amira.pk])
    assert not TOTPDevice.objects.filter(user=amira).exists()
    assert not StaticDevice.objects.filter(user=amira).exists()
    entry = LogEntry.objects.get(object_id=str(amira.pk))
    assert entry.change_message == "Reset two-factor sign-in."
    assert entry.user.username == "root"
    assert signed_in(password_step(Client()))


def test_a_colleague_without_two_factor_has_nothing_to_reset(superuser_client):
    colleague = make_user(group="Writers")
    answer = superuser_client.get(_reset_url(colleague))
    assert answer.status_code == 302
    assert "does not have two-factor sign-in on" in superuser_client.get(answer["Location"]).text


@pytest.mark.parametrize("group", ["Editors", "Moderation leads", "Writers"])
def test_only_a_superuser_may_reset(amira, client, group):
    client.force_login(make_user(group=group))
    assert client.get(_reset_url(amira)).status_code == 403
    assert client.post(_reset_url(amira)).status_code == 403
    assert TOTPDevice.objects.filter(user=amira).exists()


def test_a_user_id_that_is_not_one_is_a_404(superuser_client):
    assert (
        superuser_client.get("/admin/auth/user/99999999999999999999/two-factor/reset/").status_code
        == 404
    )
