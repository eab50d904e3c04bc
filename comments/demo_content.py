"""Load the demo reader comments of seeds/comments.toml; comments already there are kept."""

import tomllib
from datetime import timedelta

from django.db import transaction

from articles.demo_content import SEEDS_DIR
from articles.models import Article

from . import policy
from .models import Comment


@transaction.atomic
def load(report, seeds_dir=SEEDS_DIR):
    """Create the seeded comments that are missing, counting them in the report."""
    path = seeds_dir / "comments.toml"
    if not path.exists():
        return
    with path.open("rb") as f:
        entries = tomllib.load(f)["comment"]
    articles = Article.objects.in_bulk({e["article"] for e in entries}, field_name="slug")
    by_key = {}
    for entry in entries:
        article = articles[entry["article"]]
        body = entry["body"].strip()
        existing = Comment.objects.filter(
            article=article, email_normalised=entry["email"].lower(), body=body
        ).first()
        report.count("comments", existing is None)
        by_key[entry["key"]] = existing or _create(entry, article, body, by_key)


def _create(entry, article, body, by_key):
    status = entry["status"]
    findings = []
    if status == "policy":
        decision = policy.decide(
            policy.Submission(
                article=article,
                name=entry["name"],
                email=entry["email"],
                website=entry.get("website", ""),
                body=body,
            )
        )
        status, findings = decision.status, decision.reasons()
    comment = Comment.objects.create(
        article=article,
        parent=by_key.get(entry.get("reply_to")),
        name=entry["name"],
        email=entry["email"],
        website=entry.get("website", ""),
        body=body,
        status=status,
        policy_status=status if findings else "",
        policy_reasons=findings,
    )
    # Backdate it to when the reader wrote it, relative to the story.
    posted = article.published_at + timedelta(minutes=entry.get("minutes_after", 30))
    Comment.objects.filter(pk=comment.pk).update(created_at=posted)
    return comment
