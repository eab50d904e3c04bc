"""The moderation desk: queues, decisions with their audit trail, undo, and safety."""

import re
from html import unescape

import pytest
from django.urls import reverse

from comments.models import Comment, CommentDecision, Commenter, CommenterNote, CommentReport
from tests.factories import make_article, make_comment, make_section, make_user
from tests.query_budgets import staff

pytestmark = pytest.mark.django_db

DESK = "/admin/comments/comment/desk/"


def _decide(client, action, *comments, json=False, **extra):
    data = {"action": action, "comment": [c.pk for c in comments], **extra}
    for c in comments:
        data.setdefault(f"version-{c.pk}", c.version)
    headers = {"HTTP_X_DESK": "1"} if json else {}
    return client.post(reverse("admin:comments_desk_decide"), data, **headers)


def _cards(html):
    return [int(n) for n in re.findall(r'<li class="desk-card" id="card-(\d+)"', html)]


def test_the_desk_shows_the_queues_with_their_counts(moderator_client):
    article = make_article()
    pending = [make_comment(article=article, status="pending") for _ in range(3)]
    make_comment(article=article, status="spam")
    reported = make_comment(article=article)
    Comment.objects.filter(pk=reported.pk).update(is_reported=True, report_count=3)
    for reason in ["abusive", "abusive", "spam"]:
        CommentReport.objects.create(comment=reported, reason=reason)
    html = moderator_client.get(DESK).content.decode()
    assert re.search(r'data-queue="pending">3<', html)
    assert re.search(r'data-queue="reported">1<', html)
    assert re.search(r'data-queue="spam">1<', html)
    assert sorted(_cards(html)) == sorted(c.pk for c in pending)
    reported_html = moderator_client.get(DESK, {"queue": "reported"}).content.decode()
    assert _cards(reported_html) == [reported.pk]
    assert "Reported 3 times: abusive or hateful ×2, spam or advertising ×1" in reported_html


def test_holds_are_explained_with_the_words_highlighted(moderator_client):
    article = make_article()
    make_comment(
        article=article,
        status="pending",
        body="You are all IDIOTS, see https://a.example",
        policy_reasons=[
            {
                "rule": "moderation_list",
                "status": "pending",
                "reason": "Contains words on the moderation list: idiots.",
                "words": ["idiots"],
            }
        ],
        email="angry@example.org",
    )
    make_comment(article=article, status="rejected", email="angry@example.org")
    html = moderator_client.get(DESK).content.decode()
    assert "You are all <mark>IDIOTS</mark>, see https://a.example" in html
    assert "Contains words on the moderation list: idiots." in html
    assert "1 link<" in html
    assert "Refused: 100% of 1 decided" in html


