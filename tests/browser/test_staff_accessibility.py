"""The admin pages that writers, editors, moderators and a superuser work in, each as the role
that uses it, checked with axe-core in a real browser once the page's scripts have built their
widgets (the rich-text editor, the autocomplete boxes, the two-box pickers): no serious or
critical problem, and the controls that had none carry the names a screen reader should read."""

from base64 import b32decode
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.oath import TOTP

from articles.models import FrontPage, SectionPin, TopStory
from articles.revisions import record_revision
from comments.models import CommentReport
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_correction,
    make_image,
    make_live_entry,
    make_section,
    make_topic,
    make_user,
    relate,
    turn_on_two_factor,
)

from .checks import DESKTOP, assert_self_contained, axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# True once every widget that a script builds is in place: each rich-text editor, autocomplete
# box and two-box picker, outside the empty forms kept for "Add another".
WIDGETS_BUILT = """() => {
    const live = (el) => !el.closest(".empty-form") && !el.name.includes("__prefix__");
    const pending = (selector, built) =>
        [...document.querySelectorAll(selector)].filter(live).filter((el) => !built(el));
    return [
        ...pending("textarea[data-django-prose-editor-configurable]",
                   (el) => el.closest(".prose-editor")?.querySelector("[contenteditable]")),
        ...pending("select.admin-autocomplete",
                   (el) => el.classList.contains("select2-hidden-accessible")),
        ...pending("select.selectfilter, select.selectfilterstacked",
                   (el) => document.getElementById(`${el.id}_from`)),
    ].length === 0;
}"""


def _admin(name, *args, query=None):
    url = reverse(f"admin:{name}", args=args)
    return f"{url}?{urlencode(query)}" if query else url


