"""Readers report a public comment; it enters the moderators' Reported queue once."""

import re
import threading
from collections import Counter
from html import unescape

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from comments import reporting, services
from comments.models import Comment, CommentReport
from tests.concurrency import in_thread
from tests.factories import (
    comment_form_data,
    make_article,
    make_comment,
    make_draft,
    make_scheduled,
)

pytestmark = pytest.mark.django_db

NOTICE = "Thank you. A moderator will look at this comment."


def _url(comment_or_id):
    return reverse("comments:report", args=[getattr(comment_or_id, "pk", comment_or_id)])


def _report(client, comment, ip="198.51.100.1", **data):
    data.setdefault("reason", "spam")
    data.setdefault("text", "")
    return client.post(_url(comment), data, REMOTE_ADDR=ip)


def test_the_report_link_is_on_approved_comments_only(client, article):
    approved = make_comment(article=article, body="Approved and public.")
    client.post(reverse("comments:post", args=[article.pk]), comment_form_data(client, article))
    pending = Comment.objects.get(status=Comment.Status.PENDING)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'id="comment-{pending.pk}"' in html  # the poster sees their own pending comment
    assert f'href="{_url(approved)}"' in html
    assert f'href="{_url(pending)}"' not in html
    assert html.count('class="comment__report"') == 1


def test_the_report_page_shows_the_comment_and_the_form(client, article):
    comment = make_comment(article=article, name="Ann <Critic>", body="I <b>disagree</b>.")
    response = client.get(_url(comment))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert 'class="skip-link"' in html  # the site layout from base.html
    assert "Ann &lt;Critic&gt;" in html
    assert "I &lt;b&gt;disagree&lt;/b&gt;." in html
    assert "<b>disagree" not in html
    assert re.search(r"<fieldset[^>]*>\s*<legend>Why should a moderator", html)
    for value in CommentReport.Reason.values:
        radio = re.search(
            rf'<input type="radio" name="reason" value="{value}" id="(id_reason_\d)"', html
        )
        assert radio, value
        assert f'<label for="{radio.group(1)}">' in html
    assert '<label for="id_text">Tell us more</label>' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'action="{_url(comment)}"' in html


def test_a_report_is_stored_and_sends_the_reader_back_to_the_comment(client, article):
    comment = make_comment(article=article)
    response = _report(client, comment, reason="abusive", text=" Name\u200b-calling.\u202e\n")
    assert response.status_code == 303
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    report = CommentReport.objects.get()
    assert (report.comment, report.reason, report.text) == (comment, "abusive", "Name-calling.")
    assert report.ip_address == "198.51.100.1"


def test_the_notice_is_shown_once_after_the_redirect(client, article):
    comment = make_comment(article=article)
    client.get(article.get_absolute_url())  # a reader with a session already
    _report(client, comment)
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.search(rf'<p class="notice notice--posted" role="status">{NOTICE}</p>', html)
    assert NOTICE not in client.get(article.get_absolute_url()).content.decode()


def test_three_reports_put_the_comment_in_the_queue_once(client, article):
    comment = make_comment(article=article)
    other = make_comment(article=article)
    for n, reason in [(1, "spam"), (2, "abusive"), (3, "spam")]:
        assert _report(client, comment, ip=f"198.51.100.{n}", reason=reason).status_code == 303
    comment.refresh_from_db()
    assert comment.is_reported
    assert comment.report_count == 3
    assert comment.reports.count() == 3
    assert Counter(r for (r,) in comment.reports.values_list("reason")) == {"spam": 2, "abusive": 1}
    assert Comment.objects.filter(is_reported=True).get() == comment
    other.refresh_from_db()
    assert (other.report_count, other.is_reported) == (0, False)


def test_the_same_address_reporting_twice_is_stored_once(client, article):
    comment = make_comment(article=article)
    first = _report(client, comment, reason="spam")
    second = _report(client, comment, reason="abusive", text="And rude.")
    assert first.status_code == second.status_code == 303
    assert second["Location"].endswith(f"#comment-{comment.pk}")
    html = client.get(article.get_absolute_url()).content.decode()
    assert NOTICE in html  # the thank-you all the same
    comment.refresh_from_db()
    assert comment.report_count == 1
    assert list(comment.reports.values_list("reason", flat=True)) == ["spam"]


