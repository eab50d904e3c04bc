"""Revisions: what an article held after each save, kept so that editors can see who changed
what (revision_diff.py shows it) and bring an earlier text back."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from .models import Article, ArticleRevision, Topic
from .revision_diff import diff_revisions

# A restore brings back the words and what they are about. Status, publish time, address and
# section are publishing decisions, made on the change form where their own checks run.
RESTORED_FIELDS = ("headline", "standfirst", "body", "topics", "primary_topic")


def snapshot(article, *, topics=None, byline=None):
    """Return the article's editorial fields as plain JSON values.

    The topic names and the byline's author names, in order, are read from the database
    unless given (fill_database gives them for articles it inserts in bulk).
    """
    if topics is None:
        topics = [topic.name for topic in article.topics.all()]
    if byline is None:
        byline = [line.author.name for line in article.bylines.select_related("author")]
    return {
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "section": {"id": article.section_id, "name": article.section.name},
        "topics": sorted(topics),
        "primary_topic": article.primary_topic.name if article.primary_topic else None,
        "byline": list(byline),
        "status": article.status,
        "published_at": _iso(article.published_at),
        "embargo_until": _iso(article.embargo_until),
        "expires_at": _iso(article.expires_at),
    }


def _iso(moment):
    return moment.isoformat() if moment else None


@transaction.atomic
def record_revision(*, article, user=None, note=""):
    """Keep a revision of the article as it is now, and move its version number on by one."""
    Article.objects.filter(pk=article.pk).update(version=F("version") + 1)
    article.version = Article.objects.values_list("version", flat=True).get(pk=article.pk)
    return ArticleRevision.objects.create(
        article=article,
        version=article.version,
        created_by=user if user and user.is_authenticated else None,
        note=note,
        data=snapshot(article),
    )


@dataclass(frozen=True)
class Conflict:
    who: str  # Who saved last, or "" if unknown.
    when: object  # When they saved (a datetime).
    changes: list  # What was changed since the version the editor opened, as Change objects.


def conflict_between(article, base_version, current_version):
    """Return who saved over the version an editor opened, when, and what they changed."""
    revisions = {
        revision.version: revision
        for revision in article.revisions.filter(
            version__in=[base_version, current_version]
        ).select_related("created_by")
    }
    base, current = revisions.get(base_version), revisions.get(current_version)
    if current is None:
        return Conflict(who="", when=None, changes=[])
    return Conflict(
        who=author_name(current.created_by),
        when=current.created_at,
        changes=diff_revisions(base.data, current.data) if base else [],
    )


def author_name(user):
    """Return how a revision's author is shown: full name, else username; "" if unknown."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def restored_data(current_data, revision_data):
    """Return the article's snapshot as it will be once the revision is restored onto it."""
    restored = {field: revision_data[field] for field in RESTORED_FIELDS if field in revision_data}
    return {**current_data, **restored}


def missing_topics(revision_data):
    """Return the revision's topic names that no longer exist, which a restore leaves off."""
    names = _topic_names(revision_data)
    found = set(Topic.objects.filter(name__in=names).values_list("name", flat=True))
    return [name for name in names if name not in found]


def _topic_names(data):
    names = list(data.get("topics") or [])
    primary = data.get("primary_topic")
    if primary and primary not in names:
        names.append(primary)
    return names


class StaleRestore(Exception):
    """The article was saved after the editor was shown what a restore would change."""


@transaction.atomic
def revision_restore(*, revision, user, expected_version):
    """Put a revision's text and topics back on its article, recorded as a new revision.

    Return the new revision and the names of topics left off because they no longer exist:
    a topic deleted since was deleted on purpose, and a restore should not bring back its page.
    """
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    if article.version != expected_version:
        raise StaleRestore
    data = revision.data
    for field in ("headline", "standfirst", "body"):
        if field in data:
            setattr(article, field, data[field])
    topics = {topic.name: topic for topic in Topic.objects.filter(name__in=_topic_names(data))}
    if "primary_topic" in data:
        article.primary_topic = topics.get(data["primary_topic"])
    article.save()
    if "topics" in data:
        article.topics.set(list(topics.values()))
    restored = record_revision(
        article=article, user=user, note=f"Restored revision {revision.version}"
    )
    return restored, [name for name in _topic_names(data) if name not in topics]
