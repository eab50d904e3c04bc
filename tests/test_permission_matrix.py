"""Who may open each admin page and do each admin action, for every role, in one table.

Each row names the admin URL (or "app.model:action" for a bulk action) it exercises, how to
make the request, and the answer each role gets, in the columns

    anonymous   Writers   Moderators   Editors   superuser

in these words:

    200, 403, 404   the status of the answer
    302             a redirect somewhere other than the login page
    login           a redirect to the admin's login page (and, for a POST, nothing changed)
    done            the POST took effect, as checked in the database
    refused         the POST changed nothing in the database
    ignored         the POST saved, but without the change it asked for (a read-only field)

Every request checks the database before and after: apart from "done" and "ignored", nothing
may change, GETs included. POSTs that a role may not make are forged from the form a
superuser sees, so a hidden button is no protection. test_every_admin_url_and_action_has_a_row
fails on an admin page or action without a row.
"""

import json
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from api.models import ApiKey
from articles import preview
from articles.models import Article, Author, FrontPage, LiveEntry, Section, Topic, TopStory
from comments.models import (
    Comment,
    CommentDecision,
    Commenter,
    CommenterNote,
    PolicyVersion,
    PrivacyRequest,
)
from images.models import Image
from newsroom.admin_two_factor import NEW_KEY
from newsroom.models import OutgoingEmail
from tests.admin_forms import form_errors
from tests.admin_matrix import (
    ROLES,
    Call,
    World,
    admin_url_keys,
    answer,
    changed_tables,
    database_state,
)
from tests.factories import app_code, make_api_key, upload

GET, POST = "GET", "POST"


@dataclass(frozen=True)
class Row:
    covers: str  # The admin URL name (its route if unnamed), or "app.model:action".
    method: str
    build: object  # A function of the World that returns the Call to make.
    cells: str  # Five answers, one per role, in the order of ROLES.
    variant: str = ""

    @property
    def id(self):
        return f"{self.covers}[{self.variant}]" if self.variant else self.covers

    def expected(self, role):
        cells = self.cells.split()
        assert len(cells) == len(ROLES), f"{self.id}: the row needs {len(ROLES)} cells"
        return dict(zip(ROLES, cells, strict=True))[role]


def _url(name, *args):
    return reverse(f"admin:{name}", args=args)


def page(name, obj=None, query=""):
    """Return a builder for a GET of the named admin page, of the world's ``obj`` if given."""

    def build(world):
        args = [getattr(world, obj).pk] if obj else []
        return Call(_url(name, *args) + query)

    return build


def _fresh(model, pk):
    return model.objects.filter(pk=pk).first()


def _gone(model, pk):
    return lambda: not model.objects.filter(pk=pk).exists()


# Site-wide pages


def logout(world):
    return Call(_url("logout"), effect=lambda: "_auth_user_id" not in world.client.session)


def password_change(world):
    # The role's own password: the client is logged in as the role's user.
    return Call(
        _url("password_change"),
        {
            "old_password": "a-long-test-passphrase",
            "new_password1": "a-brand-new-passphrase",
            "new_password2": "a-brand-new-passphrase",
        },
        effect=lambda: (
            world.role_user is not None
            and _fresh(User, world.role_user.pk).check_password("a-brand-new-passphrase")
        ),
    )


def autocomplete(source, field_name, found):
    """Return a builder for an autocomplete search from ``source``'s field, for ``found``."""
    app_label, model_name = source.split(".")

    def build(world):
        term = str(getattr(world, found)).split()[0]
        query = f"term={term}&app_label={app_label}&model_name={model_name}&field_name={field_name}"
        return Call(f"{_url('autocomplete')}?{query}")

    return build


def view_on_site(world):
    content_type = ContentType.objects.get_for_model(Article)
    return Call(_url("view_on_site", content_type.pk, world.published.pk))


def app_index(app_label):
    return lambda world: Call(reverse("admin:app_list", kwargs={"app_label": app_label}))


def no_such_page(world):
    return Call(_url("index") + "no-such-page/")


def old_change_address(model):
    """Return a builder for ``<id>/``, the admin's old change address, which redirects."""
    opts = model._meta

    def build(world):
        obj = {
            Group: lambda: world.spare_group,
            User: lambda: world.spare_user,
            Section: lambda: world.section,
            Author: lambda: world.author,
            Topic: lambda: world.topic,
            Article: lambda: world.draft,
            Comment: lambda: world.comment,
            Image: lambda: world.image,
            LiveEntry: lambda: world.live_entry,
            FrontPage: lambda: world.front_page,
            ApiKey: lambda: world.api_key,
            OutgoingEmail: lambda: world.failed_email,
            DBTaskResult: lambda: world.failed_task,
            PrivacyRequest: lambda: world.privacy_request,
        }[model]()
        change = _url(f"{opts.app_label}_{opts.model_name}_change", obj.pk)
        return Call(change.removesuffix("change/"))

    return build


# The generic add, change and delete pages


def add(model, check, **fields):
    """Return a builder for a POST of the add form with these fields, checked by ``check``."""
    opts = model._meta

    def build(world):
        url = _url(f"{opts.app_label}_{opts.model_name}_add")
        data = world.forge(url, f"{opts.model_name}_form", **resolve(world, fields))
        return Call(url, data, effect=lambda: model.objects.filter(**check).exists())

    return build


def change(obj, form_id, check, **fields):
    """Return a builder for a POST of ``obj``'s change form with these fields."""

    def build(world):
        target = getattr(world, obj)
        opts = target._meta
        url = _url(f"{opts.app_label}_{opts.model_name}_change", target.pk)
        data = world.forge(url, form_id, **resolve(world, fields))
        model, pk = type(target), target.pk
        return Call(url, data, effect=lambda: check(_fresh(model, pk)))

    return build


def delete(obj):
    def build(world):
        target = getattr(world, obj)
        opts = target._meta
        url = _url(f"{opts.app_label}_{opts.model_name}_delete", target.pk)
        return Call(url, {"post": "yes"}, effect=_gone(type(target), target.pk))

    return build


def action(model, name, obj, check, **extra):
    """Return a builder for the bulk action ``name`` on the world's ``obj``, from the list."""
    opts = model._meta

    def build(world):
        target = obj(world) if callable(obj) else getattr(world, obj)
        data = {"action": name, ACTION_CHECKBOX_NAME: [target.pk], "index": "0", **extra}
        if hasattr(target, "version"):
            # The version the list showed, as a comment list's checkbox carries it.
            data[f"version-{target.pk}"] = str(target.version)
        pk = target.pk
        return Call(
            _url(f"{opts.app_label}_{opts.model_name}_changelist"),
            data,
            effect=lambda: check(_fresh(model, pk)),
        )

    return build