@pytest.fixture
def newsroom():
    """Make a small newsroom with something on every staff page; return the pages each role
    uses, as (role, user or None, [(page name, address or a function of the page that opens it,
    and optionally [(ARIA role, or None for any labelled control, accessible name)])])."""
    world = make_section(name="World", slug="world")
    make_section(name="Sport", slug="sport")
    reporter = make_author(name="Lena Marsh", slug="lena-marsh")
    second = make_author(name="Omar Haddad", slug="omar-haddad")
    talks = make_topic(name="Ceasefire talks")
    geneva = make_topic(name="Geneva")
    story = make_article(
        headline="Ceasefire talks resume in Geneva",
        section=world,
        topics=[talks, geneva],
        primary_topic=talks,
        authors=[reporter, second],
        image=True,
    )
    earlier = make_article(headline="Calls to restart the talks", section=world, topics=[talks])
    relate(story, earlier, urls=[("https://example.org/report", "The full report")])
    make_correction(article=story)
    record_revision(article=story, note="Created")
    story.headline = "Ceasefire talks resume in Geneva on Monday"
    story.save()
    record_revision(article=story, note="Edited")
    picture = make_image(size=(640, 360), alt_text="Delegates at the table", credit="Photo: Staff")

    front = FrontPage.objects.create(
        pk=1, lead=story, banner_text="Live: the talks in Geneva", banner_article=story
    )
    TopStory.objects.create(front_page=front, article=earlier, position=1)
    SectionPin.objects.create(front_page=front, section=world, article=earlier, position=1)
    coverage = make_article(headline="The talks in Geneva, live", section=world, is_live=True)
    entry = make_live_entry(article=coverage, title="Delegations arrive", author=reporter)

    writer = make_user(group="Writers")
    make_comment(article=story, status="pending", email="tomas@example.org")
    make_comment(article=story, status="pending", body="Nothing but insults, every word.")
    reported = make_comment(
        article=story, status="pending", name="Ines Duarte", email="ines@example.org"
    )
    CommentReport.objects.create(comment=reported, reason=CommentReport.Reason.ABUSIVE)
    reported.is_reported, reported.report_count = True, 1
    reported.save(update_fields=["is_reported", "report_count"])

    staff = make_user(username="lena", first_name="Lena", is_staff=True)
    group = Group.objects.get(name="Editors")

    def preview_link(page):
        page.goto(_admin("articles_article_change", story.pk))
        page.get_by_role("button", name="Create preview link").click()
        page.wait_for_url("**/preview-link/")

    def byline_added_lead_image_open(page):
        page.goto(_admin("articles_article_change", story.pk))
        page.get_by_role("button", name="Add another author").click()
        page.locator("#bylines-3").wait_for()
        # select2 builds its search box and list of choices only when the box opens.
        page.locator(".field-lead_image .select2-selection").click()
        page.locator(".select2-results__option").first.wait_for()

    make_comment(article=story, name="Iris Vale", email="iris@example.org")

    def privacy_summary(page):
        page.goto(_admin("comments_privacy"))
        page.get_by_label("Email address").fill("iris@example.org")
        page.get_by_role("button", name="Look up").click()
        page.get_by_role("heading", name="Stored about iris@example.org").wait_for()

    def privacy_erase_confirmation(page):
        privacy_summary(page)
        page.get_by_role("button", name="Erase…").click()
        page.get_by_role("button", name="Yes, erase it all").wait_for()

    def unpublish_confirmation(page):
        page.goto(_admin("articles_article_changelist"))
        page.get_by_role("row").filter(has_text=story.headline).get_by_role("checkbox").check()
        page.get_by_label("Action:").select_option(label="Unpublish selected articles")
        page.get_by_role("button", name="Run").click()
        page.get_by_role("heading", name="Unpublish these articles?").wait_for()

    # Two-factor sign-in: a colleague who has it on, for the code step and the reset.
    ravi = make_user(group="Writers", username="ravi")
    turn_on_two_factor(ravi)

    def code_step(page):
        page.goto(_admin("login"))
        page.get_by_label("Username").fill("ravi")
        page.get_by_label("Password").fill("a-long-test-passphrase")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"**{_admin('login_code')}")

    def code_step_wrong_code(page):
        page.get_by_label("Code from your authenticator app").fill("12345")
        page.get_by_role("button", name="Sign in").click()
        page.locator(".errorlist").wait_for()

    def code_step_recovery(page):
        page.get_by_role("link", name="No phone to hand? Use a recovery code").click()
        page.get_by_label("Recovery code").wait_for()

    def code_step_elsewhere(page):
        page.context.clear_cookies()
        page.goto(_admin("login_code"))

    def set_up_wrong_code(page):
        page.goto(_admin("two_factor"))
        page.get_by_label("Code from the app").fill("abc")
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
        page.locator(".errorlist").wait_for()

    def recovery_codes(page):
        # As a person with an app does: the key written out on the page, then its code.
        page.goto(_admin("two_factor"))
        key = b32decode(page.locator("#two-factor-key").inner_text().replace(" ", ""))
        page.get_by_label("Code from the app").fill(f"{TOTP(key).token():06d}")
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
        page.locator("#recovery-codes").wait_for()

    editor = make_user(group="Editors")
    turn_on_two_factor(editor)  # signs in with a code

    return [
        (
            "anyone",
            None,
            [
                ("login", _admin("login")),
                ("sign-in code step", code_step, [("textbox", "Code from your authenticator app")]),
                ("sign-in code step, a wrong code", code_step_wrong_code),
                ("sign-in code step, a recovery code", code_step_recovery),
                ("sign-in code step, no password step", code_step_elsewhere),
            ],
        ),
        (
            "writer",
            writer,
            [
                ("index", _admin("index")),
                ("password change", _admin("password_change")),
                ("article add", _admin("articles_article_add")),
                ("article view (live, read only)", _admin("articles_article_change", story.pk)),
                (
                    "two-factor set-up",
                    _admin("two_factor"),
                    [("img", "QR code to scan with your authenticator app")],
                ),
                ("two-factor set-up, a wrong code", set_up_wrong_code),
                ("two-factor recovery codes", recovery_codes),
                ("two-factor on", _admin("two_factor")),
                ("two-factor turn off", _admin("two_factor_off")),
            ],
        ),
        (
            "editor",
            editor,
            [
                ("index", _admin("index")),
                ("articles app", _admin("app_list", "articles")),
                ("article list", _admin("articles_article_changelist")),
                (
                    "article change",
                    _admin("articles_article_change", story.pk),
                    [
                        ("textbox", "Body"),
                        ("combobox", "Topics"),
                        ("searchbox", "Topics"),
                        ("combobox", "Primary topic"),
                        ("combobox", "Lead image"),
                        ("spinbutton", "Position of byline 1"),
                        ("combobox", "Author of byline 2"),
                        ("checkbox", "Delete byline 2"),
                        ("combobox", "Article of related link 1"),
                        ("textbox", "Outside address of related link 2"),
                        ("textbox", "Title of related link 3"),
                    ],
                ),
                (
                    "article change, a byline added, the lead image box open",
                    byline_added_lead_image_open,
                    [
                        ("spinbutton", "Position of byline 4"),
                        ("combobox", "Author of byline 4"),
                        ("searchbox", "Lead image"),
                        ("listbox", "Lead image"),
                    ],
                ),
                (
                    "front page",
                    _admin("articles_frontpage_change", 1),
                    [
                        ("combobox", "Lead story"),
                        ("textbox", "Breaking-news banner:"),
                        ("combobox", "Banner links to"),
                        ("spinbutton", "Position of top story 1"),
                        ("combobox", "Article of top story 1"),
                        ("checkbox", "Delete top story 1"),
                        ("combobox", "Section of pinned story 1"),
                        ("combobox", "Article of pinned story 2"),
                    ],
                ),
                (
                    "live coverage",
                    _admin("articles_article_live", coverage.pk),
                    [("textbox", "Body"), ("textbox", "Title"), ("checkbox", "Key event")],
                ),
                ("live entry change", _admin("articles_liveentry_change", entry.pk)),
                ("article history", _admin("articles_article_history", story.pk)),
                ("revisions", _admin("articles_article_revisions", story.pk)),
                (
                    "revisions compared",
                    _admin(
                        "articles_article_revisions_compare", story.pk, query={"from": 1, "to": 2}
                    ),
                ),
                ("revision restore", _admin("articles_article_revision_restore", story.pk, 1)),
                ("preview link", preview_link),
                ("unpublish confirmation", unpublish_confirmation),
                (
                    "section list",
                    _admin("articles_section_changelist"),
                    [("spinbutton", "Position of World"), ("spinbutton", "Position of Sport")],
                ),
                ("section add", _admin("articles_section_add")),
                ("section change", _admin("articles_section_change", world.pk)),
                ("topic list", _admin("articles_topic_changelist")),
                ("topic add", _admin("articles_topic_add")),
                ("topic change", _admin("articles_topic_change", talks.pk)),
                ("author list", _admin("articles_author_changelist")),
                ("author add", _admin("articles_author_add"), [(None, "Photo")]),
                ("author change", _admin("articles_author_change", reporter.pk)),
                (
                    "image list",
                    _admin("images_image_changelist"),
                    [("img", "Delegates at the table")],
                ),
                ("image add", _admin("images_image_add"), [(None, "File")]),
                ("image change", _admin("images_image_change", picture.pk)),
                ("image picker", _admin("images_image_pick", query={"CKEditorFuncNum": -1})),
                ("privacy requests", _admin("comments_privacyrequest_changelist")),
                ("privacy page", _admin("comments_privacy"), [("textbox", "Email address")]),
                ("privacy page, an address looked up", privacy_summary),
                ("privacy erase confirmation", privacy_erase_confirmation),
            ],
        ),
        (
            "moderator",
            make_user(group="Moderators"),
            [
                ("index", _admin("index")),
                ("moderation desk", _admin("comments_desk")),
                (
                    "moderation desk, approved",
                    _admin("comments_desk", query={"queue": "approved"}),
                    [("button", "Feature")],
                ),
                ("commenter", _admin("comments_commenter", query={"email": "tomas@example.org"})),
                (
                    "test a text",
                    _admin("comments_desk_test", query={"text": "Nothing but insults, idiot."}),
                ),
                ("comment list", _admin("comments_comment_changelist")),
                ("comment change", _admin("comments_comment_change", reported.pk)),
            ],
        ),
        (
            "superuser",
            make_user(is_staff=True, is_superuser=True),
            [
                ("user list", _admin("auth_user_changelist")),
                ("user add", _admin("auth_user_add")),
                ("user change", _admin("auth_user_change", staff.pk)),
                ("two-factor reset", _admin("auth_user_two_factor_reset", ravi.pk)),
                ("group list", _admin("auth_group_changelist")),
                ("group add", _admin("auth_group_add")),
                ("group change", _admin("auth_group_change", group.pk)),
            ],
        ),
    ]


def test_staff_pages_pass_axe_for_the_roles_that_use_them(page, log_in, axe_script, newsroom):
    # One width only: the admin's layout at a phone's width holds the same controls, and each
    # width costs a run of axe on every page.
    page.set_viewport_size(DESKTOP)
    problems = []  # From every page, so that one run names them all.
    for role, user, pages in newsroom:
        page.context.clear_cookies()
        if user:
            log_in(user, _admin("index"))
        for name, visit, *names in pages:
            if callable(visit):
                visit(page)
            else:
                response = page.goto(visit)
                assert response.status == 200, f"{name} ({visit}) answered {response.status}"
            page.wait_for_function(WIDGETS_BUILT)
            for aria_role, label in names[0] if names else []:
                found = (
                    page.get_by_label(label, exact=True)
                    if aria_role is None
                    else page.get_by_role(aria_role, name=label, exact=True)
                )
                if not found.count():
                    problems.append(f"{role}, {name}: nothing named {label!r} ({aria_role})")
            violations = axe_violations(page, axe_script)
            if violations:
                problems.append(f"{role}, {name}, {page.url}:\n{describe(violations)}")
    assert not problems, f"{len(problems)} problems:\n\n" + "\n\n".join(problems)
    assert_self_contained(page)
