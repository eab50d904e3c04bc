"""A moderator clears a queue with the keyboard alone, in a real browser."""

import pytest

from comments.models import Comment
from tests.factories import make_article, make_comment, make_user

from .checks import assert_self_contained

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_moderator_clears_the_pending_queue_with_the_keyboard(page, reader):
    make_user(group="Moderators", username="mod", email="mod@example.org")
    article = make_article(headline="Story with a busy comment section")
    first, second, third = (
        make_comment(article=article, status="pending", body=f"Pending comment {n}")
        for n in (1, 2, 3)
    )

    page.goto("/admin/login/?next=/admin/comments/comment/desk/?order=oldest")
    page.keyboard.type("mod")
    page.keyboard.press("Tab")
    page.keyboard.type("a-long-test-passphrase")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#card-{first.pk}")

    status = page.get_by_role("status").filter(has_text="")
    # Each key waits for the desk to have moved on: a key pressed between two cards is lost,
    # as it would be for a moderator.
    page.wait_for_selector(f"#card-{first.pk}.desk-card--current")
    page.keyboard.press("a")
    page.wait_for_selector(f"#card-{first.pk}", state="detached")
    page.wait_for_selector(f"#card-{second.pk}.desk-card--current")
    page.keyboard.press("2")  # the second reason on the list
    page.get_by_role("status").filter(has_text="Reason:").first.wait_for()
    page.keyboard.press("r")
    page.wait_for_selector(f"#card-{second.pk}", state="detached")
    page.wait_for_selector(f"#card-{third.pk}.desk-card--current")
    page.keyboard.press("s")
    page.wait_for_selector(f"#card-{third.pk}", state="detached")
    assert "Nothing left on this page" in page.content()
    assert "Marked as spam" in status.first.inner_text()

    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "approved", second.pk: "rejected", third.pk: "spam"}
    assert Comment.objects.get(pk=second.pk).decisions.decisions().last().reason == (
        "negative_effects_on_civic_discourse_or_elections"
    )

    page.keyboard.press("u")
    page.wait_for_selector(f"#card-{third.pk}")
    assert Comment.objects.get(pk=third.pk).status == "pending"

    reader.goto(article.get_absolute_url())
    assert "Pending comment 1" in reader.locator("#comments").inner_text()
    assert "Pending comment 2" not in reader.locator("#comments").inner_text()
    assert_self_contained(page)
    assert_self_contained(reader)


@pytest.mark.parametrize("desk_script", [True, False], ids=["in place", "without the script"])
def test_a_moderator_approves_a_comment_from_the_desk_and_readers_see_it(
    page, reader, log_in, desk_script
):
    if not desk_script:
        # The desk still works as plain forms, one page load per decision.
        page.route("**/comments/desk.js", lambda route: route.abort())
    moderator = make_user(group="Moderators")
    article = make_article(headline="Story with one comment waiting")
    make_comment(article=article, status="approved", name="Tomas Berg", body="Already public.")
    waiting = make_comment(
        article=article, status="pending", name="Ines Duarte", body="Held until a moderator looks."
    )
    reader.goto(article.get_absolute_url())
    assert "Held until a moderator looks." not in reader.locator("#comments").inner_text()

    log_in(moderator, "/admin/")
    page.get_by_role("link", name="Open the moderation desk").click()
    card = page.locator(f"#card-{waiting.pk}")
    assert "Held until a moderator looks." in card.inner_text()
    card.get_by_role("button", name="Approve (a)").click()
    card.wait_for(state="detached")
    # The desk says what was done, and to whose comment: in place, or after a page load when
    # the click came before the desk's script was ready (that page also names the comment in
    # its "Last decision" line, so look only where the answer is given).
    answer = page.locator("[data-desk-status], .messagelist")
    answer.get_by_text("Approved the comment by Ines Duarte").wait_for()

    reader.reload()
    comments = reader.locator("#comments")
    assert comments.get_by_role("heading", level=2).inner_text() == "2 Comments"
    assert "Held until a moderator looks." in comments.inner_text()
    assert "awaiting moderation" not in comments.inner_text()
    assert Comment.objects.get(pk=waiting.pk).status == "approved"
    assert_self_contained(page)
    assert_self_contained(reader)