def delete_selected(model, obj):
    return action(model, "delete_selected", obj, lambda gone: gone is None, post="yes")


def resolve(world, fields):
    """Let field values be functions of the world (a pk known only once the object exists)."""
    return {name: value(world) if callable(value) else value for name, value in fields.items()}


# Articles: the workflow moves on the change form, revisions and previews


def _in_days(days):
    when = timezone.localtime(timezone.now() + timedelta(days=days))
    return {"published_at_0": when.strftime("%Y-%m-%d"), "published_at_1": "09:00:00"}


def _status(state):
    return lambda article: article.status == state


def _scheduled_in(days):
    def check(article):
        target = (timezone.localtime(timezone.now()) + timedelta(days=days)).date()
        return article.is_scheduled() and timezone.localtime(article.published_at).date() == target

    return check


def move(obj, check, **fields):
    return change(obj, "article_form", check, **fields)


def add_correction(world):
    article = world.published
    url = _url("articles_article_change", article.pk)
    data = world.forge(
        url,
        "article_form",
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-text": "An earlier version gave the wrong date.",
            "corrections-0-published_at_0": timezone.localdate().isoformat(),
            "corrections-0-published_at_1": "08:00:00",
        },
    )
    return Call(url, data, effect=lambda: article.corrections.exists())


def section_positions(world):
    """Save a new position for a section straight from the list (list_editable)."""
    section = world.section
    url = _url("articles_section_changelist")
    data = world.forge(url, "changelist-form", _save="Save")
    [row] = [
        key for key, value in data.items() if key.endswith("-id") and value == [str(section.pk)]
    ]
    data[row.replace("-id", "-position")] = ["77"]
    return Call(url, data, effect=lambda: _fresh(Section, section.pk).position == 77)


def revisions_compare(world):
    url = _url("articles_article_revisions_compare", world.revised.pk)
    return Call(f"{url}?from=1&to=2")


def revision_restore_page(world):
    return Call(_url("articles_article_revision_restore", world.revised.pk, 1))


def revision_restore(world):
    article = world.revised
    url = _url("articles_article_revision_restore", article.pk, 1)
    return Call(
        url,
        {"version": str(article.version)},
        effect=lambda: _fresh(Article, article.pk).headline == "First words",
    )


def lift_embargo(world):
    article = world.embargoed
    return Call(
        _url("articles_article_lift_embargo", article.pk),
        {"reason": "The ministry published the report itself."},
        effect=lambda: not _fresh(Article, article.pk).is_embargoed(),
    )


def live_post(world):
    article = world.live_story
    return Call(
        _url("articles_article_live", article.pk),
        {"title": "Matrix post", "body": "<p>What happened just now.</p>"},
        effect=lambda: article.entries.filter(title="Matrix post").exists(),
    )


def live_end(world):
    article = world.live_story
    return Call(
        _url("articles_article_live", article.pk),
        {"coverage": "end"},
        effect=lambda: _fresh(Article, article.pk).coverage_ended_at is not None,
    )


def preview_link(world):
    return Call(_url("articles_article_preview_link", world.draft.pk), {"hours": "24"})


def shared_preview(world):
    token = preview.make_token(world.draft, hours=1)
    return Call(reverse("articles:preview", args=[token]))


# The front page


def front_page_delete(world):
    url = _url("articles_frontpage_delete", world.front_page.pk)
    return Call(url, {"post": "yes"}, effect=_gone(FrontPage, world.front_page.pk))


def _lead_is_the_draft(front_page):
    return front_page.lead_id is not None and front_page.lead.headline == "Matrix draft"


def _has_top_story(front_page):
    return TopStory.objects.filter(front_page=front_page).exists()


# Comments: the admin's form and actions, and the moderation desk


def _comment(status):
    return lambda world: world.comments[status]


def desk(world):
    reported = world.comments["reported"]
    return Call(_url("comments_desk") + f"?queue=reported&article={reported.article_id}")


def desk_decide(world):
    comment = world.comments["pending"]
    return Call(
        _url("comments_desk_decide"),
        {"action": "approve", "comment": [comment.pk], f"version-{comment.pk}": comment.version},
        effect=lambda: _fresh(Comment, comment.pk).status == "approved",
    )


def desk_undo(world):
    decision = world.decision
    return Call(
        _url("comments_desk_undo", decision.pk),
        effect=lambda: _fresh(CommentDecision, decision.pk).undone_by_id is not None,
    )


def desk_reply(world):
    parent = world.comments["approved"]
    return Call(
        _url("comments_desk_reply", parent.pk),
        {"body": "Thank you: we have corrected the figure."},
        effect=lambda: Comment.objects.filter(parent=parent, is_newsroom=True).exists(),
    )


def desk_test_text(world):
    return Call(_url("comments_desk_test") + "?text=Buy+cheap+watches")


def commenter_page(world):
    return Call(_url("comments_commenter") + f"?email={world.commenter.email}")


def commenter_standing(world):
    email = world.commenter.email
    return Call(
        _url("comments_commenter"),
        {"email": email, "standing": "banned"},
        effect=lambda: Commenter.objects.filter(email=email, standing="banned").exists(),
    )


def commenter_note(world):
    email = world.commenter.email
    return Call(
        _url("comments_commenter"),
        {"email": email, "note": "Posts the same link under every story."},
        effect=lambda: CommenterNote.objects.filter(email=email).exists(),
    )


def comment_add(world):
    article = world.published
    data = {"article": str(article.pk), "name": "Forged", "email": "f@x.org", "body": "Forged."}
    data |= {"status": "approved"}
    return Call(
        _url("comments_comment_add"),
        data,
        effect=lambda: Comment.objects.filter(name="Forged").exists(),
    )


# The comment policy: one page, at "current/"; each save adds a version


def policy_change(world):
    url = _url("comments_policyversion_change", "current")
    data = world.forge(url, "policyversion_form", max_links="7")
    return Call(url, data, effect=lambda: PolicyVersion.objects.filter(max_links=7).exists())


def policy_old_address(world):
    return Call(_url("comments_policyversion_change", "current").removesuffix("change/"))


def desk_feature(world):
    comment = world.comments["approved"]
    return Call(
        _url("comments_desk_feature", comment.pk),
        {"featured": "on"},
        effect=lambda: _fresh(Comment, comment.pk).featured_at is not None,
    )


def _featured(comment):
    return comment.featured_at is not None


def _featured_comment(world):
    comment = world.comments["approved"]
    Comment.objects.filter(pk=comment.pk).update(featured_at=timezone.now())
    return comment


