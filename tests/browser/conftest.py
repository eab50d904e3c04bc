import os
import shutil
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.servers import skip_or_fail

from .checks import REPOSITORY

CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
AXE_SCRIPT = REPOSITORY / "node_modules" / "axe-core" / "axe.min.js"

# Playwright's sync API runs an event loop in the test's thread; the Django calls the tests
# make around it are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_missing():
    return not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM))


@pytest.fixture(scope="session")
def browser():
    if _chromium_missing():
        skip_or_fail(
            f"browser tests need Debian's chromium at {CHROMIUM} "
            "(apt-get install chromium, or set NEWSROOM_CHROMIUM)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _cache_emptied(transactional_db):
    # The flush after a live-server test empties the models' tables, not the database cache's:
    # comment rate-limit counters (every post here comes from 127.0.0.1) would outlive the
    # test and refuse the next one's comments, here or in a later suite.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _is_policy_error(message):
    # Chromium reports what a Content-Security-Policy blocked as a console error, e.g.
    # "Refused to execute inline script because it violates the following Content Security
    # Policy directive: …".
    text = message.text
    return message.type == "error" and (
        "Content Security Policy" in text or text.startswith("Refused to")
    )


def _guarded_page(browser, live_server):
    """Open a page in a new context that refuses, and records, every request leaving the live
    server (its own, and those of any popup it opens) and records what the page's security
    policy blocked."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.foreign_requests = []
    page.policy_errors = []

    def guard(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            page.foreign_requests.append(route.request.url)
            route.abort()

    def listen(message):
        if _is_policy_error(message):
            page.policy_errors.append(f"{message.page.url if message.page else ''}: {message.text}")

    context.route("**/*", guard)
    context.on("console", listen)
    return page


@pytest.fixture
def page(browser, live_server):
    """A fresh page; see _guarded_page for what it records."""
    page = _guarded_page(browser, live_server)
    yield page
    page.context.close()


@pytest.fixture
def reader(browser, live_server):
    """A second page with cookies of its own: an anonymous reader beside a signed-in ``page``."""
    page = _guarded_page(browser, live_server)
    yield page
    page.context.close()


@pytest.fixture
def log_in(page):
    """Return a function that logs a user (made by make_user) in through the admin's form,
    typing the code from their app on the second page when they have two-factor on."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import unused_app_code

    def log_in(user, next_url):
        page.goto(f"{reverse('admin:login')}?{urlencode({'next': next_url})}")
        page.get_by_label("Username").fill(user.get_username())
        page.get_by_label("Password").fill("a-long-test-passphrase")
        page.get_by_role("button", name="Log in").click()
        if app := TOTPDevice.objects.filter(user=user, confirmed=True).first():
            page.wait_for_url(f"**{reverse('admin:login_code')}")
            # A second sign-in in the same 30 seconds needs the next period's code.
            page.get_by_label("Code from your authenticator app").fill(unused_app_code(app))
            page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: url.endswith(next_url))

    return log_in


@pytest.fixture(scope="session")
def axe_script():
    """Return the source of axe-core, installed from npm by scripts/test."""
    if not AXE_SCRIPT.exists():
        if shutil.which("npm") is None:
            how = "install Node.js 20 or newer (it brings npm), then run ./scripts/test"
        else:
            how = "run ./scripts/test, or npm ci, in the repository's folder"
        skip_or_fail(f"the accessibility checks need axe-core at {AXE_SCRIPT}: {how}")
    return AXE_SCRIPT.read_text(encoding="utf-8")
