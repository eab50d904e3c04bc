"""A reader comments on a story in a real browser."""

import pytest

from comments.models import Comment
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_posting_shows_the_notice_and_the_pending_comment(page):
    article = make_article(headline="Story for browser comments")
    page.goto(article.get_absolute_url())

    page.get_by_role("textbox", name="Comment").fill("Seen from a real browser.\nSecond line.")
    page.get_by_role("textbox", name="Name").fill("Ines Duarte")
    page.get_by_role("textbox", name="Email").fill("ines@example.org")
    page.get_by_role("button", name="Post Comment").click()

    notice = page.get_by_role("status")
    assert notice.inner_text() == "Thank you. Your comment is awaiting moderation."
    comment = Comment.objects.get()
    assert page.url.endswith(f"#comment-{comment.pk}")
    mine = page.locator(f"#comment-{comment.pk}")
    assert "Your comment is awaiting moderation." in mine.inner_text()
    assert "Seen from a real browser." in mine.inner_text()
    assert page.foreign_requests == []


def test_an_error_keeps_everything_typed(page):
    article = make_article(headline="Story for a failed comment")
    page.goto(article.get_absolute_url())

    page.get_by_role("textbox", name="Comment").fill("A long reply I do not want to type again.")
    page.get_by_role("textbox", name="Name").fill("Ines Duarte")
    page.get_by_role("textbox", name="Email").fill("ines-at-example.org")
    page.get_by_role("button", name="Post Comment").click()

    alert = page.get_by_role("alert")
    assert "Email: Enter a valid email address." in alert.inner_text()
    assert (
        page.get_by_role("textbox", name="Comment").input_value()
        == "A long reply I do not want to type again."
    )
    assert page.get_by_role("textbox", name="Name").input_value() == "Ines Duarte"
    assert page.get_by_role("textbox", name="Email").input_value() == "ines-at-example.org"
    assert page.get_by_role("textbox", name="Email").get_attribute("aria-invalid") == "true"
    assert not Comment.objects.exists()


@pytest.mark.page_cache
def test_readers_comment_from_the_same_cached_page(browser, live_server):
    """The page cache hands every reader the same copy, with no visitor's CSRF token in it;
    the form works for each of them all the same."""
    article = make_article(headline="Story everyone is reading")
    url = live_server.url + article.get_absolute_url()
    answers = []
    for name in ("Ines Duarte", "Tomas Berg"):
        context = browser.new_context()
        page = context.new_page()
        response = page.goto(url)
        answers.append(response.headers["x-cache"])
        assert page.locator('input[name="csrfmiddlewaretoken"]').count() == 0
        page.get_by_role("textbox", name="Comment").fill(f"{name} read the same page.")
        page.get_by_role("textbox", name="Name").fill(name)
        page.get_by_role("textbox", name="Email").fill(f"{name.split()[0].lower()}@example.org")
        page.get_by_role("button", name="Post Comment").click()
        assert page.get_by_role("status").inner_text() == (
            "Thank you. Your comment is awaiting moderation."
        )
        # Having commented, the reader is served a page of their own, not the shared copy.
        assert f"{name} read the same page." in page.locator("#comments").inner_text()
        context.close()
    assert answers == ["miss", "hit"]
    assert sorted(Comment.objects.values_list("name", flat=True)) == ["Ines Duarte", "Tomas Berg"]