# Privacy requests: an address's data exported or erased (comments/admin_privacy.py)


def privacy_lookup(world):
    return Call(_url("comments_privacy"), {"email": world.commenter.email})


def privacy_export(world):
    email = world.commenter.email
    return Call(
        _url("comments_privacy_export"),
        {"email": email},
        effect=lambda: PrivacyRequest.objects.filter(kind="export").exists(),
    )


def _erased(email):
    return lambda: not Comment.objects.by_email(email).exists()


def privacy_erase_unconfirmed(world):
    email = world.commenter.email
    return Call(
        _url("comments_privacy_erase"), {"email": email, "confirm": "yes"}, effect=_erased(email)
    )


def privacy_erase(world):
    # The confirming page's form, as a superuser is given it.
    email = world.commenter.email
    url = _url("comments_privacy_erase")
    page = world.harvester.post(url, {"email": email}).content.decode()
    token = re.search(r'name="confirmation" value="([^"]+)"', page).group(1)
    return Call(url, {"email": email, "confirmation": token}, effect=_erased(email))


# Images


def image_add(world):
    return Call(
        _url("images_image_add"),
        {
            "file": upload("matrix.jpg", size=(64, 36)),
            "alt_text": "A freshly uploaded picture",
            "caption": "",
            "credit": "",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
        effect=lambda: Image.objects.filter(alt_text="A freshly uploaded picture").exists(),
    )


# Accounts


def user_add(world):
    url = _url("auth_user_add")
    data = world.forge(
        url,
        "user_form",
        username="matrix-newcomer",
        password1="a-long-new-passphrase",
        password2="a-long-new-passphrase",
        usable_password="true",
    )
    return Call(url, data, effect=lambda: User.objects.filter(username="matrix-newcomer").exists())


# Two-factor sign-in: every staff member's own; a reset is a superuser's.


def forged_code(world):
    """Post a code with no password step before it: it signs nobody in."""
    return Call(
        _url("login_code"),
        {"code": "123456"},
        effect=lambda: DEVICE_ID_SESSION_KEY in world.client.session,
    )


def two_factor_on(world):
    url = _url("two_factor")
    world.client.get(url)  # the key to set up waits in the session
    key = world.client.session.get(NEW_KEY)
    code = f"{TOTP(bytes.fromhex(key)).token():06d}" if key else "123456"
    user = world.role_user
    return Call(url, {"code": code}, effect=lambda: TOTPDevice.objects.filter(user=user).exists())


def two_factor_page(name):
    def build(world):
        world.role_two_factor()
        return Call(_url(name))

    return build


def new_recovery_codes(world):
    app, codes = world.role_two_factor()
    return Call(
        _url("two_factor_recovery_codes"),
        effect=lambda: app is not None and not StaticToken.objects.filter(token=codes[0]).exists(),
    )


def two_factor_off(world):
    app, _codes = world.role_two_factor()
    user = world.role_user
    return Call(
        _url("two_factor_off"),
        {"password": "a-long-test-passphrase", "code": app_code(app) if app else "123456"},
        effect=lambda: user is not None and not TOTPDevice.objects.filter(user=user).exists(),
    )


def two_factor_reset(world):
    user = world.lost_phone
    return Call(
        _url("auth_user_two_factor_reset", user.pk),
        effect=lambda: not TOTPDevice.objects.filter(user=user).exists(),
    )


def user_password(world):
    user = world.spare_user
    url = _url("auth_user_password_change", user.pk)
    data = world.forge(
        url,
        "user_form",
        password1="another-long-passphrase",
        password2="another-long-passphrase",
    )
    return Call(
        url, data, effect=lambda: _fresh(User, user.pk).check_password("another-long-passphrase")
    )


# fmt: off
ROWS = [
    # The admin site: columns are anonymous, Writers, Moderators, Editors, superuser.
    Row("index", GET, page("index"), "login 200 200 200 200"),
    Row("login", GET, page("login"), "200 302 302 302 302"),
    Row("logout", POST, logout, "done done done done done"),
    Row("password_change", GET, page("password_change"), "login 200 200 200 200"),
    Row("password_change", POST, password_change, "login done done done done"),
    Row("password_change_done", GET, page("password_change_done"), "login 200 200 200 200"),
    Row("autocomplete", GET, autocomplete("articles.article", "lead_image", "image"),
        "login 200 403 200 200", "images"),
    Row("autocomplete", GET, autocomplete("articles.relatedlink", "target", "draft"),
        "login 200 403 200 200", "articles"),
    Row("autocomplete", GET, autocomplete("articles.topstory", "article", "draft"),
        "login 200 403 200 200", "front page"),
    Row("autocomplete", GET, autocomplete("articles.author", "user", "spare_user"),
        "login 403 403 403 200", "users"),
    Row("jsi18n", GET, page("jsi18n"), "login 200 200 200 200"),
    Row("view_on_site", GET, view_on_site, "login 302 302 302 302"),
    Row("app_list", GET, app_index("auth"), "login 404 404 404 200", "auth"),
    Row("app_list", GET, app_index("articles"), "login 200 404 200 200", "articles"),
    Row("app_list", GET, app_index("comments"), "login 404 200 200 200", "comments"),
    Row("app_list", GET, app_index("images"), "login 200 404 200 200", "images"),
    Row("app_list", GET, app_index("api"), "login 404 404 200 200", "api"),
    Row("(?P<url>.*)$", GET, no_such_page, "login 404 404 404 404", "unknown page"),

    # Groups and users: the superuser's alone.
    Row("auth_group_changelist", GET, page("auth_group_changelist"), "login 403 403 403 200"),
    Row("auth_group_add", GET, page("auth_group_add"), "login 403 403 403 200"),
    Row("auth_group_add", POST, add(Group, {"name": "Matrix desk"}, name="Matrix desk"),
        "login refused refused refused done"),
    Row("auth_group_change", GET, page("auth_group_change", "spare_group"),
        "login 403 403 403 200"),
    Row("auth_group_change", POST,
        change("spare_group", "group_form", lambda g: g.name == "Renamed", name="Renamed"),
        "login refused refused refused done"),
    Row("auth_group_history", GET, page("auth_group_history", "spare_group"),
        "login 403 403 403 200"),
    Row("auth_group_delete", GET, page("auth_group_delete", "spare_group"),
        "login 403 403 403 200"),
    Row("auth_group_delete", POST, delete("spare_group"), "login refused refused refused done"),
    Row("auth.group:delete_selected", POST, delete_selected(Group, "spare_group"),
        "login refused refused refused done"),
    Row("auth/group/<path:object_id>/", GET, old_change_address(Group),
        "login 302 302 302 302"),

    Row("auth_user_changelist", GET, page("auth_user_changelist"), "login 403 403 403 200"),
    Row("auth_user_add", GET, page("auth_user_add"), "login 403 403 403 200"),
    Row("auth_user_add", POST, user_add, "login refused refused refused done"),
    Row("auth_user_change", GET, page("auth_user_change", "spare_user"), "login 403 403 403 200"),
    Row("auth_user_change", POST,
        change("spare_user", "user_form", lambda u: u.is_superuser, is_superuser="on"),
        "login refused refused refused done", "make superuser"),
    Row("auth_user_history", GET, page("auth_user_history", "spare_user"),
        "login 403 403 403 200"),
    Row("auth_user_delete", GET, page("auth_user_delete", "spare_user"), "login 403 403 403 200"),
    Row("auth_user_delete", POST, delete("spare_user"), "login refused refused refused done"),
    Row("auth_user_password_change", GET, page("auth_user_password_change", "spare_user"),
        "login 403 403 403 200"),
    Row("auth_user_password_change", POST, user_password, "login refused refused refused done"),
    Row("auth.user:delete_selected", POST, delete_selected(User, "spare_user"),
        "login refused refused refused done"),
    Row("auth/user/<path:object_id>/", GET, old_change_address(User), "login 302 302 302 302"),
    Row("auth_user_two_factor_reset", GET, page("auth_user_two_factor_reset", "lost_phone"),
        "login 403 403 403 200"),
    Row("auth_user_two_factor_reset", POST, two_factor_reset,
        "login refused refused refused done"),

    # Two-factor sign-in: the code step follows a password step only (there is none here);
    # each staff member sets up and turns off their own.
    Row("login_code", GET, page("login_code"), "403 403 403 403 403"),
    Row("login_code", POST, forged_code, "refused refused refused refused refused"),
    Row("two_factor", GET, page("two_factor"), "login 200 200 200 200"),
    Row("two_factor", GET, two_factor_page("two_factor"), "login 200 200 200 200", "on"),
    Row("two_factor", POST, two_factor_on, "login done done done done"),
    Row("two_factor_recovery_codes", GET, two_factor_page("two_factor_recovery_codes"),
        "login 405 405 405 405"),
    Row("two_factor_recovery_codes", POST, new_recovery_codes, "login done done done done"),
    Row("two_factor_off", GET, two_factor_page("two_factor_off"), "login 200 200 200 200"),
    Row("two_factor_off", GET, page("two_factor_off"), "login 302 302 302 302", "off"),
    Row("two_factor_off", POST, two_factor_off, "login done done done done"),

    # Sections and authors: Writers see them, Editors run them, Moderators have no business.
    Row("articles_section_changelist", GET, page("articles_section_changelist"),
        "login 200 403 200 200"),
    Row("articles_section_changelist", POST, section_positions,
        "login refused refused done done", "list_editable"),
    Row("articles_section_add", GET, page("articles_section_add"), "login 403 403 200 200"),
    Row("articles_section_add", POST,
        add(Section, {"slug": "matrix-new"}, name="Matrix new", slug="matrix-new", position="9"),
        "login refused refused done done"),
    Row("articles_section_change", GET, page("articles_section_change", "section"),
        "login 200 403 200 200"),
    Row("articles_section_change", POST,
        change("section", "section_form", lambda s: s.name == "Renamed", name="Renamed"),
        "login refused refused done done"),
    Row("articles_section_history", GET, page("articles_section_history", "section"),
        "login 200 403 200 200"),
    Row("articles_section_delete", GET, page("articles_section_delete", "spare_section"),
        "login 403 403 200 200"),
    Row("articles_section_delete", POST, delete("spare_section"),
        "login refused refused done done"),
    Row("articles.section:delete_selected", POST, delete_selected(Section, "spare_section"),
        "login refused refused done done"),
    Row("articles/section/<path:object_id>/", GET, old_change_address(Section),
        "login 302 302 302 302"),

    Row("articles_author_changelist", GET, page("articles_author_changelist"),
        "login 200 403 200 200"),
    Row("articles_author_add", GET, page("articles_author_add"), "login 403 403 200 200"),
    Row("articles_author_add", POST,
        add(Author, {"slug": "new-hire"}, name="New Hire", slug="new-hire"),
        "login refused refused done done"),
    Row("articles_author_change", GET, page("articles_author_change", "author"),
        "login 200 403 200 200"),
    Row("articles_author_change", POST,
        change("author", "author_form", lambda a: a.role == "Editor", role="Editor"),
        "login refused refused done done"),
    Row("articles_author_history", GET, page("articles_author_history", "author"),
        "login 200 403 200 200"),
    Row("articles_author_delete", GET, page("articles_author_delete", "author"),
        "login 403 403 200 200"),
    Row("articles_author_delete", POST, delete("author"), "login refused refused done done"),
    Row("articles.author:delete_selected", POST, delete_selected(Author, "author"),
        "login refused refused done done"),
    Row("articles/author/<path:object_id>/", GET, old_change_address(Author),
        "login 302 302 302 302"),

    # Topics: Writers may add one while writing, but not rename or delete.
    Row("articles_topic_changelist", GET, page("articles_topic_changelist"),
        "login 200 403 200 200"),
    Row("articles_topic_add", GET, page("articles_topic_add"), "login 200 403 200 200"),
    Row("articles_topic_add", POST,
        add(Topic, {"name": "Matrix energy"}, name="Matrix energy", slug="matrix-energy"),
        "login done refused done done"),
    Row("articles_topic_change", GET, page("articles_topic_change", "topic"),
        "login 200 403 200 200"),
    Row("articles_topic_change", POST,
        change("topic", "topic_form", lambda t: t.name == "Renamed", name="Renamed"),
        "login refused refused done done"),
    Row("articles_topic_history", GET, page("articles_topic_history", "topic"),
        "login 200 403 200 200"),
    Row("articles_topic_delete", GET, page("articles_topic_delete", "topic"),
        "login 403 403 200 200"),
    Row("articles_topic_delete", POST, delete("topic"), "login refused refused done done"),
    Row("articles.topic:delete_selected", POST, delete_selected(Topic, "topic"),
        "login refused refused done done"),
    Row("articles/topic/<path:object_id>/", GET, old_change_address(Topic),
        "login 302 302 302 302"),

    # Articles: Writers draft and submit for review; Editors publish, schedule, unpublish and
    # withdraw.
    Row("articles_article_changelist", GET, page("articles_article_changelist"),
        "login 200 403 200 200"),
    Row("articles_article_add", GET, page("articles_article_add"), "login 200 403 200 200"),
    Row("articles_article_add", POST,
        add(Article, {"slug": "matrix-new", "status": "draft"}, headline="Matrix new",
            slug="matrix-new", standfirst="What happened.", section=lambda w: str(w.section.pk),
            status="draft"),
        "login done refused done done", "draft"),
    Row("articles_article_add", POST,
        add(Article, {"slug": "matrix-new", "status": "published"}, headline="Matrix new",
            slug="matrix-new", standfirst="What happened.", section=lambda w: str(w.section.pk),
            status="published"),
        "login refused refused done done", "published at once"),
    Row("articles_article_change", GET, page("articles_article_change", "draft"),
        "login 200 403 200 200"),
    # Writers read a live story, and cannot change it (the POST rows below).
    Row("articles_article_change", GET, page("articles_article_change", "published"),
        "login 200 403 200 200", "live story"),
    Row("articles_article_change", POST,
        move("draft", lambda a: a.headline == "Rewritten", headline="Rewritten"),
        "login done refused done done", "edit a draft"),
    Row("articles_article_change", POST,
        move("draft", _status("review"), status="review"),
        "login done refused done done", "submit for review"),
    Row("articles_article_change", POST,
        move("review", _status("draft"), status="draft"),
        "login done refused done done", "back to draft"),
    Row("articles_article_change", POST,
        move("review", lambda a: a.is_published(), status="published"),
        "login refused refused done done", "publish"),
    Row("articles_article_change", POST,
        move("draft", _scheduled_in(3), status="published", **_in_days(3)),
        "login refused refused done done", "schedule"),
    Row("articles_article_change", POST,
        move("scheduled", _scheduled_in(5), **_in_days(5)),
        "login refused refused done done", "reschedule"),
    Row("articles_article_change", POST,
        move("published", _status("unpublished"), status="unpublished", confirm="on"),
        "login refused refused done done", "unpublish"),
    Row("articles_article_change", POST,
        move("published", _status("withdrawn"), status="withdrawn", confirm="on",
             withdrawn_reason="A court order."),
        "login refused refused done done", "withdraw"),
    Row("articles_article_change", POST,
        move("withdrawn", _status("unpublished"), status="unpublished"),
        "login refused refused done done", "reinstate"),
    Row("articles_article_change", POST,
        move("unpublished", _status("draft"), status="draft"),
        "login done refused done done", "redraft"),
    Row("articles_article_change", POST,
        move("published", lambda a: a.headline == "Rewritten", headline="Rewritten"),
        "login refused refused done done", "edit a live story"),
    Row("articles_article_change", POST, add_correction, "login refused refused done done",
        "add a correction"),
    Row("articles_article_history", GET, page("articles_article_history", "draft"),
        "login 200 403 200 200"),
    Row("articles_article_delete", GET, page("articles_article_delete", "draft"),
        "login 403 403 200 200"),
    Row("articles_article_delete", POST, delete("draft"), "login refused refused done done"),
    Row("articles_article_revisions", GET, page("articles_article_revisions", "revised"),
        "login 200 403 200 200"),
    Row("articles_article_revisions_compare", GET, revisions_compare, "login 200 403 200 200"),
    Row("articles_article_revision_restore", GET, revision_restore_page,
        "login 403 403 200 200"),
    Row("articles_article_revision_restore", POST, revision_restore,
        "login refused refused done done"),
    Row("articles_article_preview", GET, page("articles_article_preview", "draft"),
        "login 200 403 200 200"),
    Row("articles_article_preview_link", POST, preview_link, "login 200 403 200 200"),
    Row("articles_article_lift_embargo", GET, page("articles_article_lift_embargo", "embargoed"),
        "login 403 403 200 200"),
    Row("articles_article_lift_embargo", POST, lift_embargo, "login refused refused done done"),
    Row("articles:preview", GET, shared_preview, "200 200 200 200 200", "shared link"),
    # Live coverage: Editors post, change and delete entries and end it; Writers read it.
    Row("articles_article_live", GET, page("articles_article_live", "live_story"),
        "login 200 403 200 200"),
    Row("articles_article_live", POST, live_post, "login refused refused done done",
        "post an entry"),
    Row("articles_article_live", POST, live_end, "login refused refused done done",
        "end the coverage"),
    Row("articles_liveentry_changelist", GET, page("articles_liveentry_changelist"),
        "login 200 403 200 200"),
    # Entries are posted from their coverage's page, not from a blank form.
    Row("articles_liveentry_add", GET, page("articles_liveentry_add"), "login 403 403 403 403"),
    Row("articles_liveentry_change", GET, page("articles_liveentry_change", "live_entry"),
        "login 200 403 200 200"),
    Row("articles_liveentry_change", POST,
        change("live_entry", "liveentry_form", lambda e: e.title == "Rewritten", title="Rewritten"),
        "login refused refused done done"),
    Row("articles_liveentry_history", GET, page("articles_liveentry_history", "live_entry"),
        "login 200 403 200 200"),
    Row("articles_liveentry_delete", GET, page("articles_liveentry_delete", "live_entry"),
        "login 403 403 200 200"),
    Row("articles_liveentry_delete", POST, delete("live_entry"), "login refused refused done done"),
    Row("articles.liveentry:delete_selected", POST, delete_selected(LiveEntry, "live_entry"),
        "login refused refused done done"),
    Row("articles/liveentry/<path:object_id>/", GET, old_change_address(LiveEntry),
        "login 302 302 302 302"),
    Row("articles.article:publish_selected", POST,
        action(Article, "publish_selected", "review", lambda a: a.is_published()),
        "login refused refused done done"),
    Row("articles.article:unpublish_selected", POST,
        action(Article, "unpublish_selected", "published", _status("unpublished"),
               confirm="yes"),
        "login refused refused done done"),
    Row("articles.article:delete_selected", POST, delete_selected(Article, "draft"),
        "login refused refused done done"),
    Row("articles/article/<path:object_id>/", GET, old_change_address(Article),
        "login 302 302 302 302"),

    # The front page: the Editors' alone; there is one, so no adding or deleting.
    Row("articles_frontpage_changelist", GET, page("articles_frontpage_changelist"),
        "login 403 403 302 302"),
    Row("articles_frontpage_add", GET, page("articles_frontpage_add"), "login 403 403 403 403"),
    Row("articles_frontpage_change", GET, page("articles_frontpage_change", "front_page"),
        "login 403 403 200 200"),
    Row("articles_frontpage_change", POST,
        change("front_page", "frontpage_form", _lead_is_the_draft,
               lead=lambda w: str(w.draft.pk)),
        "login refused refused done done", "lead"),
    Row("articles_frontpage_change", POST,
        change("front_page", "frontpage_form", _has_top_story,
               **{"top_stories-0-article": lambda w: str(w.review.pk),
                  "top_stories-0-position": "1"}),
        "login refused refused done done", "top story"),
    Row("articles_frontpage_history", GET, page("articles_frontpage_history", "front_page"),
        "login 403 403 200 200"),
    Row("articles_frontpage_delete", GET, page("articles_frontpage_delete", "front_page"),
        "login 403 403 403 403"),
    Row("articles_frontpage_delete", POST, front_page_delete,
        "login refused refused refused refused"),
    Row("articles/frontpage/<path:object_id>/", GET, old_change_address(FrontPage),
        "login 302 302 302 302"),

    # Comments: Moderators and Editors; nobody adds one through the admin.
    Row("comments_comment_changelist", GET, page("comments_comment_changelist"),
        "login 403 200 200 200"),
    Row("comments_comment_add", GET, page("comments_comment_add"), "login 403 403 403 403"),
    Row("comments_comment_add", POST, comment_add, "login refused refused refused refused"),
    Row("comments_comment_change", GET, page("comments_comment_change", "comment"),
        "login 403 200 200 200"),
    Row("comments_comment_change", POST,
        change("comment", "comment_form", _status("approved"), status="approved"),
        "login refused done done done"),
    Row("comments_comment_history", GET, page("comments_comment_history", "comment"),
        "login 403 200 200 200"),
    # Nobody deletes a comment, not even a superuser: its decisions are the audit trail
    # (tests/comments/test_audit_trail.py). The delete_selected action is not offered at all.
    Row("comments_comment_delete", GET, page("comments_comment_delete", "comment"),
        "login 403 403 403 403"),
    Row("comments_comment_delete", POST, delete("comment"),
        "login refused refused refused refused"),
    Row("comments.comment:approve", POST,
        action(Comment, "approve", _comment("pending"), _status("approved")),
        "login refused done done done"),
    Row("comments.comment:reject", POST,
        action(Comment, "reject", _comment("pending"), _status("rejected")),
        "login refused done done done"),
    Row("comments.comment:mark_spam", POST,
        action(Comment, "mark_spam", _comment("pending"), _status("spam")),
        "login refused done done done"),
    Row("comments_desk", GET, desk, "login 403 200 200 200"),
    Row("comments_desk_decide", POST, desk_decide, "login refused done done done"),
    Row("comments_desk_undo", POST, desk_undo, "login refused done done done"),
    Row("comments_desk_reply", POST, desk_reply, "login refused done done done"),
    Row("comments_desk_test", GET, desk_test_text, "login 403 200 200 200"),
    Row("comments_commenter", GET, commenter_page, "login 403 200 200 200"),
    Row("comments_commenter", POST, commenter_standing, "login refused done done done",
        "standing"),
    Row("comments_commenter", POST, commenter_note, "login refused done done done", "note"),
    Row("comments/comment/<path:object_id>/", GET, old_change_address(Comment),
        "login 302 302 302 302"),

    # The comment policy: Editors (and Moderation leads, tests/comments/test_policy_admin.py)
    # change it, Moderators read it; the list and the history go to its one page, and no
    # version is added or deleted by hand.
    Row("comments_policyversion_changelist", GET, page("comments_policyversion_changelist"),
        "login 403 302 302 302"),
    Row("comments_policyversion_change", GET,
        lambda world: Call(_url("comments_policyversion_change", "current")),
        "login 403 200 200 200"),
    Row("comments_policyversion_change", POST, policy_change, "login refused refused done done"),
    Row("comments_policyversion_history", GET,
        lambda world: Call(_url("comments_policyversion_history", "current")),
        "login 403 302 302 302"),
    Row("comments_policyversion_add", GET, page("comments_policyversion_add"),
        "login 403 403 403 403"),
    Row("comments_policyversion_delete", GET,
        lambda world: Call(_url("comments_policyversion_delete", "current")),
        "login 403 403 403 403"),
    Row("comments/policyversion/<path:object_id>/", GET, policy_old_address,
        "login 302 302 302 302"),

    # Featured comments (issue 18): whoever moderates features an approved comment.
    Row("comments_desk_feature", POST, desk_feature, "login refused done done done"),
    Row("comments.comment:feature", POST,
        action(Comment, "feature", _comment("approved"), _featured),
        "login refused done done done"),
    Row("comments.comment:stop_featuring", POST,
        action(Comment, "stop_featuring", _featured_comment, lambda c: not _featured(c)),
        "login refused done done done"),

    # Privacy requests (issue 18): Editors (and Moderation leads) export and erase by address;
    # the record of each is read-only for everyone.
    Row("comments_privacy", GET, page("comments_privacy"), "login 403 403 200 200"),
    Row("comments_privacy", POST, privacy_lookup, "login 403 403 200 200", "look up"),
    Row("comments_privacy_export", POST, privacy_export, "login refused refused done done"),
    Row("comments_privacy_erase", POST, privacy_erase_unconfirmed,
        "login refused refused refused refused", "unconfirmed"),
    Row("comments_privacy_erase", POST, privacy_erase, "login refused refused done done"),
    Row("comments_privacyrequest_changelist", GET, page("comments_privacyrequest_changelist"),
        "login 403 403 200 200"),
    Row("comments_privacyrequest_add", GET, page("comments_privacyrequest_add"),
        "login 403 403 403 403"),
    Row("comments_privacyrequest_change", GET,
        page("comments_privacyrequest_change", "privacy_request"), "login 403 403 200 200"),
    Row("comments_privacyrequest_history", GET,
        page("comments_privacyrequest_history", "privacy_request"), "login 403 403 200 200"),
    Row("comments_privacyrequest_delete", GET,
        page("comments_privacyrequest_delete", "privacy_request"), "login 403 403 403 403"),
    Row("comments/privacyrequest/<path:object_id>/", GET, old_change_address(PrivacyRequest),
        "login 302 302 302 302"),

    # The image library: Writers upload and describe; removing one is an editor's call.
    Row("images_image_changelist", GET, page("images_image_changelist"),
        "login 200 403 200 200"),
    Row("images_image_pick", GET, page("images_image_pick"), "login 200 403 200 200"),
    Row("images_image_add", GET, page("images_image_add"), "login 200 403 200 200"),
    Row("images_image_add", POST, image_add, "login done refused done done"),
    Row("images_image_change", GET, page("images_image_change", "image"),
        "login 200 403 200 200"),
    Row("images_image_change", POST,
        change("image", "image_form", lambda i: i.credit == "Staff", credit="Staff"),
        "login done refused done done"),
    Row("images_image_history", GET, page("images_image_history", "image"),
        "login 200 403 200 200"),
    Row("images_image_delete", GET, page("images_image_delete", "image"),
        "login 403 403 200 200"),
    Row("images_image_delete", POST, delete("image"), "login refused refused done done"),
    Row("images.image:delete_selected", POST, delete_selected(Image, "image"),
        "login refused refused done done"),
    Row("images/image/<path:object_id>/", GET, old_change_address(Image),
        "login 302 302 302 302"),

    # Partners' API keys: Editors make and revoke them; a key's use stays on record, so only
    # a superuser deletes one.
    Row("api_apikey_changelist", GET, page("api_apikey_changelist"), "login 403 403 200 200"),
    Row("api_apikey_add", GET, page("api_apikey_add"), "login 403 403 200 200"),
    Row("api_apikey_add", POST,
        add(ApiKey, {"name": "Matrix newcomer"}, name="Matrix newcomer", rate_per_minute="30"),
        "login refused refused done done"),
    Row("api_apikey_change", GET, page("api_apikey_change", "api_key"), "login 403 403 200 200"),
    Row("api_apikey_change", POST,
        change("api_key", "apikey_form", lambda k: k.rate_per_minute == 5, rate_per_minute="5"),
        "login refused refused done done"),
    Row("api_apikey_history", GET, page("api_apikey_history", "api_key"),
        "login 403 403 200 200"),
    Row("api_apikey_delete", GET, page("api_apikey_delete", "api_key"), "login 403 403 403 200"),
    Row("api_apikey_delete", POST, delete("api_key"), "login refused refused refused done"),
    Row("api.apikey:revoke", POST, action(ApiKey, "revoke", "api_key", lambda k: k.is_revoked()),
        "login refused refused done done"),
    Row("api.apikey:delete_selected", POST, delete_selected(ApiKey, "api_key"),
        "login refused refused refused done"),
    Row("api/apikey/<path:object_id>/", GET, old_change_address(ApiKey), "login 302 302 302 302"),

    # The outbox and the worker's tasks: Editors see what failed and send an email again;
    # nobody adds or deletes either here (erasure has its own page).
    Row("newsroom_outgoingemail_changelist", GET, page("newsroom_outgoingemail_changelist"),
        "login 403 403 200 200"),
    Row("newsroom_outgoingemail_add", GET, page("newsroom_outgoingemail_add"),
        "login 403 403 403 403"),
    Row("newsroom_outgoingemail_change", GET, page("newsroom_outgoingemail_change", "failed_email"),
        "login 403 403 200 200"),
    Row("newsroom_outgoingemail_history", GET,
        page("newsroom_outgoingemail_history", "failed_email"), "login 403 403 200 200"),
    Row("newsroom_outgoingemail_delete", GET, page("newsroom_outgoingemail_delete", "failed_email"),
        "login 403 403 403 403"),
    Row("newsroom.outgoingemail:send_again", POST,
        action(OutgoingEmail, "send_again", "failed_email", lambda e: e.status == "sent"),
        "login refused refused done done"),
    Row("newsroom/outgoingemail/<path:object_id>/", GET, old_change_address(OutgoingEmail),
        "login 302 302 302 302"),
    Row("django_tasks_database_dbtaskresult_changelist", GET,
        page("django_tasks_database_dbtaskresult_changelist"), "login 403 403 200 200"),
    Row("django_tasks_database_dbtaskresult_add", GET,
        page("django_tasks_database_dbtaskresult_add"), "login 403 403 403 403"),
    Row("django_tasks_database_dbtaskresult_change", GET,
        page("django_tasks_database_dbtaskresult_change", "failed_task"), "login 403 403 200 200"),
    Row("django_tasks_database_dbtaskresult_history", GET,
        page("django_tasks_database_dbtaskresult_history", "failed_task"), "login 403 403 200 200"),
    Row("django_tasks_database_dbtaskresult_delete", GET,
        page("django_tasks_database_dbtaskresult_delete", "failed_task"), "login 403 403 403 403"),
    Row("django_tasks_database/dbtaskresult/<path:object_id>/", GET,
        old_change_address(DBTaskResult), "login 302 302 302 302"),
]
# fmt: on

# Rows for addresses outside the admin that the admin hands out.
OUTSIDE_ADMIN = {"articles:preview"}


@pytest.fixture
def world(db, settings):
    # Each test makes two or three users: the default hasher would take most of the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return World()


def _observed(row, response, effect, changed):
    """Say what happened in the table's words, from the answer and the database."""
    if row.method == POST and effect is not None:
        if effect():
            return "done"
        if changed:
            return "ignored"
        return "login" if answer(response) == "login" else "refused"
    if changed:
        return f"{answer(response)}, and it changed {', '.join(changed)}"
    return answer(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "role"),
    [pytest.param(row, role, id=f"{row.method}-{row.id}-{role}") for row in ROWS for role in ROLES],
)
def test_permission_matrix(client, world, row, role):
    world.log_in(client, role)
    call = row.build(world)
    before = database_state()
    send = client.post if row.method == POST else client.get
    response = send(call.url, call.data or None)
    changed = changed_tables(before, database_state())
    observed = _observed(row, response, call.effect, changed)
    expected = row.expected(role)
    assert observed == expected, (
        f"{row.id}: {row.method} {call.url} as {role} was {observed}; the table says {expected}"
        + "".join(f"\n  form error: {error}" for error in form_errors(response))
    )


