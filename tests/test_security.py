"""Security headers on every page, and the admin's door: sign-in limits, sessions that end,
an address that can move."""

import importlib
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import clear_url_caches, reverse
from lxml import html as lxml_html

from newsroom import sessions
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_correction,
    make_topic,
    make_user,
)

PASSWORD = "a-long-test-passphrase"


@pytest.fixture
def story(db):
    topic = make_topic(name="Elections")
    article = make_article(topics=[topic], primary_topic=topic, authors=[make_author()], image=True)
    make_comment(article=article)
    make_correction(article=article)
    return article


def _public_pages(story):
    """Return each public page's address, and the status it answers with."""
    return {
        "front page": ("/", 200),
        "section": (story.section.get_absolute_url(), 200),
        "article": (story.get_absolute_url(), 200),
        "topic": (story.primary_topic.get_absolute_url(), 200),
        "author": (story.authors.first().get_absolute_url(), 200),
        "search": ("/search/?q=election", 200),
        "corrections": ("/corrections/", 200),
        "not found": ("/no-such-page/", 404),
    }


def _directives(response):
    policy = response.headers["Content-Security-Policy"]
    return dict([*part.strip().split(" ", 1), ""][:2] for part in policy.split(";") if part.strip())


def test_public_pages_carry_a_strict_policy_and_the_other_security_headers(client, story):
    for name, (url, status) in _public_pages(story).items():
        response = client.get(url)
        assert response.status_code == status, name
        policy = _directives(response)
        assert policy["default-src"] == "'self'", name
        # No nonce: a cached page is the same for every reader, and none runs inline code.
        assert policy["script-src"] == "'self'", name
        # 'self', and the hash of the one <style> the admin's editor adds: never anything inline.
        assert policy["style-src"].startswith("'self'"), name
        assert "nonce-" not in policy["style-src"], name
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"], name
        assert policy["object-src"] == "'none'", name
        assert policy["frame-ancestors"] == "'none'", name
        assert policy["form-action"] == "'self'", name
        assert policy["base-uri"] == "'none'", name
        assert response.headers["X-Frame-Options"] == "DENY", name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name
        assert response.headers["Referrer-Policy"] == "same-origin", name
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin", name
        assert "camera=()" in response.headers["Permissions-Policy"], name
        assert "geolocation=()" in response.headers["Permissions-Policy"], name


def test_public_pages_have_no_inline_script_or_style(client, story):
    """What the policy would block must not be on the page in the first place."""
    for name, (url, status) in _public_pages(story).items():
        response = client.get(url)
        assert response.status_code == status, name
        tree = lxml_html.fromstring(response.content)
        for script in tree.iter("script"):
            # Structured data is read, never run, so the policy leaves it alone.
            assert script.get("src") or script.get("type") == "application/ld+json", (
                name,
                lxml_html.tostring(script)[:200],
            )
        assert not tree.xpath("//style"), name
        assert not tree.xpath("//*[@style]"), name
        handlers = tree.xpath("//@*[starts-with(name(), 'on')]")
        assert not handlers, (name, handlers)
        assert not tree.xpath("//a[starts-with(normalize-space(@href), 'javascript:')]"), name


@pytest.mark.page_cache
@pytest.mark.django_db(transaction=True)
def test_a_cached_page_keeps_the_same_policy(client):
    article = make_article()
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())
    assert first.headers["Content-Security-Policy"] == second.headers["Content-Security-Policy"]
    assert "nonce-" not in second.headers["Content-Security-Policy"]


def test_the_rich_text_editor_runs_under_the_policy_with_a_nonce_of_its_own(editor_client):
    response = editor_client.get(reverse("admin:articles_article_add"))
    assert response.status_code == 200
    nonce = _directives(response)["script-src"].split("'nonce-")[1].rstrip("'")
    tree = lxml_html.fromstring(response.content)
    inline = [script for script in tree.iter("script") if not script.get("src")]
    assert inline, "the editor's import map is an inline script"
    for script in inline:
        assert script.get("nonce") == nonce, lxml_html.tostring(script)[:200]
    # Each page gets a fresh one.
    again = editor_client.get(reverse("admin:articles_article_add"))
    assert nonce not in again.headers["Content-Security-Policy"]


# The admin's door.


def _sign_in(client, username, password, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        **extra,
    )


def _signed_in(response):
    return response.status_code == 302 and response.headers["Location"] == reverse("admin:index")


def test_an_account_is_paused_after_five_wrong_passwords(settings, db):
    settings.LOGIN_LIMIT_PER_ACCOUNT = (5, 900)
    editor = make_user(group="Editors", username="amira")
    browser = Client()
    for attempt in range(5):
        answer = _sign_in(browser, "amira", f"wrong-{attempt}", REMOTE_ADDR=f"203.0.113.{attempt}")
        assert "Please enter the correct username and password" in answer.text
    # Even the right password, from yet another address, is refused until the window ends.
    refused = _sign_in(browser, "amira", PASSWORD, REMOTE_ADDR="198.51.100.9")
    assert not _signed_in(refused)
    assert "Too many failed sign-ins from this account" in refused.text
    assert "try again in" in refused.text
    # Other accounts are not affected.
    make_user(group="Editors", username="tomas")
    assert _signed_in(_sign_in(Client(), "tomas", PASSWORD, REMOTE_ADDR="198.51.100.9"))
    assert editor.last_login is None


