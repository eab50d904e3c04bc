"""A reader comments on a story in a real browser."""

import pytest

from comments.models import Comment
from tests.factories import make_article

from .checks import assert_self_contained

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POSTED = "Thank you. Your comment is published."
HELD = "Thank you. Your comment is awaiting moderation."


def _write(page, *, body, name="Ines Duarte", email="ines@example.org", website=""):
    page.get_by_role("textbox", name="Comment").fill(body)
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("textbox", name="Website").fill(website)
    page.get_by_role("button", name="Post Comment").click()


def test_posting_shows_the_notice_and_the_pending_comment(page):
    article = make_article(headline="Story for browser comments")
    page.goto(article.get_absolute_url())

    _write(page, body="Seen from a real browser.\nSecond line.")

    notice = page.get_by_role("status")
    assert notice.inner_text() == HELD
    comment = Comment.objects.get()
    assert page.url.endswith(f"#comment-{comment.pk}")
    mine = page.locator(f"#comment-{comment.pk}")
    assert "Your comment is awaiting moderation." in mine.inner_text()
    assert "Seen from a real browser." in mine.inner_text()
    assert_self_contained(page)


def test_on_a_post_moderated_site_a_comment_is_published_at_once(page, reader, settings):
    settings.COMMENTS_PREMODERATE = False
    article = make_article(headline="Story with open comments")
    page.goto(article.get_absolute_url())

    _write(page, body="Published without waiting.")

    assert page.get_by_role("status").inner_text() == POSTED
    assert "awaiting moderation" not in page.locator("#comments").inner_text()
    reader.goto(article.get_absolute_url())
    assert "Published without waiting." in reader.locator("#comments").inner_text()
    assert_self_contained(page)
    assert_self_contained(reader)


def test_a_comment_with_too_many_links_waits_for_a_moderator(page, reader, settings):
    settings.COMMENTS_PREMODERATE = False
    settings.COMMENTS_MAX_LINKS = 2
    article = make_article(headline="Story that draws link posters")
    page.goto(article.get_absolute_url())

    _write(
        page,
        body="Read https://a.example.org, https://b.example.org and https://c.example.org too.",
    )

    assert page.get_by_role("status").inner_text() == HELD
    assert "Your comment is awaiting moderation." in page.locator("#comments").inner_text()
    reader.goto(article.get_absolute_url())
    assert "c.example.org" not in reader.locator("#comments").inner_text()
    assert Comment.objects.get().status == "pending"
    assert_self_contained(page)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"email": ""}, "Email: Please give your email address; it will not be published."),
        ({"email": "ines-at-example.org"}, "Email: Enter a valid email address."),
        ({"name": "   "}, "Name: Please give a name to show with your comment."),
        ({"website": "my blog"}, "Website: Enter a valid URL."),
    ],
    ids=["missing-email", "bad-email", "blank-name", "bad-website"],
)
def test_an_error_says_what_is_wrong_and_keeps_everything_typed(page, typed, message):
    article = make_article(headline="Story for a failed comment")
    page.goto(article.get_absolute_url())
    fields = {
        "body": "A long reply I do not want to type again.",
        "name": "Ines Duarte",
        "email": "ines@example.org",
        "website": "",
        **typed,
    }

    _write(page, **fields)

    assert message in page.get_by_role("alert").inner_text()
    for label, key in [("Comment", "body"), ("Name", "name"), ("Email", "email")]:
        assert page.get_by_role("textbox", name=label).input_value() == fields[key]
    assert page.get_by_role("textbox", name="Website").input_value() == fields["website"]
    wrong = page.locator("[aria-invalid=true]")
    assert wrong.count() == 1
    # The message names the field it belongs to, and a screen reader reads it with the field.
    assert wrong.evaluate("field => field.labels[0].textContent").startswith(message.split(":")[0])
    assert wrong.get_attribute("aria-describedby") == f"{wrong.get_attribute('id')}-error"
    assert not Comment.objects.exists()
    assert_self_contained(page)


def test_the_comment_box_stops_at_the_length_the_site_accepts(page):
    article = make_article(headline="Story that draws long replies")
    page.goto(article.get_absolute_url())

    # Pasted text longer than the limit is cut there, so it can never be refused for length.
    _write(page, body="word " * 1200)

    assert page.get_by_role("status").inner_text() == HELD
    assert len(Comment.objects.get().body) == 4999  # 5,000 characters, less the final space
    assert_self_contained(page)


def test_a_reader_posting_too_fast_is_told_to_wait_and_keeps_the_text(page, settings):
    settings.COMMENTS_RATE_LIMIT_PER_EMAIL = (1, 600)
    article = make_article(headline="Story with a busy thread")
    page.goto(article.get_absolute_url())
    _write(page, body="My first thought.")
    assert page.get_by_role("status").inner_text() == HELD

    _write(page, body="And a second thought, straight after.")

    alert = page.get_by_role("alert")
    assert "You are posting comments faster than we allow." in alert.inner_text()
    assert "your comment is kept below" in alert.inner_text()
    assert page.get_by_role("textbox", name="Comment").input_value() == (
        "And a second thought, straight after."
    )
    assert Comment.objects.count() == 1
    assert_self_contained(page)


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
        assert page.get_by_role("status").inner_text() == HELD
        # Having commented, the reader is served a page of their own, not the shared copy.
        assert f"{name} read the same page." in page.locator("#comments").inner_text()
        context.close()
    assert answers == ["miss", "hit"]
    assert sorted(Comment.objects.values_list("name", flat=True)) == ["Ines Duarte", "Tomas Berg"]