def _registered_actions():
    request = RequestFactory().get("/")
    # Unsaved, so no query: a superuser is offered every action there is.
    request.user = User(is_active=True, is_staff=True, is_superuser=True)
    # The site's registry is the one list of every ModelAdmin, with the actions each offers.
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.get_actions(request):
            yield f"{model._meta.label_lower}:{name}"


def test_every_admin_url_and_action_has_a_row():
    urls = set(admin_url_keys(admin.site.get_urls()))
    actions = set(_registered_actions())
    covered = {row.covers for row in ROWS}
    missing = sorted((urls | actions) - covered)
    assert not missing, f"no row in the permission matrix for: {', '.join(missing)}"
    gone = sorted(covered - urls - actions - OUTSIDE_ADMIN)
    assert not gone, f"rows for admin pages or actions that are gone: {', '.join(gone)}"


# The content API (/api/v1/): who gets what from each endpoint, in one table. The columns:
#
#     anonymous   key   ingest-key   revoked-key   staff
#
# "key" is a partner's key, "ingest-key" one granted ingest, "staff" an editor signed in to the
# admin and sending no key (the API knows no sessions: staff read it as anyone does). Each
# cell is the answer's status. Apart from a 201, a request may change nothing but the key's
# own use count; test_every_api_url_has_a_row fails on an endpoint without a row.

