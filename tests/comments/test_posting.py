"""A reader posts a comment: it is stored, shown to its poster as pending, public once approved."""

import re
from html import unescape

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.factories import comment_form_data, make_comment

pytestmark = pytest.mark.django_db


def _post(client, article, data):
    return client.post(reverse("comments:post", args=[article.pk]), data)


def test_the_form_says_what_the_contract_says(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<h3 class="respond__heading">Leave a Reply</h3>' in html
    assert "Your email address will not be published." in html
    assert "Required fields are marked" in html
    for label in ["Name", "Email", "Website", "Comment"]:
        assert re.search(rf'<label for="id_[a-z]+">{label}( <span[^>]*>\*</span>)?</label>', html)
    assert '<button type="submit" class="button">Post Comment</button>' in html
    # The page is shared by the page cache: no visitor's token in it (see below).
    assert 'name="csrfmiddlewaretoken"' not in html


def test_a_posted_comment_waits_for_moderation_and_only_its_poster_sees_it(client, article):
    response = _post(client, article, comment_form_data(client, article))
    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert comment.status == Comment.Status.PENDING
    assert comment.ip_address == "127.0.0.1"

    html = client.get(article.get_absolute_url()).content.decode()
    assert "Thank you. Your comment is awaiting moderation." in html
    assert f'id="comment-{comment.pk}"' in html
    assert "Your comment is awaiting moderation." in html
    assert "0 Comments" in html

    client.cookies.clear()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "A thoughtful comment" not in html


def test_an_approved_comment_is_public_with_its_count(client, article):
    make_comment(article=article, body="Approved and public.")
    make_comment(article=article, body="Rejected text.", status="rejected")
    make_comment(article=article, body="Spam text.", status="spam")
    make_comment(article=article, body="Pending text.", status="pending")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Approved and public." in html
    assert "1 Comment<" in html
    for hidden in ["Rejected text.", "Spam text.", "Pending text."]:
        assert hidden not in html


def test_errors_come_back_beside_their_fields_with_everything_typed(client, article):
    data = comment_form_data(
        client, article, email="not-an-email", name="", body="My long considered reply."
    )
    response = _post(client, article, data)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert 'role="alert"' in html
    assert "My long considered reply.</textarea>" in html
    assert 'value="not-an-email"' in html
    assert re.search(r'id="id_email-error">Enter a valid email address.</span>', html)
    assert 'aria-describedby="id_email-error"' in html
    assert 'aria-invalid="true"' in html
    assert not Comment.objects.exists()


def test_a_double_submit_is_stored_once(client, article):
    data = comment_form_data(client, article)
    first = _post(client, article, data)
    second = _post(client, article, data)
    assert Comment.objects.count() == 1
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]


def test_a_forged_status_is_ignored(client, article):
    _post(client, article, comment_form_data(client, article, status="approved"))
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_a_reply_lands_under_its_parent(client, article):
    parent = make_comment(article=article, body="The first word.")
    html = client.get(article.get_absolute_url(), {"replytocom": parent.pk}).content.decode()
    assert f"Leave a Reply to {parent.name}" in html
    assert f'name="parent" value="{parent.pk}"' in html
    data = comment_form_data(client, article, parent=str(parent.pk), body="A reply.")
    assert _post(client, article, data).status_code == 303
    reply = Comment.objects.get(body="A reply.")
    assert (reply.parent, reply.root, reply.depth) == (parent, parent, 1)


@pytest.mark.parametrize("case", ["other_article", "pending", "rejected", "too_deep", "missing"])
def test_a_reply_to_a_comment_it_cannot_answer_is_refused(client, article, case):
    from tests.factories import make_article

    if case == "other_article":
        parent = make_comment(article=make_article())
    elif case == "too_deep":
        top = make_comment(article=article)
        parent = make_comment(article=article, parent=make_comment(article=article, parent=top))
    elif case == "missing":
        parent = Comment(pk=987654)
    else:
        parent = make_comment(article=article, status=case)
    before = Comment.objects.count()
    data = comment_form_data(client, article, parent=str(parent.pk), body="Keep this text.")
    response = _post(client, article, data)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "You can only reply to a published comment on this article" in html
    assert "Keep this text.</textarea>" in html
    assert Comment.objects.count() == before


