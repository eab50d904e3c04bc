"""Writes on comments: the readers' submissions and the moderators' decisions."""

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models import Article

from . import policy
from .models import Comment


def article_refresh_comment_count(*, article_ids):
    """Recount the approved comments of the given articles from the comments table."""
    approved = (
        Comment.objects.approved()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Article.objects.filter(pk__in=set(article_ids)).update(
        comment_count=Coalesce(Subquery(approved), 0)
    )


def comment_submit(*, article, data, ip_address, user_agent):
    """Store a reader's comment with the policy's decision; return (comment, created).

    A second submission of the same form (same token) returns the first comment, uncreated.
    """
    if existing := Comment.objects.filter(submission_token=data["token"]).first():
        return existing, False
    parent = data.get("parent")
    decision = policy.decide(
        policy.Submission(
            article=article,
            name=data["name"],
            email=data["email"],
            website=data.get("website", ""),
            body=data["body"],
            ip_address=ip_address,
            honeypot=data.get("homepage", ""),
        )
    )
    comment = Comment(
        article=article,
        parent=parent,
        name=data["name"],
        email=data["email"],
        website=data.get("website", ""),
        body=data["body"],
        ip_address=ip_address,
        user_agent=user_agent[:500],
        status=decision.status,
        policy_status=decision.status,
        policy_reasons=decision.reasons(),
        submission_token=data["token"],
    )
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError:
        # The same form arrived twice at once; the other request stored it.
        return Comment.objects.get(submission_token=data["token"]), False
    return comment, True


@transaction.atomic
def comments_moderate(*, comments, status, by):
    """Give the comments a moderator's status; return how many changed."""
    changing = comments.exclude(status=status)
    article_ids = list(changing.values_list("article_id", flat=True).distinct())
    changed = Comment.objects.filter(pk__in=list(changing.values_list("pk", flat=True))).update(
        status=status, decided_by=by, decided_at=timezone.now()
    )
    article_refresh_comment_count(article_ids=article_ids)
    return changed
