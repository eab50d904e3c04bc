"""Stories waiting for an editor: the email that tells the Editors a story was submitted for
review, and the list of them on the admin's home page (admin/index.html)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator

from newsroom.mail import send_later

from .models import Article
from .revisions import author_name

EDITORS_GROUP = "Editors"
# The home page lists this many; the article list's "In review" filter has them all.
SHOWN = 20


def review_recipients(*, submitter):
    """Return the active Editors with an email address, leaving out whoever submitted it."""
    editors = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=EDITORS_GROUP)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    return editors.exclude(pk=submitter.pk) if submitter else editors


def change_url(article):
    return settings.NEWSROOM_BASE_URL + reverse("admin:articles_article_change", args=[article.pk])


def _one_line(text, limit):
    # The headline box takes new lines; an email subject may not.
    return Truncator(" ".join(text.split())).chars(limit)


def review_requested(*, article, submitter):
    """Email each Editor that the article waits for review; return the queued emails."""
    recipients = [user.email for user in review_recipients(submitter=submitter)]
    if not recipients:
        return []
    headline = _one_line(article.headline, 200)
    context = {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "headline": headline,
        "writer": author_name(submitter) or "someone",
        "section": article.section.name,
        "submitted_at": article.submitted_at,
        "change_url": change_url(article),
        "queue_url": settings.NEWSROOM_BASE_URL + reverse("admin:index"),
    }
    subject = _one_line(f"[{settings.NEWSROOM_SITE_NAME}] For review: {headline}", 300)
    body = render_to_string("articles/email/review_request.txt", context)
    # One message each, so no editor sees the others' addresses.
    return send_later(
        [(address, subject, body, None) for address in recipients], kind="review-request"
    )


def waiting_for_review():
    """Return (the stories shown on the admin's home page, how many wait in all)."""
    waiting = Article.objects.waiting_for_review()
    shown = list(waiting.select_related("section", "submitted_by")[: SHOWN + 1])
    if len(shown) <= SHOWN:
        return shown, len(shown)
    return shown[:SHOWN], waiting.count()