API_ROLES = ["anonymous", "key", "ingest-key", "revoked-key", "staff"]


@dataclass(frozen=True)
class ApiRow:
    covers: str  # The URL's name in the api namespace.
    path: object  # The path, or a function of the World returning it.
    cells: str
    method: str = GET
    body: object = None  # For a POST: a function of the World returning the JSON sent.
    variant: str = ""
    content_type: str = "application/json"

    @property
    def id(self):
        return f"{self.covers}[{self.variant}]" if self.variant else self.covers

    def expected(self, role):
        cells = self.cells.split()
        assert len(cells) == len(API_ROLES), f"{self.id}: the row needs {len(API_ROLES)} cells"
        return dict(zip(API_ROLES, cells, strict=True))[role]


def ninjs_article(obj):
    return lambda world: f"/api/v1/ninjs/articles/{getattr(world, obj).pk}/"


def api_path(template, obj):
    """Return a function of the World giving the address with this object's id in it."""
    return lambda world: template.format(pk=getattr(world, obj).pk)


def ingest_item(world):
    assert world.section is not None  # Made now: ingest files the item in the first section.
    return {
        "uri": "urn:matrix:item:1",
        "version": "1",
        "headlines": [{"value": "Matrix wire story"}],
        "bodies": [{"contenttype": "text/html", "value": "<p>From the wire.</p>"}],
    }


