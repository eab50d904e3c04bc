"""Partners' keys: Bearer authentication, 401s, rates and 429s, use counts, and the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiKey, hash_key
from tests.factories import make_api_key, make_article

pytestmark = pytest.mark.django_db

FEED = "/api/v1/changes/"


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_valid_key_is_accepted(client):
    _, key = make_api_key()
    assert client.get(FEED, **bearer(key)).status_code == 200


def test_the_key_is_stored_hashed_not_in_clear():
    api_key, key = make_api_key()
    row = ApiKey.objects.values().get(pk=api_key.pk)
    assert key not in {str(value) for value in row.values()}
    assert row["secret_hash"] == hash_key(key)
    assert key.startswith(row["prefix"] + ".")


@pytest.mark.parametrize(
    "header",
    ["Bearer nonsense", "Bearer abcdef.wrong", "Bearer ", "bearer x.y"],
)
def test_a_wrong_key_answers_401_in_json(client, header):
    make_api_key()
    response = client.get(FEED, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_right_prefix_with_a_wrong_secret_answers_401(client):
    api_key, _ = make_api_key()
    response = client.get(FEED, **bearer(f"{api_key.prefix}.{'x' * 43}"))
    assert response.status_code == 401


def test_a_revoked_key_answers_401(client):
    _, key = make_api_key(revoked_at=timezone.now())
    response = client.get(FEED, **bearer(key))
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_an_expired_key_answers_401(client):
    _, key = make_api_key(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(FEED, **bearer(key))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_key_expiring_later_still_works(client):
    _, key = make_api_key(expires_at=timezone.now() + timedelta(days=1))
    assert client.get(FEED, **bearer(key)).status_code == 200


def test_anonymous_readers_are_limited_per_address_with_retry_after(client, settings):
    settings.API_ANONYMOUS_RATE = (3, 60)
    answers = [client.get(FEED, REMOTE_ADDR="203.0.113.5").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = client.get(FEED, REMOTE_ADDR="203.0.113.5")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "detail" in refused.json()
    # Another address has its own count.
    assert client.get(FEED, REMOTE_ADDR="203.0.113.6").status_code == 200


def test_readers_behind_our_proxy_are_counted_by_their_own_address(client, settings):
    settings.NEWSROOM_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.API_ANONYMOUS_RATE = (1, 60)
    via_proxy = {"REMOTE_ADDR": "10.0.0.2"}
    first = client.get(FEED, HTTP_X_FORWARDED_FOR="198.51.100.1", **via_proxy)
    second = client.get(FEED, HTTP_X_FORWARDED_FOR="198.51.100.2", **via_proxy)
    again = client.get(FEED, HTTP_X_FORWARDED_FOR="198.51.100.1", **via_proxy)
    assert [first.status_code, second.status_code, again.status_code] == [200, 200, 429]


def test_a_forged_forwarded_for_does_not_buy_a_new_count(client, settings):
    settings.NEWSROOM_TRUSTED_PROXIES = []
    settings.API_ANONYMOUS_RATE = (1, 60)
    client.get(FEED, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    again = client.get(FEED, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.10")
    assert again.status_code == 429


def test_a_partner_gets_its_own_rate_not_the_anonymous_one(client, settings):
    settings.API_ANONYMOUS_RATE = (1, 60)
    _, key = make_api_key(rate_per_minute=3)
    answers = [client.get(FEED, **bearer(key)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    # Its use did not spend the anonymous readers' count from the same address.
    assert client.get(FEED).status_code == 200


def test_each_key_is_counted_apart(client):
    _, slow = make_api_key(rate_per_minute=1)
    _, other = make_api_key(rate_per_minute=1)
    assert client.get(FEED, **bearer(slow)).status_code == 200
    assert client.get(FEED, **bearer(slow)).status_code == 429
    assert client.get(FEED, **bearer(other)).status_code == 200


def test_use_is_counted_and_last_use_recorded(client):
    api_key, key = make_api_key()
    client.get(FEED, **bearer(key))
    api_key.refresh_from_db()
    assert api_key.use_count == 1
    assert timezone.now() - api_key.last_used_at < timedelta(seconds=5)


def test_uses_within_a_minute_are_written_together_later(client):
    api_key, key = make_api_key()
    for _ in range(3):
        client.get(FEED, **bearer(key))
    api_key.refresh_from_db()
    assert api_key.use_count == 1  # Written once; the next two wait in the cache.
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    client.get(FEED, **bearer(key))
    api_key.refresh_from_db()
    assert api_key.use_count == 4


def test_a_recently_used_key_costs_one_query_to_check(client, django_assert_num_queries):
    _, key = make_api_key(last_used_at=timezone.now())
    client.get(FEED, **bearer(key))
    # The key's row; then the feed's own: what came due, the page of changes.
    with django_assert_num_queries(3):
        client.get(FEED, **bearer(key))


# The admin: Editors make keys, see each once, and revoke them.


def test_an_editor_makes_a_key_and_sees_it_once(editor_client):
    response = editor_client.post(
        reverse("admin:api_apikey_add"),
        {"name": "Wire partner", "rate_per_minute": "30", "can_ingest": "on", "expires_at_0": ""},
    )
    assert response.status_code == 200
    api_key = ApiKey.objects.get(name="Wire partner")
    key = response.context["key"]
    assert key in response.content.decode()
    assert api_key.matches(key) and api_key.can_ingest and api_key.rate_per_minute == 30
    assert "no-store" in response["Cache-Control"]
    change_page = editor_client.get(reverse("admin:api_apikey_change", args=[api_key.pk]))
    assert key not in change_page.content.decode()
    listing = editor_client.get(reverse("admin:api_apikey_changelist"))
    assert key not in listing.content.decode()
    assert api_key.prefix in listing.content.decode()


def test_the_key_made_in_the_admin_opens_the_api(editor_client, reader):
    response = editor_client.post(
        reverse("admin:api_apikey_add"), {"name": "App", "rate_per_minute": "60"}
    )
    assert reader.get(FEED, **bearer(response.context["key"])).status_code == 200


def test_an_editor_revokes_a_key_and_it_stops_working(editor_client, reader):
    api_key, key = make_api_key()
    response = editor_client.post(
        reverse("admin:api_apikey_changelist"),
        {"action": "revoke", "_selected_action": [api_key.pk]},
        follow=True,
    )
    assert "Revoked 1 key" in response.content.decode()
    api_key.refresh_from_db()
    assert api_key.is_revoked()
    assert reader.get(FEED, **bearer(key)).status_code == 401


def test_the_key_list_says_when_each_key_was_last_used(editor_client):
    make_api_key(name="Used", last_used_at=timezone.now() - timedelta(hours=2), use_count=7)
    html = editor_client.get(reverse("admin:api_apikey_changelist")).content.decode()
    assert "Used" in html and ">7<" in html


@pytest.mark.page_cache
def test_a_key_is_checked_and_counted_even_when_the_answer_is_stored(client):
    make_article()
    anonymous = client.get("/api/v1/articles/")
    assert anonymous.status_code == 200
    assert client.get("/api/v1/articles/")["X-Cache"] == "hit"  # stored for readers
    _, revoked = make_api_key(revoked_at=timezone.now())
    assert client.get("/api/v1/articles/", **bearer(revoked)).status_code == 401
    api_key, key = make_api_key()
    keyed = client.get("/api/v1/articles/", **bearer(key))
    assert keyed.status_code == 200
    assert keyed.json() == anonymous.json()
    assert keyed.get("X-Cache") != "hit"
    api_key.refresh_from_db()
    assert api_key.use_count == 1
