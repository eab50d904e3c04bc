"""The comment policy in the admin: a save there decides the next comment, through the real
admin form and the real comment form, and is kept in a history of versions."""

import io
import itertools
import re
from datetime import timedelta
from html import unescape

import lxml.html
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, PolicyVersion
from tests.admin_forms import form_data, form_errors
from tests.factories import comment_form_data, make_article, make_comment, make_user
from tests.query_budgets import POLICY_READS, staff

pytestmark = pytest.mark.django_db

POLICY_PAGE = reverse("admin:comments_policyversion_change", args=["current"])
TEST_A_TEXT = reverse("admin:comments_desk_test")
_emails = itertools.count()


@pytest.fixture
def second_editor_client(editor):
    """The editor in a browser of their own, beside ``client`` logged in as someone else."""
    browser = Client()
    browser.force_login(editor)
    return browser


@pytest.fixture
def lead(db):
    return make_user(group="Moderation leads", first_name="Lea", last_name="Lead")


@pytest.fixture
def lead_client(lead):
    client = Client()
    client.force_login(lead)
    return client


def policy_form(client, **changes):
    """Return what the policy page's form sends, with changes (None unticks a checkbox)."""
    page = client.get(POLICY_PAGE)
    assert page.status_code == 200
    data = form_data(page, "policyversion_form")
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = [value]
    return data


def save_policy(client, **changes):
    response = client.post(POLICY_PAGE, policy_form(client, **changes))
    assert response.status_code == 302, form_errors(response)
    return response


def post_comment(reader, article, body, **fields):
    """Post a comment through the article's form, as a new commenter, and return it."""
    fields.setdefault("email", f"commenter{next(_emails)}@example.org")
    data = comment_form_data(reader, article, body=body, **fields)
    response = reader.post(reverse("comments:post", args=[article.pk]), data)
    assert response.status_code == 303
    return Comment.objects.latest("pk")


def rules(comment):
    return [reason["rule"] for reason in comment.policy_reasons]


def history_rows(html):
    """Return the history table's rows as lists of cell texts."""
    table = lxml.html.fromstring(html).get_element_by_id("policy-history")
    for br in table.iter("br"):  # a list's entries, one a line
        br.tail = " " + (br.tail or "")
    return [
        [" ".join(cell.text_content().split()) for cell in row]
        for row in table.xpath(".//tbody/tr")
    ]


def textarea(html, name):
    found = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.DOTALL)
    return unescape(found.group(1))


# A save decides the next comment


def test_a_blocked_word_added_in_the_admin_makes_the_next_comment_spam(
    editor_client, reader, article
):
    before = post_comment(reader, article, "Cheap watches, sold by the dozen here.")
    assert before.status == "pending" and "block_list" not in rules(before)

    save_policy(editor_client, block_words="viagra\ncheap watches")
    spam = post_comment(reader, article, "Cheap  WATCHES for everyone today.")
    assert spam.status == "spam"
    assert spam.policy_reasons[0]["words"] == ["cheap watches"]

    save_policy(editor_client, block_words="viagra")
    after = post_comment(reader, article, "Cheap watches are back, it seems.")
    assert after.status == "pending" and "block_list" not in rules(after)


def test_the_link_limit_set_in_the_admin_decides_the_next_comment(editor_client, reader, article):
    save_policy(editor_client, premoderate=None, max_links="0")
    held = post_comment(reader, article, "The figures are at https://stats.example/2026.")
    assert (held.status, rules(held)) == ("pending", ["links"])

    save_policy(editor_client, max_links="1")
    published = post_comment(reader, article, "The source: https://stats.example/source.")
    assert (published.status, rules(published)) == ("approved", [])


def test_site_wide_premoderation_is_switched_in_the_admin(editor_client, reader, article):
    save_policy(editor_client, premoderate=None)
    published = post_comment(reader, article, "Straight onto the page, this one.")
    assert published.status == "approved"

    save_policy(editor_client, premoderate="on")
    held = post_comment(reader, article, "This one waits for a moderator again.")
    assert (held.status, rules(held)) == ("pending", ["premoderation"])


