"""A commenter's data: exported whole on request, erased without breaking others' threads."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from comments import services
from comments.models import Comment, CommentDecision, Commenter, CommenterNote
from comments.privacy import ErasureRefused, commenter_erase, commenter_export
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def _export(email, *args):
    out = StringIO()
    call_command("export_commenter", email, *args, stdout=out)
    return out.getvalue()


def _erase(email, *args):
    out = StringIO()
    call_command("erase_commenter", email, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def ana(moderator):
    """Ana's comments (her email in two cases), a decision, her standing and a note."""
    article = make_article(headline="Ana's story")
    first = make_comment(
        article=article,
        email="Ana@Example.org",
        name="Ana",
        body="First thoughts.",
        ip_address="198.51.100.7",
        user_agent="AnaBrowser/1.0",
        policy_reasons=[{"rule": "links", "reason": "Too many links"}],
    )
    second = make_comment(
        article=make_article(), email="ana@example.org", name="Ana", status="rejected"
    )
    CommentDecision.objects.create(
        comment=second,
        moderator=moderator,
        from_status="pending",
        to_status="rejected",
        reason="scope_of_platform_service",
        note="Off-topic again",
    )
    Commenter.objects.create(email="ana@example.org", standing="premoderated")
    CommenterNote.objects.create(email="ana@example.org", author=moderator, text="Often off-topic.")
    return first, second


def test_export_has_all_their_comments_decisions_and_notes(ana, moderator):
    first, second = ana
    other = make_comment(
        article=first.article, email="zed@example.org", name="Zed", body="Zed's own words."
    )

    data = json.loads(_export("ANA@example.ORG"))

    assert [c["id"] for c in data["comments"]] == [first.pk, second.pk]
    exported = data["comments"][0]
    assert exported["ip_address"] == "198.51.100.7"
    assert exported["user_agent"] == "AnaBrowser/1.0"
    assert exported["article"]["headline"] == "Ana's story"
    assert exported["article"]["url"].endswith(first.article.get_absolute_url())
    assert exported["policy_reasons"] == [{"rule": "links", "reason": "Too many links"}]
    assert exported["created_at"] == first.created_at.isoformat()
    [decision] = data["comments"][1]["decisions"]
    assert decision["to_status"] == "rejected"
    assert decision["note"] == "Off-topic again"
    assert data["commenter"]["standing"] == "premoderated"
    assert [n["text"] for n in data["notes"]] == ["Often off-topic."]
    text = json.dumps(data)
    # Nothing of another commenter, nor who the moderators are.
    assert other.body not in text and "zed@example.org" not in text
    assert moderator.username not in text and moderator.email not in text