def test_the_right_password_clears_an_accounts_earlier_typos(settings, db):
    settings.LOGIN_LIMIT_PER_ACCOUNT = (3, 900)
    make_user(group="Editors", username="amira")
    for _ in range(2):
        _sign_in(Client(), "amira", "typo")
    assert _signed_in(_sign_in(Client(), "amira", PASSWORD))
    for _ in range(2):
        _sign_in(Client(), "amira", "typo")
    assert _signed_in(_sign_in(Client(), "amira", PASSWORD))


def test_one_address_trying_many_accounts_is_paused_and_others_are_not(settings, db):
    settings.LOGIN_LIMIT_PER_IP = (20, 900)
    make_user(group="Editors", username="amira")
    for n in range(20):
        _sign_in(Client(), f"guess{n}", "password1", REMOTE_ADDR="203.0.113.66")
    refused = _sign_in(Client(), "amira", PASSWORD, REMOTE_ADDR="203.0.113.66")
    assert not _signed_in(refused)
    assert "Too many failed sign-ins from your network address" in refused.text
    assert _signed_in(_sign_in(Client(), "amira", PASSWORD, REMOTE_ADDR="198.51.100.9"))


def test_behind_our_proxy_the_limit_counts_the_readers_address(settings, db):
    settings.LOGIN_LIMIT_PER_IP = (3, 900)
    settings.NEWSROOM_TRUSTED_PROXIES = ["127.0.0.1"]
    make_user(group="Editors", username="amira")
    via_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for n in range(3):
        _sign_in(Client(), f"guess{n}", "x", HTTP_X_FORWARDED_FOR="203.0.113.66", **via_proxy)
    # A forged first entry does not move the attacker to a fresh address: the proxy appends
    # the address it saw, and that is the one counted.
    forged = _sign_in(
        Client(), "amira", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.66", **via_proxy
    )
    assert "Too many failed sign-ins from your network address" in forged.text
    colleague = _sign_in(
        Client(), "amira", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9", **via_proxy
    )
    assert _signed_in(colleague)


def test_without_trusted_proxies_a_forwarded_address_is_ignored(settings, db):
    settings.LOGIN_LIMIT_PER_IP = (3, 900)
    make_user(group="Editors", username="amira")
    for n in range(3):
        _sign_in(Client(), f"guess{n}", "x", REMOTE_ADDR="203.0.113.66")
    spoofed = _sign_in(
        Client(), "amira", PASSWORD, REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="10.1.1.1"
    )
    assert not _signed_in(spoofed)


@pytest.mark.parametrize("username", ["", "a" * 5000, "nul\x00name", "<script>alert(1)</script>"])
def test_hostile_sign_in_input_is_a_form_error(db, username):
    answer = _sign_in(Client(), username, "x")
    assert answer.status_code == 200
    assert "<script>alert(1)</script>" not in answer.text


def test_password_validators_refuse_weak_passwords(admin_client, db):
    user = make_user(group="Editors", username="amira")
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    answer = admin_client.post(url, {"password1": "12345678", "password2": "12345678"})
    assert "This password is too common" in answer.text
    assert "This password is entirely numeric" in answer.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_staff_session_ends_after_hours_without_use(settings, db):
    settings.SESSION_COOKIE_AGE = 8 * 3600
    make_user(group="Editors", username="amira")
    browser = Client()
    assert _signed_in(_sign_in(browser, "amira", PASSWORD))
    assert browser.cookies["sessionid"]["max-age"] == 8 * 3600
    session = Session.objects.get(session_key=browser.cookies["sessionid"].value)
    left = (session.expire_date.timestamp() - time.time()) / 3600
    assert 7.9 < left <= 8


def test_a_session_in_use_is_renewed_now_and_then_not_on_every_page(settings, db, monkeypatch):
    make_user(group="Editors", username="amira")
    browser = Client()
    _sign_in(browser, "amira", PASSWORD)
    key = browser.cookies["sessionid"].value
    first_expiry = Session.objects.get(session_key=key).expire_date
    # A page soon after signing in does not write the session again.
    browser.get(reverse("admin:index"))
    assert Session.objects.get(session_key=key).expire_date == first_expiry
    # Some minutes on, the next page moves the end of the session forward.
    later = time.time() + sessions.RENEW_EVERY_SECONDS + 60
    monkeypatch.setattr(sessions.time, "time", lambda: later)
    browser.get(reverse("admin:index"))
    assert Session.objects.get(session_key=key).expire_date > first_expiry


@pytest.fixture
def admin_at(settings):
    """Serve the admin at another address for one test, as DJANGO_ADMIN_PATH does."""
    import newsroom.urls

    def move(path):
        settings.NEWSROOM_ADMIN_PATH = path
        importlib.reload(newsroom.urls)
        clear_url_caches()

    yield move
    settings.NEWSROOM_ADMIN_PATH = "admin/"
    importlib.reload(newsroom.urls)
    clear_url_caches()


def test_the_admin_can_move_to_another_address(admin_at, client, db):
    admin_at("desk-7f3a/")
    assert reverse("admin:index") == "/desk-7f3a/"
    assert client.get("/desk-7f3a/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404
    robots = client.get("/robots.txt").text
    assert "desk-7f3a" not in robots
    assert "/admin/" not in robots


def test_robots_txt_keeps_crawlers_off_the_default_admin_address(client, db):
    assert "Disallow: /admin/" in client.get("/robots.txt").text
