import os
import shutil
from urllib.parse import urlencode

import pytest
from django.urls import reverse

CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")

# Playwright's sync API runs an event loop in the test's thread; the Django calls the tests
# make around it are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_missing():
    return not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM))


@pytest.fixture(scope="session")
def browser():
    if _chromium_missing():
        message = (
            f"browser tests need Debian's chromium at {CHROMIUM} "
            "(apt-get install chromium, or set NEWSROOM_CHROMIUM)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
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


@pytest.fixture
def page(browser, live_server):
    """A fresh page that refuses, and records, every request leaving the live server: its own,
    and those of any popup it opens."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.foreign_requests = []

    def guard(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            page.foreign_requests.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    yield page
    context.close()


@pytest.fixture
def log_in(page):
    """Return a function that logs a user (made by make_user) in through the admin's form."""

    def log_in(user, next_url):
        page.goto(f"{reverse('admin:login')}?{urlencode({'next': next_url})}")
        page.get_by_label("Username").fill(user.get_username())
        page.get_by_label("Password").fill("a-long-test-passphrase")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: url.endswith(next_url))

    return log_in