def test_auto_close_days_set_in_the_admin_close_an_older_article(editor_client, reader):
    article = make_article(published_at=timezone.now() - timedelta(days=10))
    data = comment_form_data(reader, article, body="Still worth saying, ten days on.")
    save_policy(editor_client, close_after_days="7")
    page = reader.get(article.get_absolute_url()).content.decode()
    assert "Comments closed automatically 7 days after publication." in page
    response = reader.post(reverse("comments:post", args=[article.pk]), data)
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_trust_threshold_set_in_the_admin_publishes_a_known_commenter(
    editor_client, reader, article
):
    known = {"email": "regular@example.org"}
    make_comment(article=article, **known)
    assert post_comment(reader, article, "My second comment.", **known).status == "pending"
    save_policy(editor_client, trusted_after="1")
    trusted = post_comment(reader, article, "My third comment.", **known)
    assert (trusted.status, rules(trusted)) == ("approved", ["trusted", "premoderation"])


def test_a_blocked_email_domain_set_in_the_admin_files_the_next_comment_as_spam(
    editor_client, reader, article
):
    save_policy(editor_client, blocked_email_domains="Spam.Example")
    spam = post_comment(reader, article, "Hello there.", email="bob@mail.spam.example")
    assert (spam.status, spam.policy_reasons[0]["words"]) == ("spam", ["spam.example"])