def test_export_writes_a_file_with_output(ana, tmp_path):
    path = tmp_path / "ana.json"
    out = _export("ana@example.org", "--output", str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(data["comments"]) == 2
    assert str(path) in out
    assert "First thoughts." not in out


@pytest.mark.parametrize(
    "args", [["export_commenter"], ["erase_commenter"], ["erase_commenter", "--yes"]]
)
def test_an_unknown_email_fails_and_changes_nothing(ana, monkeypatch, args):
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    command, *flags = args
    with pytest.raises(CommandError, match=r"Nothing is stored about nobody@example\.org"):
        call_command(command, "nobody@example.org", *flags)
    assert Comment.objects.count() == 2


def _thread():
    """Ana's comments, some that others replied to, and Zed's replies."""
    article = make_article()
    ana = {"email": "ana@example.org"}
    alone = make_comment(article=article, **ana)
    answered = make_comment(article=article, ip_address="198.51.100.7", **ana)
    zed_reply = make_comment(article=article, parent=answered, email="zed@example.org")
    # Her own reply to herself does not keep her first comment.
    self_answered = make_comment(article=article, **ana)
    make_comment(article=article, parent=self_answered, **ana)
    # Zed answered her reply, so her reply and her comment above it both stay.
    top = make_comment(article=article, **ana)
    middle = make_comment(article=article, parent=top, **ana)
    zed_deep = make_comment(article=article, parent=middle, email="zed@example.org")
    pending = make_comment(article=article, status="pending", **ana)
    for comment in [alone, answered]:
        CommentDecision.objects.create(
            comment=comment, to_status="approved", note="Ana, who lives at 1 High Street"
        )
    CommenterNote.objects.create(email="ana@example.org", text="A note.")
    CommenterNote.objects.create(email="ana@example.org", text="Another note.")
    Commenter.objects.create(email="ana@example.org", standing="suspended")
    return article, {
        "alone": alone,
        "answered": answered,
        "self_answered": self_answered,
        "top": top,
        "middle": middle,
        "pending": pending,
        "zed_reply": zed_reply,
        "zed_deep": zed_deep,
    }


def test_erase_deletes_or_anonymises_and_keeps_others_replies():
    article, c = _thread()
    zed_before = {
        k: Comment.objects.filter(pk=c[k].pk).values().get() for k in ["zed_reply", "zed_deep"]
    }

    counts = commenter_erase(email="ANA@example.org")

    assert counts == {
        "deleted": 4,
        "anonymised": 3,
        "notes": 2,
        "commenter": 1,
        "reply_emails": 0,
        "emails": 0,
    }
    kept = set(Comment.objects.values_list("pk", flat=True))
    assert kept == {c[k].pk for k in ["answered", "top", "middle", "zed_reply", "zed_deep"]}
    for key in ["answered", "top", "middle"]:
        placeholder = Comment.objects.get(pk=c[key].pk)
        assert placeholder.name == "Removed"
        assert (
            placeholder.email
            == placeholder.email_normalised
            == (f"erased-{placeholder.pk}@invalid.example")
        )
        assert placeholder.body == "This comment was removed at its author's request."
        assert placeholder.ip_address is None
        assert placeholder.user_agent == placeholder.website == ""
        assert placeholder.policy_reasons == []
    for key, before in zed_before.items():
        assert Comment.objects.filter(pk=c[key].pk).values().get() == before
    erased, kept = CommentDecision.objects.order_by("pk")
    assert kept.comment_id == c["answered"].pk
    # The deleted comment's decision stays on record, anonymous.
    assert (erased.comment, erased.comment_number, erased.article) == (None, c["alone"].pk, article)
    assert erased.note == kept.note == ""
    assert not CommenterNote.objects.exists()
    assert not Commenter.objects.exists()
    article.refresh_from_db()
    assert article.comment_count == 5
    assert article.comment_count == Comment.objects.approved().filter(article=article).count()


def test_after_erasure_an_export_finds_nothing():
    _thread()
    _erase("ana@example.org", "--yes")
    data = commenter_export(email="ana@example.org")
    assert data["comments"] == data["notes"] == []
    assert data["commenter"] is None
    with pytest.raises(CommandError):
        _export("ana@example.org")


def test_erase_asks_first_and_does_nothing_on_no(monkeypatch):
    _thread()
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "n")
    out = _erase("ana@example.org")
    assert asked == ["Erase everything stored about ana@example.org? [y/N] "]
    assert "Nothing was erased." in out
    assert Comment.objects.by_email("ana@example.org").count() == 7
    assert CommenterNote.objects.count() == 2
    assert Commenter.objects.exists()


def test_erase_goes_ahead_on_yes(monkeypatch):
    _thread()
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    out = _erase("ana@example.org")
    assert "4 comments deleted, 3 kept as placeholders" in out
    assert not Comment.objects.by_email("ana@example.org").exists()


@pytest.mark.parametrize("flag", ["--yes", "--no-input"])
def test_erase_does_not_ask_with_a_flag(monkeypatch, flag):
    _thread()

    def refuse(prompt):
        raise AssertionError("asked")

    monkeypatch.setattr("builtins.input", refuse)
    _erase("ana@example.org", flag)
    assert not Comment.objects.by_email("ana@example.org").exists()


@pytest.mark.parametrize("flags", [[], ["--yes"]])
def test_erase_refuses_the_newsroom_address(monkeypatch, settings, moderator, flags):
    settings.DEFAULT_FROM_EMAIL = "desk@newsroom.example"
    parent = make_comment(article=make_article(), email="ana@example.org")
    services.comment_reply_as_newsroom(parent=parent, moderator=moderator, body="Thank you.")
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    with pytest.raises(CommandError, match=r"desk@newsroom\.example is the newsroom's own addr"):
        _erase("Desk@Newsroom.example", *flags)
    with pytest.raises(ErasureRefused):
        commenter_erase(email="desk@newsroom.example")
    assert Comment.objects.filter(is_newsroom=True).count() == 1