def test_a_decision_is_recorded_with_who_when_and_before(moderator_client, moderator):
    comment = make_comment(article=make_article(), status="pending")
    response = _decide(
        moderator_client, "reject", comment, reason="illegal_or_harmful_speech", note="Threat"
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == "rejected"
    decision, told = comment.decisions.all()
    assert (decision.moderator, decision.from_status, decision.to_status) == (
        moderator,
        "pending",
        "rejected",
    )
    assert told.kind == "told", "the commenter was emailed the reason"
    assert (decision.reason, decision.note) == ("illegal_or_harmful_speech", "Threat")
    assert decision.created_at is not None


def test_the_queue_keeps_its_place_after_a_decision(moderator_client):
    article = make_article()
    first, second = (make_comment(article=article, status="pending") for _ in range(2))
    here = f"{DESK}?queue=pending&order=oldest"
    response = _decide(moderator_client, "approve", first, next=here, following=f"card-{second.pk}")
    assert response["Location"] == f"{here}#card-{second.pk}"


def test_a_second_moderator_is_told_and_nothing_is_overwritten(client):
    first = make_user(group="Moderators", first_name="Ana", last_name="Silva")
    second = make_user(group="Moderators")
    comment = make_comment(article=make_article(), status="pending")
    seen_version = comment.version
    client.force_login(first)
    _decide(client, "approve", comment)
    client.force_login(second)
    response = _decide(
        client, "spam", comment, json=True, **{f"version-{comment.pk}": seen_version}
    )
    assert response.status_code == 409
    assert response.json()["message"] == "Already handled by Ana Silva: the comment was approved."
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert comment.decisions.filter(moderator=second).count() == 0


def test_a_stale_decision_is_told_in_the_desks_words_not_the_status_value(client):
    first = make_user(group="Moderators", first_name="Ana", last_name="Silva")
    comment = make_comment(article=make_article(), status="pending")
    seen_version = comment.version
    client.force_login(first)
    _decide(client, "spam", comment)
    response = _decide(
        client, "approve", comment, json=True, **{f"version-{comment.pk}": seen_version}
    )
    message = response.json()["message"]
    assert message == "Already handled by Ana Silva: the comment was marked as spam."


def test_the_last_decision_can_be_undone(moderator_client):
    comment = make_comment(article=make_article(), status="pending")
    response = _decide(moderator_client, "spam", comment, json=True)
    undo_url = response.json()["undo"]
    html = moderator_client.get(DESK).content.decode()
    assert f'action="{undo_url}"' in html
    assert moderator_client.post(undo_url).status_code == 302
    comment.refresh_from_db()
    assert comment.status == "pending"
    first, undo = comment.decisions.filter(moderator__isnull=False)
    assert first.undone_by == undo
    assert (undo.from_status, undo.to_status) == ("spam", "pending")


def test_undo_is_refused_once_someone_decided_after(moderator_client):
    comment = make_comment(article=make_article(), status="pending")
    undo_url = _decide(moderator_client, "approve", comment, json=True).json()["undo"]
    comment.refresh_from_db()
    other = make_user(group="Editors")
    from django.test import Client

    second = Client()
    second.force_login(other)
    _decide(second, "reject", comment)
    response = moderator_client.post(undo_url, HTTP_X_DESK="1")
    assert response.status_code == 409
    assert "Already handled by" in response.json()["message"]
    comment.refresh_from_db()
    assert comment.status == "rejected"


def test_bulk_decisions_apply_to_the_selected(moderator_client):
    article = make_article()
    chosen = [make_comment(article=article, status="pending") for _ in range(3)]
    other = make_comment(article=article, status="pending")
    response = _decide(moderator_client, "approve", *chosen, json=True)
    assert response.json()["message"] == "Approved 3 comments."
    assert set(Comment.objects.filter(status="approved")) == set(chosen)
    other.refresh_from_db()
    assert other.status == "pending"
    article.refresh_from_db()
    assert article.comment_count == 3


@pytest.mark.parametrize(
    "data",
    [
        {"action": "delete"},
        {"action": "reject", "reason": "because"},
        {"action": "approve", "comment": "x"},
    ],
)
def test_bad_decisions_are_refused_clearly(moderator_client, data):
    comment = make_comment(article=make_article(), status="pending")
    payload = {"comment": comment.pk, f"version-{comment.pk}": comment.version, **data}
    response = moderator_client.post(
        reverse("admin:comments_desk_decide"), payload, HTTP_X_DESK="1"
    )
    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_reply_as_the_newsroom_publishes_an_answer(moderator_client, client):
    comment = make_comment(article=make_article(), status="pending", body="Is this right?")
    response = moderator_client.post(
        reverse("admin:comments_desk_reply", args=[comment.pk]),
        {"body": "Yes: we checked with the ministry.", f"version-{comment.pk}": comment.version},
    )
    assert response.status_code == 302
    reply = Comment.objects.get(is_newsroom=True)
    assert (reply.parent, reply.status, reply.name) == (comment, "approved", "Newsroom")
    comment.refresh_from_db()
    assert comment.status == "approved"
    client.logout()
    html = client.get(comment.article.get_absolute_url()).content.decode()
    assert "Yes: we checked with the ministry." in html


def test_the_test_box_says_what_the_policy_would_do_and_stores_nothing(moderator_client):
    response = moderator_client.get(
        reverse("admin:comments_desk_test"), {"text": "Cheap VIAGRA for idiots"}
    )
    html = unescape(response.content.decode())
    assert "The policy would file it as:" in html and ">Spam<" in html
    # Each rule by its name in the desk's words, never its id in the code.
    assert "<strong>Blocked words</strong>: Contains blocked words: viagra." in html
    assert "<strong>Words to check</strong>: Contains words on the moderation list" in html
    assert "block_list" not in html and "moderation_list" not in html
    assert "Cheap <mark>VIAGRA</mark> for <mark>idiots</mark>" in html
    assert not Comment.objects.exists()


def test_the_commenter_page_shows_history_and_takes_notes(moderator_client, moderator):
    article = make_article()
    make_comment(article=article, email="Reg@Example.org", body="Earlier remark.")
    make_comment(article=article, email="reg@example.org", status="spam")
    url = reverse("admin:comments_commenter")
    html = moderator_client.get(url, {"email": "reg@example.org"}).content.decode()
    assert "Earlier remark." in html
    assert "1 approved · 0 rejected · 1 spam" in html
    moderator_client.post(url, {"email": "reg@example.org", "note": "Usually fine."})
    note = CommenterNote.objects.get()
    assert (note.email, note.author, note.text) == ("reg@example.org", moderator, "Usually fine.")
    desk_html = moderator_client.get(DESK, {"queue": "approved"}).content.decode()
    assert "Usually fine." in desk_html


def test_ban_with_reject_all_leaves_nothing_public(moderator_client, client):
    article = make_article()
    for status in ["approved", "approved", "pending"]:
        make_comment(
            article=article, status=status, email="troll@example.org", body=f"Troll {status}"
        )
    kept = make_comment(article=article, body="Someone else")
    response = moderator_client.post(
        reverse("admin:comments_commenter"),
        {"email": "troll@example.org", "standing": "banned", "reject_all": "on"},
        follow=True,
    )
    assert "Rejected 3 of their comments." in unescape(response.content.decode())
    assert Commenter.objects.get().standing == "banned"
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Troll" not in html
    assert kept.body in html
    article.refresh_from_db()
    assert article.comment_count == 1
    assert CommentDecision.objects.filter(to_status="rejected").count() == 3


def test_a_suspension_needs_a_number_of_days(moderator_client):
    url = reverse("admin:comments_commenter")
    response = moderator_client.post(
        url, {"email": "x@example.org", "standing": "suspended", "days": "0"}, follow=True
    )
    assert "Give a suspension of 1 to 3,650 days." in unescape(response.content.decode())
    assert not Commenter.objects.exists()
    moderator_client.post(url, {"email": "x@example.org", "standing": "suspended", "days": "7"})
    assert Commenter.objects.get().suspended_until is not None


def test_filters_narrow_the_queue(moderator_client):
    politics, sport = make_section(), make_section()
    a = make_comment(article=make_article(section=politics), status="pending", body="About votes")
    b = make_comment(article=make_article(section=sport), status="pending", body="About goals")
    assert _cards(moderator_client.get(DESK, {"section": politics.pk}).content.decode()) == [a.pk]
    assert _cards(moderator_client.get(DESK, {"q": "goals"}).content.decode()) == [b.pk]
    assert _cards(moderator_client.get(DESK, {"q": b.email}).content.decode()) == [b.pk]
    assert _cards(moderator_client.get(DESK, {"order": "oldest"}).content.decode()) == [a.pk, b.pk]
    assert _cards(moderator_client.get(DESK, {"article": a.article_id}).content.decode()) == [a.pk]
    odd = moderator_client.get(DESK, {"from": "not-a-date", "start": "-3", "queue": "nope"})
    assert odd.status_code == 200


@pytest.mark.parametrize("n", [5, 495])
def test_the_queue_costs_the_same_with_500_comments(moderator_client, django_assert_num_queries, n):
    article = make_article()
    for i in range(n):
        make_comment(article=article, status="pending", email=f"r{i % 40}@example.org")
    with django_assert_num_queries(staff("moderation desk")):
        assert moderator_client.get(DESK).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "outsider", "reader"])