def test_reply_links_only_where_a_reply_is_allowed(client, article):
    top = make_comment(article=article)
    child = make_comment(article=article, parent=top)
    deepest = make_comment(article=article, parent=child)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f"?replytocom={top.pk}#respond" in html
    assert f"?replytocom={child.pk}#respond" in html
    assert f"?replytocom={deepest.pk}#respond" not in html


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
    ],
)
def test_a_form_sent_from_another_site_is_refused_and_the_text_kept(client, article, headers):
    data = comment_form_data(client, article, body="Words typed <b>elsewhere</b>.")
    response = client.post(reverse("comments:post", args=[article.pk]), data, **headers)
    assert response.status_code == 403
    html = response.content.decode()
    assert "This comment did not come from our page" in html
    assert "Words typed &lt;b&gt;elsewhere&lt;/b&gt;." in html
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_ORIGIN": "http://testserver"},
        {},  # no browser sends neither on a cross-site POST
    ],
)
def test_a_form_sent_from_our_page_is_accepted(client, article, headers):
    data = comment_form_data(client, article)
    response = client.post(reverse("comments:post", args=[article.pk]), data, **headers)
    assert response.status_code == 303
    assert Comment.objects.count() == 1


def test_signed_in_staff_still_need_the_csrf_token(article, editor):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    page = strict.get(article.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = comment_form_data(strict, article)
    assert strict.post(reverse("comments:post", args=[article.pk]), data).status_code == 403
    assert not Comment.objects.exists()
    data["csrfmiddlewaretoken"] = token
    assert strict.post(reverse("comments:post", args=[article.pk]), data).status_code == 303


def test_two_readers_posting_from_the_same_cached_form_are_both_stored(article):
    from django.test import Client

    first, second = Client(), Client()
    form = comment_form_data(first, article)  # one page, one token, as the cache serves it
    url = reverse("comments:post", args=[article.pk])
    first.post(url, {**form, "name": "Ana", "email": "ana@example.org", "body": "First view."})
    second.post(url, {**form, "name": "Ben", "email": "ben@example.org", "body": "Second view."})
    assert sorted(Comment.objects.values_list("name", flat=True)) == ["Ana", "Ben"]
    # The same reader sending the same form twice is still stored once.
    first.post(url, {**form, "name": "Ana", "email": "ana@example.org", "body": "First view."})
    assert Comment.objects.count() == 2


def test_posting_to_a_draft_or_unknown_article_is_404(client):
    from tests.factories import make_draft

    draft = make_draft()
    data = {"name": "A", "email": "a@example.org", "body": "Hi", "token": "x" * 32}
    assert client.post(reverse("comments:post", args=[draft.pk]), data).status_code == 404
    assert client.post(reverse("comments:post", args=[999999]), data).status_code == 404
    assert not Comment.objects.exists()


def test_get_on_the_post_address_is_not_allowed(client, article):
    assert client.get(reverse("comments:post", args=[article.pk])).status_code == 405


def test_closed_comments_refuse_posts_and_hand_back_the_text(client, article):
    data = comment_form_data(client, article, body="Words I want to keep.")
    article.comments_open = False
    article.save()
    response = _post(client, article, data)
    assert response.status_code == 403
    html = unescape(response.content.decode())
    assert "Comments are closed" in html
    assert "Words I want to keep.</textarea>" in html
    assert not Comment.objects.exists()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Leave a Reply" not in page


def test_the_rate_limit_answers_429_and_keeps_the_text(client, article, settings):
    settings.COMMENTS_RATE_LIMIT_PER_IP = (2, 600)
    for n in range(2):
        data = comment_form_data(client, article, email=f"r{n}@example.org", body=f"Post {n}")
        assert _post(client, article, data).status_code == 303
    data = comment_form_data(client, article, email="r9@example.org", body="One too many.")
    response = _post(client, article, data)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = unescape(response.content.decode())
    assert "faster than we allow" in html
    assert "One too many.</textarea>" in html
    assert Comment.objects.count() == 2


def test_the_rate_limit_counts_per_email_across_addresses(client, article, settings):
    settings.COMMENTS_RATE_LIMIT_PER_EMAIL = (1, 600)
    data = comment_form_data(client, article, body="First.")
    assert _post(client, article, data).status_code == 303
    data = comment_form_data(client, article, body="Second.")
    response = client.post(
        reverse("comments:post", args=[article.pk]), data, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 429


def test_the_honeypot_files_the_comment_as_spam_silently(client, article):
    data = comment_form_data(client, article, homepage="http://bot.example")
    response = _post(client, article, data)
    assert response.status_code == 303
    assert response["Location"].endswith("#comments")
    assert Comment.objects.get().status == Comment.Status.SPAM
    html = client.get(article.get_absolute_url()).content.decode()
    assert "awaiting moderation" in html  # the same answer a person gets
    assert "A thoughtful comment" not in html


def test_a_trusted_commenter_is_published_at_once(client, article, settings):
    settings.COMMENTS_TRUSTED_AFTER = 2
    for _ in range(2):
        make_comment(article=article, email="regular@example.org")
    data = comment_form_data(client, article, email="Regular@Example.org", body="Again me.")
    response = _post(client, article, data)
    comment = Comment.objects.get(body="Again me.")
    assert comment.status == Comment.Status.APPROVED
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Thank you. Your comment is published." in html
    assert "3 Comments" in html


RULE_CASES = {
    "block_list": ({"body": "Claim your CASINO bonus today"}, "spam"),
    "email_domain": ({"email": "someone@mailinator.com"}, "spam"),
    "links": ({"body": "See https://a.example https://b.example and https://c.example"}, "pending"),
    "moderation_list": ({"body": "Only idiots believe this."}, "pending"),
}


@pytest.mark.parametrize("rule", list(RULE_CASES))
def test_each_rule_decides_through_the_form_and_says_why(client, article, settings, rule):
    settings.COMMENTS_PREMODERATE = False  # so only the rule under test can hold the comment
    fields, status = RULE_CASES[rule]
    assert _post(client, article, comment_form_data(client, article, **fields)).status_code == 303
    comment = Comment.objects.get()
    assert comment.status == status
    assert comment.policy_status == status
    assert [reason["rule"] for reason in comment.policy_reasons] == [rule]


def test_without_premoderation_a_clean_comment_is_published_at_once(client, article, settings):
    settings.COMMENTS_PREMODERATE = False
    _post(client, article, comment_form_data(client, article))
    assert Comment.objects.get().status == Comment.Status.APPROVED


def test_an_article_can_hold_every_comment_whatever_the_site_says(client, article, settings):
    settings.COMMENTS_PREMODERATE = False
    article.comment_moderation = "pre"
    article.save()
    _post(client, article, comment_form_data(client, article))
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert (
        comment.policy_reasons[0]["reason"]
        == "Every comment waits for a moderator on this article."
    )


def test_a_repeated_text_is_spam(client, article, settings):
    settings.COMMENTS_PREMODERATE = False
    make_comment(article=article, body="Same words, again and again.")
    _post(client, article, comment_form_data(client, article, body="same words,  AGAIN and again."))
    assert Comment.objects.latest("pk").status == Comment.Status.SPAM


def test_a_commenter_with_mostly_rejected_comments_is_held(client, article, settings):
    settings.COMMENTS_PREMODERATE = False
    for status in ["rejected", "spam", "approved"]:
        make_comment(article=article, status=status, email="maria@example.org")
    _post(client, article, comment_form_data(client, article, body="A fresh start."))
    comment = Comment.objects.latest("pk")
    assert comment.status == Comment.Status.PENDING
    assert comment.policy_reasons[0]["rule"] == "rejection_history"


def test_comments_close_by_themselves_after_the_set_days(client, article, settings):
    from datetime import timedelta

    data = comment_form_data(client, article)
    settings.COMMENTS_CLOSE_AFTER_DAYS = 7
    article.published_at -= timedelta(days=8)
    article.save()
    response = _post(client, article, data)
    assert response.status_code == 403
    assert "closed automatically 7 days after publication" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_new_comment_on_a_long_thread_lands_on_the_page_that_shows_it(client, article, settings):
    settings.COMMENTS_PER_PAGE = 3
    for _ in range(3):
        make_comment(article=article)
    response = _post(client, article, comment_form_data(client, article, body="Fourth word."))
    comment = Comment.objects.get(body="Fourth word.")
    assert response["Location"] == f"{article.get_absolute_url()}?cpage=2#comment-{comment.pk}"
    html = client.get(response["Location"]).content.decode()
    assert f'id="comment-{comment.pk}"' in html