def test_the_same_address_counts_again_after_a_moderator_cleared_the_report(client, article):
    comment = make_comment(article=article)
    _report(client, comment, ip="198.51.100.1", reason="spam")
    services.comment_decide(comment=comment, status=Comment.Status.APPROVED, moderator=None)
    comment.refresh_from_db()
    assert not comment.is_reported
    # Back in the queue through another reader: the first one's old report does not count.
    _report(client, comment, ip="198.51.100.2", reason="off_topic")
    assert _report(client, comment, ip="198.51.100.1", reason="abusive").status_code == 303
    _report(client, comment, ip="198.51.100.1", reason="other", text="Still rude.")
    comment.refresh_from_db()
    assert comment.is_reported
    assert comment.report_count == 3
    reasons = list(comment.reports.values_list("reason", flat=True))
    assert reasons == ["spam", "off_topic", "abusive"]


def test_other_without_text_is_refused_and_the_choice_kept(client, article):
    comment = make_comment(article=article)
    response = _report(client, comment, reason="other", text="   \n ")
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'role="alert"[^>]*>.*Please tell us what is wrong', html, re.DOTALL)
    assert 'id="id_text-error">Please tell us what is wrong with this comment.</span>' in html
    assert re.search(r'value="other" id="id_reason_\d"[^>]* checked', html)
    assert not CommentReport.objects.exists()
    comment.refresh_from_db()
    assert (comment.report_count, comment.is_reported) == (0, False)


