"""The objects and the bookkeeping behind tests/test_permission_matrix.py.

Each test of the matrix gets a fresh ``World``: the objects are made the first time a row asks
for one, so a row pays only for what it uses.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from django.apps import apps
from django.test import Client
from django.urls import URLResolver, reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article, FrontPage
from articles.revisions import record_revision
from comments import services as comment_services
from comments.models import Comment, Commenter, CommentReport, PrivacyRequest, email_hash
from newsroom.models import OutgoingEmail
from tests.admin_forms import form_data
from tests.factories import (
    log_in_verified,
    make_api_key,
    make_article,
    make_author,
    make_comment,
    make_draft,
    make_image,
    make_live_entry,
    make_scheduled,
    make_section,
    make_topic,
    make_user,
    turn_on_two_factor,
)

ROLES = ["anonymous", "writer", "moderator", "editor", "superuser"]
GROUPS = {"writer": "Writers", "moderator": "Moderators", "editor": "Editors"}

# The apps whose rows a refused request must leave exactly as they were. Sessions are left
# out on purpose: logging in and out writes them.
WATCHED_APPS = {
    "admin",
    "api",
    "articles",
    "auth",
    "comments",
    "django_tasks_database",
    "images",
    "newsroom",
    "otp_static",
    "otp_totp",
    "taggit",
}


@dataclass
class Call:
    """One request a row makes: where, with what, and how to tell that it took effect."""

    url: str
    data: dict = field(default_factory=dict)
    effect: object = None  # A function of no arguments: True once the POST has done its job.


class World:
    """The newsroom the rows act on: an article in each state, comments in each status…"""

    client = None  # The browser of the role under test, and its user (None when anonymous).
    role_user = None

    def log_in(self, client, role):
        self.client = client
        self.role_user = self.user(role)
        if self.role_user:
            client.force_login(self.role_user)

    def user(self, role):
        """Return a new user playing the role, or None for the anonymous reader."""
        if role == "anonymous":
            return None
        if role == "superuser":
            return make_user(is_staff=True, is_superuser=True)
        return make_user(group=GROUPS[role])

    @cached_property
    def harvester(self):
        # A second browser, logged in as a superuser, that opens the forms a forged POST copies.
        client = Client()
        client.force_login(make_user(is_staff=True, is_superuser=True, username="harvester"))
        return client

    def forge(self, url, form_id, **changes):
        """Return what the form on this page sends when a superuser submits it with changes."""
        page = self.harvester.get(url)
        assert page.status_code == 200, f"{url} did not open for a superuser"
        data = form_data(page, form_id)
        data.update({name: [v] if isinstance(v, str) else v for name, v in changes.items()})
        return data

    # Editorial objects

    @cached_property
    def section(self):
        return make_section(name="Matrix politics", slug="matrix-politics")

    @cached_property
    def spare_section(self):
        # No articles: the only kind of section that can be deleted.
        return make_section(name="Matrix spare", slug="matrix-spare")

    @cached_property
    def author(self):
        return make_author(name="Matrix Author", slug="matrix-author")

    @cached_property
    def topic(self):
        return make_topic(name="Matrix topic")

    @cached_property
    def image(self):
        # Without renditions: quicker, and every page falls back to the original.
        return make_image(size=(64, 36), renditions=False, alt_text="Matrix picture")

    @cached_property
    def draft(self):
        return make_draft(section=self.section, headline="Matrix draft")

    @cached_property
    def review(self):
        return make_draft(section=self.section, status=Article.Status.REVIEW)

    @cached_property
    def published(self):
        return make_article(section=self.section, headline="Matrix live story")

    @cached_property
    def live_story(self):
        return make_article(section=self.section, headline="Matrix live coverage", is_live=True)

    @cached_property
    def live_entry(self):
        return make_live_entry(article=self.live_story, title="Matrix entry")

    @cached_property
    def embargoed(self):
        until = timezone.now() + timedelta(days=1)
        return make_article(section=self.section, headline="Matrix embargo", embargo_until=until)

    @cached_property
    def scheduled(self):
        return make_scheduled(section=self.section)

    @cached_property
    def unpublished(self):
        return make_draft(section=self.section, status=Article.Status.UNPUBLISHED)

    @cached_property
    def withdrawn(self):
        return make_article(
            section=self.section,
            status=Article.Status.WITHDRAWN,
            withdrawn_reason="A court order.",
            withdrawn_at=timezone.now() - timedelta(minutes=5),
        )

    @cached_property
    def api_key(self):
        return make_api_key(name="Matrix partner key")[0]

    # The outbox and the worker

    @cached_property
    def failed_email(self):
        return OutgoingEmail.objects.create(
            kind="moderation-digest",
            to="desk@example.org",
            subject="[Newsroom] 3 comments to moderate",
            body="Waiting for a decision: 3.",
            status=OutgoingEmail.Status.FAILED,
            attempts=5,
            last_error="SMTPServerDisconnected: Connection unexpectedly closed",
        )

    @cached_property
    def failed_task(self):
        return DBTaskResult.objects.create(
            task_path="images.tasks.make_renditions",
            args_kwargs={"args": [1], "kwargs": {}},
            status="FAILED",
            backend_name="default",
            run_after=timezone.now(),
            exception_class_path="builtins.FileNotFoundError",
            traceback="FileNotFoundError: [Errno 2] No such file or directory",
        )

    @cached_property
    def front_page(self):
        return FrontPage.objects.create(pk=1, lead=self.published)

    @cached_property
    def revised(self):
        """Return a published article with two revisions: "First words", then "Second words"."""
        article = make_article(section=self.section, headline="First words")
        record_revision(article=article, note="Created")
        article.headline = "Second words"
        article.save()
        record_revision(article=article, note="Edited")
        article.refresh_from_db()
        return article

    # Comments

    @cached_property
    def comments(self):
        """Return a comment in each status, and a reported one, on the live story."""
        made = {
            status: make_comment(article=self.published, status=status, email=f"{status}@x.org")
            for status in Comment.Status.values
        }
        reported = make_comment(article=self.published, email="reported@x.org")
        CommentReport.objects.create(comment=reported, reason=CommentReport.Reason.ABUSIVE)
        Comment.objects.filter(pk=reported.pk).update(is_reported=True, report_count=1)
        made["reported"] = reported
        return made

    @cached_property
    def comment(self):
        return self.comments["pending"]

    @cached_property
    def decision(self):
        """Return another moderator's decision, the latest on its comment, so undoable."""
        comment = make_comment(article=self.published, status=Comment.Status.PENDING)
        return comment_services.comment_decide(
            comment=comment,
            status=Comment.Status.REJECTED,
            moderator=make_user(group="Moderators"),
        )

    @cached_property
    def commenter(self):
        email = "regular@example.org"
        make_comment(article=self.published, email=email)
        return Commenter.objects.create(email=email)

    @cached_property
    def privacy_request(self):
        return PrivacyRequest.objects.create(
            kind=PrivacyRequest.Kind.EXPORT, email_sha256=email_hash("gone@example.org")
        )

    # Accounts

    @cached_property
    def spare_group(self):
        from django.contrib.auth.models import Group

        return Group.objects.create(name="Matrix interns")

    @cached_property
    def spare_user(self):
        return make_user(username="matrix-intern", first_name="Ivy")

    @cached_property
    def lost_phone(self):
        """Return a colleague with two-factor on, whose phone is lost."""
        user = make_user(group="Writers", username="matrix-lost-phone")
        turn_on_two_factor(user)
        return user

    def role_two_factor(self):
        """Turn two-factor on for the role's user, in a session that gave a code; return the
        app and the recovery codes (None for the anonymous reader)."""
        if self.role_user is None:
            return None, []
        app, codes = turn_on_two_factor(self.role_user)
        log_in_verified(self.client, self.role_user, app)
        return app, codes


def database_state():
    """Return every row of the watched apps, to tell whether a request changed anything."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in WATCHED_APPS:
            state[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return state


def changed_tables(before, after):
    return sorted(label for label in before if before[label] != after[label])


def admin_url_keys(patterns, prefix=""):
    """Yield each admin URL's name, or its route when it has none, walking every include."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from admin_url_keys(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield pattern.name or prefix + str(pattern.pattern)


def is_login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def answer(response):
    """Name the response in the table's words: "login", "302" (elsewhere), "200", "403"…"""
    if is_login_redirect(response):
        return "login"
    return str(response.status_code)