# fmt: off
API_ROWS = [
    # What readers see, as data: the same for every caller but a revoked key.
    ApiRow("articles", "/api/v1/articles/", "200 200 200 401 200"),
    ApiRow("article", api_path("/api/v1/articles/{pk}/", "published"), "200 200 200 401 200"),
    ApiRow("article", api_path("/api/v1/articles/{pk}/", "draft"), "404 404 404 401 404",
           variant="draft"),
    ApiRow("article", api_path("/api/v1/articles/{pk}/", "embargoed"), "404 404 404 401 404",
           variant="embargoed"),
    ApiRow("entries", api_path("/api/v1/articles/{pk}/entries/", "live_story"),
           "200 200 200 401 200"),
    ApiRow("comments", api_path("/api/v1/articles/{pk}/comments/", "published"),
           "200 200 200 401 200"),
    ApiRow("sections", "/api/v1/sections/", "200 200 200 401 200"),
    ApiRow("section", api_path("/api/v1/sections/{pk}/", "section"), "200 200 200 401 200"),
    ApiRow("topics", "/api/v1/topics/", "200 200 200 401 200"),
    ApiRow("topic", api_path("/api/v1/topics/{pk}/", "topic"), "200 200 200 401 200"),
    ApiRow("authors", "/api/v1/authors/", "200 200 200 401 200"),
    ApiRow("author", api_path("/api/v1/authors/{pk}/", "author"), "200 200 200 401 200"),
    ApiRow("schema", "/api/v1/schema/", "200 200 200 401 200",
           content_type="application/vnd.oai.openapi+json"),
    # A page for people, not an API answer: it reads no key.
    ApiRow("docs", "/api/v1/docs/", "200 200 200 200 200", content_type="text/html"),
    ApiRow("changes", "/api/v1/changes/", "200 200 200 401 200"),
    ApiRow("changes", "/api/v1/changes/?format=ninjs", "200 200 200 401 200", variant="ninjs"),
    ApiRow("changes", "/api/v1/changes/?since=nonsense", "400 400 400 401 400", variant="bad"),
    ApiRow("ninjs-article", ninjs_article("published"), "200 200 200 401 200"),
    ApiRow("ninjs-article", ninjs_article("draft"), "404 404 404 401 404", variant="draft"),
    ApiRow("ninjs-article", ninjs_article("scheduled"), "404 404 404 401 404",
           variant="scheduled"),
    ApiRow("ninjs-article", ninjs_article("embargoed"), "404 404 404 401 404",
           variant="embargoed"),
    ApiRow("ninjs-article", ninjs_article("withdrawn"), "410 410 410 401 410",
           variant="withdrawn"),
    ApiRow("ninjs-entry", lambda w: f"/api/v1/ninjs/entries/{w.live_entry.pk}/",
           "200 200 200 401 200"),
    ApiRow("ingest", "/api/v1/ingest/", "401 403 201 401 401", POST, ingest_item),
    ApiRow("ingest", "/api/v1/ingest/", "401 403 405 401 401", variant="GET"),
]
# fmt: on


