"""Editors see what each save changed, compare any two revisions, and restore an earlier one."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article
from articles.revision_diff import diff_revisions
from articles.revisions import record_revision, snapshot
from tests.factories import make_article, make_topic, make_user
from tests.query_budgets import staff

pytestmark = pytest.mark.django_db


def _revise(article, *, user=None, note="Edited", **changes):
    for field, value in changes.items():
        setattr(article, field, value)
    article.save()
    return record_revision(article=article, user=user, note=note)


def _history_url(article):
    return reverse("admin:articles_article_revisions", args=[article.pk])


def _compare_url(article, old, new):
    url = reverse("admin:articles_article_revisions_compare", args=[article.pk])
    return f"{url}?from={old}&to={new}"


def _restore_url(article, version):
    return reverse("admin:articles_article_revision_restore", args=[article.pk, version])


def _history_rows(response):
    table = response.content.decode().split('<table class="revision-history">')[1]
    return re.findall(r"<tr>.*?</tr>", table.split("<tbody>")[1].split("</tbody>")[0], re.S)


def _messages(response):
    html = response.content.decode()
    return [
        unescape(m) for m in re.findall(r'<li class="(?:success|warning|error)">(.*?)</li>', html)
    ]


# The diff itself


def test_diff_marks_the_changed_word_of_a_headline_and_escapes_html():
    old = {"headline": "Council <script>alert(1)</script> votes to close the library"}
    new = {"headline": "Council <script>alert(1)</script> votes to keep the library"}

    [change] = diff_revisions(old, new)

    assert change.label == "Headline"
    assert "<del>close</del><ins>keep</ins>" in change.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in change.html
    assert "<script>" not in change.html


def test_diff_shows_the_changed_sentence_of_a_body_paragraph():
    old = {
        "body": "<p>The council met on Monday. It voted to close the library.</p>"
        "<p>Residents were not asked.</p><h2>What next</h2><p>A <em>vote</em> in May.</p>"
    }
    new = {
        "body": "<p>The council met on Monday. It voted to keep the library open.</p>"
        "<p>Residents were not asked.</p><h2>What next</h2><p>A <em>vote</em> in May.</p>"
    }

    [change] = diff_revisions(old, new)

    assert change.label == "Body"
    first = re.search(r'<div class="revision-block[^"]*changed">(.*?)</div>', change.html)
    assert first.group(1) == (
        "The council met on Monday. It voted to <del>close</del><ins>keep</ins> the library"
        "<ins> open</ins>."
    )
    assert "Residents were not asked." in change.html  # the paragraph after, for context
    assert "What next" not in change.html  # further away: counted, not shown
    assert "2 unchanged blocks" in change.html


def test_diff_escapes_the_body_and_shows_added_and_removed_paragraphs():
    old = {"body": "<p>Fish &amp; chips.</p><p>Dropped &lt;b&gt; paragraph.</p>"}
    new = {"body": "<p>Fish &amp; chips.</p><blockquote><p>A new quote.</p></blockquote>"}

    [change] = diff_revisions(old, new)

    assert 'revision-block--same">Fish &amp; chips.</div>' in change.html

    assert "<del>Dropped &lt;b&gt; paragraph.</del>" in change.html
    assert 'revision-block--quote revision-block--added"><ins>A new quote.</ins>' in change.html


def test_diff_shows_a_swapped_picture_and_its_new_caption():
    old = {
        "body": '<figure><img src="/media/images/flood.jpg" alt="Flooded street">'
        "<figcaption>The high street on Monday.</figcaption></figure>"
    }
    new = {
        "body": '<figure><img src="/media/images/dry.jpg" alt="Flooded street">'
        "<figcaption>The high street on Tuesday.</figcaption></figure>"
    }

    [change] = diff_revisions(old, new)

    assert "<del>flood</del><ins>dry</ins>.jpg" in change.html
    assert 'revision-block--caption revision-block--changed">The high street on ' in change.html
    assert "<del>Monday</del><ins>Tuesday</ins>." in change.html


def test_diff_leaves_out_unchanged_fields_and_labels_the_rest():
    article = make_article(topics=[make_topic(name="Housing")])
    old = snapshot(article)
    new = {
        **old,
        "slug": "a-new-address",
        "topics": ["Housing", "Transport"],
        "status": "draft",
    }

    changes = diff_revisions(old, new)

    assert [change.label for change in changes] == ["Address (slug)", "Topics", "Status"]
    assert changes[1].html == "Housing, <ins>Transport</ins>"
    assert changes[2].html == "<del>Published</del> → <ins>Draft</ins>"


# History and compare pages


def test_history_lists_every_revision_with_who_saved_it_and_when(editor_client, editor):
    article = make_article()
    first = _revise(article, user=editor, note="Created")
    second = _revise(article, user=editor, note="Edited", headline="A sharper headline")

    response = editor_client.get(_history_url(article))

    assert response.status_code == 200
    rows = _history_rows(response)
    assert [re.search(r'<th scope="row">(\d+)', row).group(1) for row in rows] == ["2", "1"]
    for row, revision in zip(rows, [second, first], strict=True):
        assert editor.get_username() in row
        when = date_format(timezone.localtime(revision.created_at), "DATETIME_FORMAT")
        assert when in row
    assert "Headline" in rows[0]  # what changed since the one before
    assert 'name="from" value="1"' in rows[1]


def test_compare_shows_changes_between_revisions_that_are_not_adjacent(editor_client, editor):
    article = make_article(headline="Storm closes the bridge", standfirst="Winds reached 90mph.")
    _revise(article, user=editor)
    _revise(article, user=editor, headline="Storm closes the old bridge")
    _revise(article, user=editor, standfirst="Winds reached 100mph.")

    # Either order: the older revision is always the one compared from.
    response = editor_client.get(_compare_url(article, 3, 1))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Storm closes the <ins>old </ins>bridge" in html
    assert "Winds reached <del>90mph</del><ins>100mph</ins>." in html


def test_compare_without_two_revisions_says_so(editor_client):
    article = make_article()
    record_revision(article=article)

    response = editor_client.get(_compare_url(article, "1", "x"), follow=True)

    assert response.redirect_chain[-1][0] == _history_url(article)
    assert _messages(response) == ["Choose two different revisions to compare."]


def test_compare_with_a_revision_that_does_not_exist_is_not_found(editor_client):
    article = make_article()
    record_revision(article=article)

    assert editor_client.get(_compare_url(article, 1, 7)).status_code == 404


# Restoring


def test_restoring_brings_back_the_earlier_text_and_history_shows_both(editor_client, editor):
    old_topic, new_topic = make_topic(name="Floods"), make_topic(name="Drought")
    article = make_article(
        headline="River bursts its banks",
        body="<p>Water reached the square by noon.</p>",
        topics=[old_topic],
        primary_topic=old_topic,
    )
    _revise(article, user=editor, note="Created")
    article.topics.set([new_topic])
    _revise(
        article,
        user=editor,
        headline="Dry spell continues",
        body="<p>No rain is forecast.</p>",
        primary_topic=new_topic,
        status=Article.Status.DRAFT,
    )

    response = editor_client.post(_restore_url(article, 1), {"version": "2"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "admin:articles_article_change", args=[article.pk]
    )
    assert _messages(response) == [
        "Restored the headline, standfirst, body and topics of revision 1, saved as revision 3."
    ]
    article.refresh_from_db()
    assert article.headline == "River bursts its banks"
    assert article.body == "<p>Water reached the square by noon.</p>"
    assert list(article.topics.all()) == [old_topic]
    assert article.primary_topic == old_topic
    assert article.status == Article.Status.DRAFT  # a publishing decision: left alone
    assert article.version == 3
    restored = article.revisions.get(version=3)
    assert restored.note == "Restored revision 1"
    assert restored.created_by == editor

    rows = _history_rows(editor_client.get(_history_url(article)))
    assert [re.search(r'<th scope="row">(\d+)', row).group(1) for row in rows] == ["3", "2", "1"]
    assert "Restored revision 1" in rows[0]
    assert "Created" in rows[2]


def test_restore_page_shows_the_changes_and_changes_nothing(editor_client, editor):
    article = make_article(headline="Old words")
    _revise(article, user=editor)
    _revise(article, user=editor, headline="New words", slug="new-words")

    response = editor_client.get(_restore_url(article, 1))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<del>New</del><ins>Old</ins> words" in html
    assert "Left as they are now: Address (slug)." in html
    assert 'name="version" value="2"' in html
    article.refresh_from_db()
    assert (article.headline, article.version) == ("New words", 2)
    assert article.revisions.count() == 2


def test_restore_leaves_off_topics_deleted_since(editor_client, editor):
    gone, kept = make_topic(name="Old topic"), make_topic(name="Kept topic")
    article = make_article(topics=[gone, kept], primary_topic=gone)
    _revise(article, user=editor)
    article.topics.set([])
    _revise(article, user=editor, primary_topic=None)
    gone.delete()

    response = editor_client.post(_restore_url(article, 1), {"version": "2"}, follow=True)

    assert "Left off topics that no longer exist: Old topic." in _messages(response)
    article.refresh_from_db()
    assert list(article.topics.all()) == [kept]
    assert article.primary_topic is None


def test_restore_after_someone_else_saved_restores_nothing(editor_client, editor):
    article = make_article(headline="First")
    _revise(article, user=editor)
    _revise(article, user=editor, headline="Second")
    _revise(article, user=editor, headline="Third")  # saved while the page was open

    response = editor_client.post(_restore_url(article, 1), {"version": "2"}, follow=True)

    assert response.redirect_chain[-1][0] == _restore_url(article, 1)
    assert _messages(response)[0].startswith("The article was saved again")
    article.refresh_from_db()
    assert (article.headline, article.version) == ("Third", 3)


def test_restoring_a_revision_that_does_not_exist_is_not_found(editor_client):
    article = make_article()
    record_revision(article=article)

    assert editor_client.get(_restore_url(article, 9)).status_code == 404
    assert editor_client.post(_restore_url(article, 9), {"version": "1"}).status_code == 404
    assert editor_client.get(_history_url(Article(pk=999_999))).status_code == 404
    assert editor_client.get(_restore_url(article, 10**20)).status_code == 404
    assert editor_client.get("/admin/articles/article/abc/revisions/").status_code == 404


# Permissions


def test_moderators_cannot_see_or_restore_revisions(moderator_client):
    article = make_article()
    record_revision(article=article)
    record_revision(article=article)

    assert moderator_client.get(_history_url(article)).status_code == 403
    assert moderator_client.get(_compare_url(article, 1, 2)).status_code == 403
    assert moderator_client.post(_restore_url(article, 1), {"version": "2"}).status_code == 403


def test_readers_without_staff_access_are_sent_to_log_in(client):
    article = make_article()
    record_revision(article=article)

    response = client.get(_history_url(article))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_view_only_staff_see_history_but_cannot_restore(client):
    user = make_user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)
    article = make_article(headline="Before")
    record_revision(article=article)
    _revise(article, headline="After")

    history = client.get(_history_url(article))
    assert history.status_code == 200
    assert "Restore…" not in history.content.decode()
    assert client.get(_restore_url(article, 1)).status_code == 403
    assert client.post(_restore_url(article, 1), {"version": "2"}).status_code == 403
    article.refresh_from_db()
    assert article.headline == "After"


# Query counts


@pytest.mark.parametrize("count", [2, 30])
def test_history_and_compare_queries_do_not_grow_with_revisions(
    editor_client, editor, django_assert_num_queries, count
):
    article = make_article()
    for n in range(count):
        _revise(article, user=editor, headline=f"Headline, take {n}")

    with django_assert_num_queries(staff("revision history")):
        editor_client.get(_history_url(article))
    with django_assert_num_queries(staff("revision compare")):
        editor_client.get(_compare_url(article, 1, count))
    with django_assert_num_queries(staff("revision restore")):
        editor_client.get(_restore_url(article, 1))
