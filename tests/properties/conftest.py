"""Hypothesis settings and shared data for the property tests.

Each test makes its data once, through ordinary function-scoped fixtures, and every example
then runs inside a savepoint that is rolled back (``rolled_back()``), so the examples of one
test see the same rows and never each other's writes. That is why Hypothesis's warning about
function-scoped fixtures is turned off here: the fixtures are not meant to be reset between
examples.
"""

import os
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings

from articles.revisions import record_revision
from comments import services as comment_services
from comments.models import Commenter
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_draft,
    make_image,
    make_section,
    make_topic,
    make_user,
)

_COMMON = {
    "deadline": None,  # a page render is quick, but the first one of a run is not
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "print_blob": True,
}
# Quick enough for every run of the suite; CI (or anyone) can ask for more with
# HYPOTHESIS_PROFILE=newsroom-ci or newsroom-thorough.
settings.register_profile("newsroom", max_examples=20, **_COMMON)
settings.register_profile("newsroom-ci", max_examples=60, **_COMMON)
settings.register_profile("newsroom-thorough", max_examples=500, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "newsroom"))

# Listings have this many stories a page in these tests, so that a few make several pages.
PER_PAGE = 2


@contextmanager
def rolled_back():
    """Run one example in a savepoint and undo everything it wrote."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def site(db, settings):
    """Make a small site: one section, topic and author with five stories, and comments."""
    settings.ARTICLES_PER_PAGE = PER_PAGE
    settings.COMMENTS_PER_PAGE = PER_PAGE
    section = make_section(slug="world", name="World")
    topic = make_topic(name="Climate", slug="climate")
    author = make_author(slug="ada-reporter", name="Ada Reporter")
    now = timezone.now()
    stories = [
        make_article(
            section=section,
            topics=[topic],
            authors=[author],
            headline=f"Glacier report number {n}",
            body=f"<p>The glacier story, part {n}.</p>",
            published_at=now - timedelta(hours=n + 1),
        )
        for n in range(5)
    ]
    make_draft(section=section, topics=[topic], authors=[author], headline="Glacier draft")
    article = stories[0]
    comments = [make_comment(article=article, body=f"Thread {n} opens.") for n in range(5)]
    return {
        "section": section,
        "topic": topic,
        "author": author,
        "stories": stories,
        "article": article,
        "comments": comments,
    }


@pytest.fixture
def posting(site, settings):
    """Let one address post as often as the examples need (each example is rolled back)."""
    settings.COMMENTS_RATE_LIMIT_PER_IP = (10**9, 600)
    settings.COMMENTS_RATE_LIMIT_PER_EMAIL = (10**9, 600)
    return site


# The staff roles of tests/factories.py's groups, and a superuser, who sees every page.
STAFF_ROLES = ["Writers", "Editors", "Moderators", "superuser"]


@pytest.fixture
def staff(site, settings):
    """Log a browser in for each staff role, and give the small site what admin pages show."""
    # Hashing the five users' passwords properly would take seconds; no test signs in with them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    article = site["article"]
    record_revision(article=article, note="Created")
    article.headline = "Glacier report, revised"
    article.save()
    record_revision(article=article, note="Edited")
    pending = make_comment(article=article, status="pending", email="regular@example.org")
    moderator = make_user(group="Moderators")
    decided = make_comment(article=article, status="pending")
    decision = comment_services.comment_decide(
        comment=decided, status="rejected", moderator=moderator
    )
    users = {
        role: make_user(is_staff=True, is_superuser=True)
        if role == "superuser"
        else make_user(group=role)
        for role in STAFF_ROLES
    }
    clients = {role: Client(raise_request_exception=False) for role in STAFF_ROLES}
    for role, client in clients.items():
        client.force_login(users[role])
    return {
        **site,
        "users": users,
        "clients": clients,
        "image": make_image(size=(64, 36), renditions=False),
        "pending": pending,
        "decision": decision,
        "commenter": Commenter.objects.create(email="regular@example.org"),
    }