def _api_headers(world, client, role):
    if role == "staff":
        client.force_login(world.user("editor"))
        return {}
    if role == "anonymous":
        return {}
    options = {
        "key": {},
        "ingest-key": {"can_ingest": True},
        "revoked-key": {"can_ingest": True, "revoked_at": timezone.now()},
    }[role]
    _, key = make_api_key(**options)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _api_changes(before, after):
    # A key's use count and time are bookkeeping, written by any keyed request.
    return [label for label in changed_tables(before, after) if label != "api.ApiKey"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "role"),
    [
        pytest.param(row, role, id=f"{row.method}-{row.id}-{role}")
        for row in API_ROWS
        for role in API_ROLES
    ],
)
def test_api_permission_matrix(client, world, row, role):
    headers = _api_headers(world, client, role)
    path = row.path(world) if callable(row.path) else row.path
    body = row.body(world) if row.body else None
    before = database_state()
    if row.method == POST:
        response = client.post(path, json.dumps(body), content_type="application/json", **headers)
    else:
        response = client.get(path, **headers)
    changed = _api_changes(before, database_state())
    expected = row.expected(role)
    assert str(response.status_code) == expected, (
        f"{row.id}: {row.method} {path} as {role} answered {response.status_code}; "
        f"the table says {expected}"
    )
    assert response["Content-Type"].split(";")[0] == row.content_type
    if response.status_code == 201:
        assert changed, f"{row.id}: answered 201 but stored nothing"
    else:
        assert not changed, f"{row.id} as {role} changed {', '.join(changed)}"


def test_every_api_url_has_a_row():
    from api import urls

    names = {pattern.name for pattern in urls.urlpatterns}
    covered = {row.covers for row in API_ROWS}
    assert not names - covered, (
        f"no row in the API matrix for: {', '.join(sorted(names - covered))}"
    )
    assert not covered - names, f"rows for API URLs that are gone: {', '.join(covered - names)}"
