"""The admin works under the Content Security Policy: nothing it needs is blocked."""

import pytest
from django.urls import reverse

from tests.factories import make_article, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every blocked script, stylesheet or image fires this event; the listener is in place before
# any of the page's own scripts run.
RECORD_VIOLATIONS = """
window.policyViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.policyViolations.push(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
        `(${event.sourceFile}:${event.lineNumber}) ${event.sample}`
    );
});
"""


def _violations(page):
    return page.evaluate("window.policyViolations")


def test_the_rich_text_editor_and_the_admin_pages_run_under_the_policy(page, log_in):
    editor = make_user(group="Editors")
    article = make_article()
    page.add_init_script(RECORD_VIOLATIONS)
    log_in(editor, reverse("admin:index"))
    assert _violations(page) == []

    page.goto(reverse("admin:articles_article_change", args=[article.pk]))
    body = page.locator(".ProseMirror:visible").first
    body.click()
    page.keyboard.type("A new paragraph typed under the policy.")
    assert "typed under the policy" in body.inner_text()
    # The editor's own stylesheet (added as a <style> element) is allowed by its hash.
    assert page.evaluate("document.querySelectorAll('style[data-tiptap-style]').length") == 1
    assert _violations(page) == []

    for name in ("admin:articles_article_changelist", "admin:articles_article_add"):
        page.goto(reverse(name))
        assert _violations(page) == [], name