@pytest.mark.page_cache
def test_a_change_of_auto_close_days_drops_the_cached_article_page(
    editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(published_at=timezone.now() - timedelta(days=10))
    url = article.get_absolute_url()
    assert Client().get(url)["X-Cache"] == "miss"
    assert Client().get(url)["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        save_policy(editor_client, close_after_days="7")
    page = Client().get(url)
    assert page["X-Cache"] == "miss"
    assert "Comments closed automatically 7 days after publication." in page.content.decode()


# The desk's "test a text"


def test_the_desks_test_a_text_follows_the_saved_policy(moderator_client, second_editor_client):
    text = {"text": "Cheap watches, by the dozen"}
    before = unescape(moderator_client.get(TEST_A_TEXT, text).content.decode())
    assert "Blocked words" not in before and ">Spam<" not in before

    save_policy(second_editor_client, block_words="cheap watches")
    after = unescape(moderator_client.get(TEST_A_TEXT, text).content.decode())
    assert ">Spam<" in after
    assert "<strong>Blocked words</strong>: Contains blocked words: cheap watches." in after
    assert "<mark>Cheap watches</mark>, by the dozen" in after


# The form and the history


def test_the_page_shows_the_settings_values_until_the_first_save(editor_client, settings):
    settings.COMMENTS_BLOCK_WORDS = ["viagra", "payday loan"]
    settings.COMMENTS_MAX_LINKS = 4
    html = editor_client.get(POLICY_PAGE).content.decode()
    assert textarea(html, "block_words") == "viagra\npayday loan"
    assert 'name="max_links" value="4"' in html
    assert "mailinator.com" in textarea(html, "disposable_email_domains")
    assert "Not changed here yet" in html


def test_the_history_shows_who_changed_what_with_the_value_before(
    editor_client, editor, lead_client, lead
):
    save_policy(editor_client, max_links="5", block_words="viagra\ncialis")
    save_policy(lead_client, max_links="7")
    rows = history_rows(editor_client.get(POLICY_PAGE).content.decode())
    # Newest first: the lead's change of the link limit, then the editor's two changes.
    assert rows[0][1:] == ["Lea Lead", "Most links", "5", "7"]
    assert rows[1][1:] == [editor.username, "Blocked words", _settings_words(), "viagra cialis"]
    assert rows[2] == ["Most links", "2", "5"]
    assert len(rows) == 3
    assert list(PolicyVersion.objects.values_list("saved_by", flat=True)) == [lead.pk, editor.pk]


def _settings_words():
    from django.conf import settings

    return " ".join(settings.COMMENTS_BLOCK_WORDS)


def test_a_save_that_changes_nothing_stores_no_version(editor_client):
    save_policy(editor_client)
    assert not PolicyVersion.objects.exists()
    html = editor_client.get(POLICY_PAGE).content.decode()
    assert "Nothing changed: the policy in force stays as it was." in html


def test_html_and_unicode_in_a_list_are_kept_and_shown_escaped(editor_client, reader, article):
    save_policy(editor_client, moderation_words="<b>idiot</b>\nИдиот\nβλάκας")
    html = editor_client.get(POLICY_PAGE).content.decode()
    assert "&lt;b&gt;idiot&lt;/b&gt;" in html and "<b>idiot</b>" not in html
    assert textarea(html, "moderation_words") == "<b>idiot</b>\nИдиот\nβλάκας"
    held = post_comment(reader, article, "Ты идиот.")
    assert held.policy_reasons[0]["words"] == ["Идиот"]


BAD_INPUT = {
    "a negative link limit": ({"max_links": "-1"}, "greater than or equal to 0"),
    "a huge link limit": ({"max_links": "99999999999999999999"}, "less than or equal to 100"),
    "a link limit that is no number": ({"max_links": "two"}, "Enter a whole number."),
    "a huge trust threshold": ({"trusted_after": "1001"}, "less than or equal to 1000"),
    "a negative number of days": ({"close_after_days": "-7"}, "greater than or equal to 0"),
    "a NUL byte": ({"block_words": "viagra\x00\ncialis"}, "Null characters are not allowed."),
    "a 2 MB word list": ({"block_words": "spam words\n" * 190_650}, "This list is too long"),
    "a repeated word": ({"block_words": "viagra\nCialis\nVIAGRA"}, "repeats line 1"),
    "a repeated phrase": ({"moderation_words": "casino bonus\ncasino  bonus"}, "repeats line 1"),
    "a blank line": ({"moderation_words": "idiot\n\nmoron"}, "Line 2 is empty: remove it."),
    "a line of punctuation": ({"moderation_words": "idiot\n!!!"}, "has no letter or digit"),
    "an invalid domain": ({"blocked_email_domains": "spam example"}, "not a domain name"),
    "an email address": ({"blocked_email_domains": "bob@spam.example"}, "without the @"),
    "a domain with an empty label": (
        {"disposable_email_domains": "spam..example"},
        "not a domain name",
    ),
    "a repeated domain": ({"blocked_email_domains": "a.example\nA.example"}, "repeats line 1"),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_refused_with_a_clear_error_and_what_was_typed_kept(editor_client, case):
    changes, message = BAD_INPUT[case]
    data = policy_form(editor_client, **changes)
    response = editor_client.post(POLICY_PAGE, data)
    assert response.status_code == 200
    assert any(message in error for error in form_errors(response)), form_errors(response)
    assert not PolicyVersion.objects.exists()
    html = response.content.decode()
    for name, typed in changes.items():
        if name in ("max_links", "trusted_after", "close_after_days"):
            assert f'name="{name}" value="{typed}"' in html
        else:
            assert textarea(html, name) == typed


def test_a_save_over_a_colleagues_newer_one_is_refused_and_then_goes_through(
    editor_client, lead_client
):
    mine = policy_form(editor_client, max_links="9")
    save_policy(lead_client, max_links="3")
    refused = editor_client.post(POLICY_PAGE, mine)
    assert refused.status_code == 200
    assert "Someone saved the policy after you opened this page" in refused.content.decode()
    assert list(PolicyVersion.objects.values_list("max_links", flat=True)) == [3]
    again = editor_client.post(POLICY_PAGE, form_data(refused, "policyversion_form"))
    assert again.status_code == 302
    assert list(PolicyVersion.objects.values_list("max_links", flat=True)) == [9, 3]


def test_versions_cannot_be_deleted_or_added_by_hand(editor_client):
    save_policy(editor_client, max_links="5")
    version = PolicyVersion.objects.get()
    delete = reverse("admin:comments_policyversion_delete", args=[version.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    add = reverse("admin:comments_policyversion_add")
    assert editor_client.post(add, {"max_links": "1"}).status_code == 403
    assert PolicyVersion.objects.count() == 1


# Who may


def test_a_moderator_may_read_the_policy_but_not_change_it(moderator_client, second_editor_client):
    page = moderator_client.get(POLICY_PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<textarea" not in html and "viagra" in html
    forged = policy_form(second_editor_client, max_links="9")
    assert moderator_client.post(POLICY_PAGE, forged).status_code == 403
    assert not PolicyVersion.objects.exists()


def test_a_moderation_lead_changes_the_policy_and_works_the_desk(lead_client, lead, article):
    save_policy(lead_client, max_links="4")
    assert PolicyVersion.objects.get().saved_by == lead
    assert lead_client.get(reverse("admin:comments_desk")).status_code == 200
    assert lead_client.get(TEST_A_TEXT, {"text": "Hello"}).status_code == 200
    comment = Comment.objects.create(
        article=article, name="R", email="r@example.org", body="Pending here."
    )
    decide = {"action": "approve", "comment": [comment.pk], f"version-{comment.pk}": "0"}
    assert lead_client.post(reverse("admin:comments_desk_decide"), decide).status_code == 302
    comment.refresh_from_db()
    assert comment.status == "approved"


def test_a_moderation_lead_cannot_edit_articles(lead_client, article):
    change = reverse("admin:articles_article_change", args=[article.pk])
    assert lead_client.get(reverse("admin:articles_article_changelist")).status_code == 403
    assert lead_client.get(change).status_code == 403
    forged = {"headline": "Changed by a lead", "slug": article.slug}
    assert lead_client.post(change, forged).status_code == 403
    article.refresh_from_db()
    assert article.headline == "Story open for comments"


def test_moderation_leads_get_the_moderation_digest(lead, mailoutbox, article):
    from django.core.management import call_command

    Comment.objects.create(article=article, name="R", email="r@example.org", body="Waiting.")
    call_command("send_moderation_digest", stdout=io.StringIO())
    assert [message.to for message in mailoutbox] == [[lead.email]]


# What reading the policy costs


def test_once_cached_the_policy_costs_no_query_per_comment(editor_client, reader, article):
    save_policy(editor_client, premoderate=None)
    data = comment_form_data(reader, article, body="The first comment after the save.")
    url = reverse("comments:post", args=[article.pk])
    with CaptureQueriesContext(connection) as first:
        reader.post(url, {**data, "email": "first@example.org"})
    second_data = comment_form_data(reader, article, body="And a second one.")
    with CaptureQueriesContext(connection) as second:
        reader.post(url, {**second_data, "email": "second@example.org"})
    assert Comment.objects.filter(status="approved").count() == 2

    def reads(queries):
        return sum("comments_policyversion" in query["sql"] for query in queries)

    # The form's page had read the saved version already, after the save cleared the cache.
    assert reads(first) == POLICY_READS["a comment, the policy cached"]
    assert reads(second) == POLICY_READS["a comment, the policy cached"]


def test_after_a_save_the_next_reader_reads_the_new_version_once(editor_client, reader, article):
    save_policy(editor_client, max_links="3")
    with CaptureQueriesContext(connection) as queries:
        reader.get(article.get_absolute_url())
    assert (
        sum("comments_policyversion" in query["sql"] for query in queries)
        == POLICY_READS["the first page or comment after a save"]
    )


@pytest.mark.parametrize("versions", [1, 30])
def test_the_policy_page_costs_the_same_with_30_versions(
    editor_client, django_assert_num_queries, versions
):
    for n in range(versions):
        PolicyVersion.objects.create(
            saved_by=make_user(group="Editors"),
            max_links=n % 10,
            trusted_after=3,
            close_after_days=0,
            premoderate=bool(n % 2),
            block_words=f"word{n}",
        )
    # Django keeps each model's content type once read: read before counting, as on a live site.
    ContentType.objects.get_for_model(PolicyVersion)
    with django_assert_num_queries(staff("comment policy")):
        assert editor_client.get(POLICY_PAGE).status_code == 200