def test_a_missing_reason_is_refused_and_the_text_kept(client, article):
    comment = make_comment(article=article)
    response = client.post(
        _url(comment), {"text": "It links to a scam site."}, REMOTE_ADDR="198.51.100.1"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_reason-error">Please choose a reason.</span>' in html
    assert re.search(r"<fieldset[^>]*aria-describedby=\"id_reason-error\"", html)
    assert ">It links to a scam site.</textarea>" in html
    assert not CommentReport.objects.exists()


@pytest.mark.parametrize("status", ["pending", "rejected", "spam"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_comment_that_is_not_public_cannot_be_reported(client, article, status, method):
    comment = make_comment(article=article, status=status)
    response = getattr(client, method)(_url(comment), {"reason": "spam"})
    assert response.status_code == 404
    assert not CommentReport.objects.exists()


@pytest.mark.parametrize("make_unpublished", [make_draft, make_scheduled])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_comment_on_an_unpublished_article_cannot_be_reported(client, make_unpublished, method):
    comment = make_comment(article=make_unpublished())
    response = getattr(client, method)(_url(comment), {"reason": "spam"})
    assert response.status_code == 404
    assert not CommentReport.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_comment_is_a_404(client, article, method):
    comment = make_comment(article=article)
    response = getattr(client, method)(_url(comment.pk + 1), {"reason": "spam"})
    assert response.status_code == 404
    assert getattr(client, method)(_url(comment), {"reason": "spam"}).status_code != 404


def test_a_comment_taken_down_meanwhile_is_not_reported(article):
    comment = make_comment(article=article)
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.REJECTED)
    with pytest.raises(Comment.DoesNotExist):
        reporting.comment_report(comment=comment, reason="spam", text="", ip_address="192.0.2.1")
    assert not CommentReport.objects.exists()
    comment.refresh_from_db()
    assert not comment.is_reported


def test_too_many_reports_from_one_address_are_refused(client, settings, article):
    settings.COMMENTS_REPORT_RATE_LIMIT = (2, 600)
    first, second, third = (make_comment(article=article) for _ in range(3))
    assert _report(client, first).status_code == 303
    assert _report(client, second).status_code == 303
    response = _report(client, third, reason="other", text="Spam, I think.")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    html = response.content.decode()
    assert re.search(r'role="alert"[^>]*>.*more reports than we allow', html, re.DOTALL)
    assert ">Spam, I think.</textarea>" in html
    assert re.search(r'value="other" id="id_reason_\d"[^>]* checked', html)
    third.refresh_from_db()
    assert (third.report_count, third.is_reported) == (0, False)
    assert CommentReport.objects.count() == 2
    # Another address is not held back.
    assert _report(client, third, ip="198.51.100.99").status_code == 303


@pytest.mark.parametrize("reason", ["bogus", "SPAM", "<script>alert(1)</script>", ""])
def test_a_reason_not_among_the_choices_is_refused(client, article, reason):
    response = _report(client, make_comment(article=article), reason=reason)
    assert response.status_code == 400
    assert "<script>alert(1)" not in response.content.decode()
    assert not CommentReport.objects.exists()


def test_a_script_payload_is_shown_escaped_on_the_error_page(client, article):
    payload = "</textarea><script>alert('x')</script>"
    response = _report(client, make_comment(article=article), reason="", text=payload)
    assert response.status_code == 400
    html = response.content.decode()
    assert payload not in html
    assert "<script>alert" not in html
    assert "&lt;/textarea&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</textarea>" in html


def test_nul_bytes_are_refused_clearly(client, article):
    response = _report(client, make_comment(article=article), text="bad\x00text")
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
    assert not CommentReport.objects.exists()


def test_a_huge_text_is_refused_with_the_text_kept(client, article):
    huge = "word " * 2_000
    response = _report(client, make_comment(article=article), reason="other", text=huge)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Ensure this value has at most 500 characters" in html
    assert "Please tell us what is wrong" not in html  # one error for one mistake
    assert huge.strip() in html
    assert not CommentReport.objects.exists()


def test_a_report_without_the_csrf_token_is_forbidden(article):
    comment = make_comment(article=article)
    client = Client(enforce_csrf_checks=True)
    assert _report(client, comment).status_code == 403
    assert not CommentReport.objects.exists()
    html = client.get(_url(comment)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert _report(client, comment, csrfmiddlewaretoken=token).status_code == 303
    assert CommentReport.objects.count() == 1


def test_a_reply_on_a_later_page_of_comments_is_reported_from_that_page(client, settings, article):
    settings.COMMENTS_PER_PAGE = 2
    make_comment(article=article)
    make_comment(article=article)
    root = make_comment(article=article)
    reply = make_comment(article=article, parent=root)
    expected = f"{article.get_absolute_url()}?cpage=2#comment-{reply.pk}"
    assert f'href="{expected}"' in client.get(_url(reply)).content.decode()
    response = _report(client, reply)
    assert response.status_code == 303
    assert response["Location"] == expected
    assert f'id="comment-{reply.pk}"' in client.get(response["Location"]).content.decode()


# Enough different readers' reports hide a comment until a moderator looks (issue 18).


def test_the_third_readers_report_hides_the_comment_until_a_moderator_looks(
    moderator_client, reader, article
):
    comment = make_comment(article=article, body="Says something readers object to.")
    for n in (1, 2):
        _report(reader, comment, ip=f"198.51.100.{n}")
    page = reader.get(article.get_absolute_url()).content.decode()
    assert "Says something readers object to." in page
    comment.refresh_from_db()
    assert comment.status == "approved"

    assert _report(reader, comment, ip="198.51.100.3", reason="abusive").status_code == 303
    comment.refresh_from_db()
    assert (comment.status, comment.is_reported, comment.report_count) == ("pending", True, 3)
    decision = comment.decisions.last()
    assert (decision.from_status, decision.to_status) == ("approved", "pending")
    assert decision.moderator is None
    assert decision.note == "Hidden after reports from 3 different readers."
    html = reader.get(article.get_absolute_url()).content.decode()
    assert "Says something readers object to." not in html
    assert "0 Comments" in html
    # It waits in the desk's Reported queue, with the reports.
    desk = moderator_client.get(reverse("admin:comments_desk"), {"queue": "reported"})
    assert f'id="card-{comment.pk}"' in desk.content.decode()
    assert "Reported 3 times" in desk.content.decode()


def test_the_same_reader_reporting_three_times_does_not_hide_it(client, article):
    comment = make_comment(article=article, body="Only one reader minds.")
    for reason in ["spam", "abusive", "off_topic"]:
        assert _report(client, comment, ip="198.51.100.7", reason=reason).status_code == 303
    comment.refresh_from_db()
    assert (comment.status, comment.report_count, comment.is_reported) == ("approved", 1, True)
    assert "Only one reader minds." in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize(("threshold", "hidden_after"), [(1, 1), (2, 2), (0, None)])
def test_the_number_of_readers_is_a_setting(client, settings, article, threshold, hidden_after):
    settings.COMMENTS_HIDE_AFTER_REPORTS = threshold
    comment = make_comment(article=article)
    for n in range(1, 5):
        _report(client, comment, ip=f"198.51.100.{n}")
        comment.refresh_from_db()
        if comment.status == "pending":
            break
    assert comment.is_reported
    assert (n if comment.status == "pending" else None) == hidden_after


def test_a_report_sent_while_the_comment_was_being_hidden_is_kept_and_hides_nothing_again(
    article,
):
    comment = make_comment(article=article)
    page_as_loaded = Comment.objects.get(pk=comment.pk)  # before the third report lands
    for n in (1, 2, 3):
        reporting.comment_report(
            comment=comment, reason="spam", text="", ip_address=f"198.51.100.{n}"
        )
    # The fourth reader's request had found the comment public, and waited on its row.
    report, created = reporting.comment_report(
        comment=page_as_loaded, reason="abusive", text="", ip_address="198.51.100.4"
    )
    assert created and report.pk
    comment.refresh_from_db()
    assert (comment.status, comment.report_count, comment.is_reported) == ("pending", 4, True)
    assert comment.decisions.filter(to_status="pending").count() == 1
    assert comment.reports.count() == 4


def test_a_moderator_approving_a_hidden_comment_clears_it_from_the_queue(
    client, moderator, article
):
    comment = make_comment(article=article, body="Fair, on a second look.")
    for n in (1, 2, 3):
        _report(client, comment, ip=f"198.51.100.{n}")
    comment.refresh_from_db()
    services.comment_decide(comment=comment, status="approved", moderator=moderator)
    comment.refresh_from_db()
    assert (comment.status, comment.is_reported) == ("approved", False)
    assert "Fair, on a second look." in client.get(article.get_absolute_url()).content.decode()
    # The readers who reported it before the decision do not hide it again by themselves.
    _report(client, comment, ip="198.51.100.1")
    comment.refresh_from_db()
    assert comment.status == "approved"


def test_a_featured_comment_hidden_by_reports_stops_being_featured(client, moderator, article):
    comment = make_comment(article=article)
    services.comment_feature(comment=comment, moderator=moderator)
    for n in (1, 2, 3):
        _report(client, comment, ip=f"198.51.100.{n}")
    comment.refresh_from_db()
    assert comment.status == "pending" and comment.featured_at is None


@pytest.mark.page_cache
def test_hiding_a_reported_comment_drops_the_cached_page(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story = make_article()
        comment = make_comment(article=story, body="Cached until hidden.")
    url = story.get_absolute_url()
    Client().get(url)
    assert "Cached until hidden." in Client().get(url).content.decode()
    reporter = Client()
    for n in (1, 2, 3):
        with django_capture_on_commit_callbacks(execute=True):
            _report(reporter, comment, ip=f"198.51.100.{n}")
    response = Client().get(url)
    assert response["X-Cache"] == "miss"
    assert "Cached until hidden." not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_reports_at_once_hide_the_comment_once_and_both_are_kept():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one transaction write at a time: no two reports overlap")
    comment = make_comment(article=make_article())
    for n in (1, 2):
        reporting.comment_report(comment=comment, reason="spam", text="", ip_address=f"192.0.2.{n}")
    third_hid, third_may_commit = threading.Event(), threading.Event()

    def third_reader():
        with transaction.atomic():
            reporting.comment_report(
                comment=Comment.objects.get(pk=comment.pk),
                reason="abusive",
                text="",
                ip_address="192.0.2.3",
            )
            third_hid.set()
            third_may_commit.wait(10)

    def fourth_reader():
        # It found the comment public, as the third reader did, before the hide committed.
        reporting.comment_report(
            comment=Comment.objects.get(pk=comment.pk),
            reason="spam",
            text="",
            ip_address="192.0.2.4",
        )

    third = in_thread(third_reader)
    assert third_hid.wait(10)
    fourth = in_thread(fourth_reader)
    fourth.join(1)
    assert fourth.is_alive(), "the fourth report did not wait for the comment's row"
    third_may_commit.set()
    third.join(10)
    fourth.join(10)
    assert not third.is_alive() and not fourth.is_alive()
    comment.refresh_from_db()
    assert (comment.status, comment.is_reported, comment.report_count) == ("pending", True, 4)
    assert comment.reports.count() == 4
    assert comment.decisions.filter(to_status="pending").count() == 1