def test_nobody_outside_the_groups_reaches_the_desk(client, who):
    comment = make_comment(article=make_article(), status="pending")
    if who == "outsider":
        client.force_login(make_user(is_staff=True))
    elif who == "reader":
        client.force_login(make_user())
    gets = [DESK, reverse("admin:comments_desk_test"), reverse("admin:comments_commenter")]
    for url in gets:
        response = client.get(url)
        assert response.status_code in {302, 403}, url
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"]
    _decide(client, "spam", comment)
    client.post(reverse("admin:comments_desk_reply", args=[comment.pk]), {"body": "x"})
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert not Comment.objects.filter(is_newsroom=True).exists()


def test_editors_work_the_desk_too(editor_client):
    comment = make_comment(article=make_article(), status="pending")
    assert editor_client.get(DESK).status_code == 200
    _decide(editor_client, "approve", comment)
    comment.refresh_from_db()
    assert comment.status == "approved"


def test_a_suspended_commenter_is_told_and_keeps_the_text(moderator_client, client):
    from tests.factories import comment_form_data

    article = make_article()
    moderator_client.post(
        reverse("admin:comments_commenter"),
        {"email": "hot@example.org", "standing": "suspended", "days": "3"},
    )
    client.logout()
    data = comment_form_data(client, article, email="Hot@example.org", body="Still angry.")
    response = client.post(reverse("comments:post", args=[article.pk]), data)
    assert response.status_code == 403
    html = unescape(response.content.decode())
    assert "Comments from this email address are suspended until" in html
    assert "Still angry.</textarea>" in html
    assert not Comment.objects.filter(body="Still angry.").exists()


def test_always_premoderated_commenters_wait_even_when_trusted(moderator_client, client, settings):
    from tests.factories import comment_form_data

    settings.COMMENTS_TRUSTED_AFTER = 1
    article = make_article()
    make_comment(article=article, email="watched@example.org")
    moderator_client.post(
        reverse("admin:comments_commenter"),
        {"email": "watched@example.org", "standing": "premoderated"},
    )
    client.logout()
    data = comment_form_data(client, article, email="watched@example.org", body="Hello again.")
    client.post(reverse("comments:post", args=[article.pk]), data)
    assert Comment.objects.get(body="Hello again.").status == "pending"


def test_the_admin_home_leads_moderators_to_the_desk(moderator_client):
    assert reverse("admin:comments_desk") in moderator_client.get("/admin/").content.decode()


def test_the_comment_page_shows_its_audit_trail(moderator_client):
    comment = make_comment(article=make_article(), status="pending")
    _decide(moderator_client, "reject", comment, reason="violence", note="Threatens a neighbour")
    html = moderator_client.get(
        reverse("admin:comments_comment_change", args=[comment.pk])
    ).content.decode()
    assert "decisions (audit trail)" in html.lower()
    assert "Threatens a neighbour" in html
    assert "Violence or incitement" in html
