"""Load the demo content of seeds/ into the database: sections, authors, illustrated stories with
their corrections and related links, reader comments, and the editors' front page. What is
already there is left alone, so running it twice changes nothing."""

import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    FrontPage,
    LiveEntry,
    RelatedLink,
    Section,
    SectionPin,
    Topic,
    TopStory,
)
from articles.revisions import record_revision
from comments import policy
from comments.models import Comment, normalise_email
from images.models import Image

from . import artwork

SEEDS_DIR = settings.BASE_DIR / "seeds"


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)

    def count(self, kind, was_created):
        bucket = self.created if was_created else self.existing
        bucket[kind] = bucket.get(kind, 0) + 1

    def __str__(self):
        made = ", ".join(f"{n} {kind}" for kind, n in self.created.items()) or "nothing"
        kept = sum(self.existing.values())
        return f"Created {made}; {kept} already present and left as they were."


def _read(path):
    with path.open("rb") as f:
        return tomllib.load(f)


@transaction.atomic
def load(seeds_dir=SEEDS_DIR):
    """Create what seeds/ holds and the database lacks; return a report."""
    seeds_dir = Path(seeds_dir)
    report = SeedReport()
    sections = {
        entry["slug"]: _section(entry, report)
        for entry in _read(seeds_dir / "sections.toml")["section"]
    }
    authors = {
        entry["slug"]: _author(entry, report)
        for entry in _read(seeds_dir / "authors.toml")["author"]
    }
    entries = [_read(path) for path in sorted((seeds_dir / "articles").glob("*.toml"))]
    created = []
    for entry in entries:
        if _article(entry, sections, authors, report):
            created.append(entry)
    # Related links point at other seeded articles, so they come once every article exists.
    by_slug = Article.objects.in_bulk([entry["slug"] for entry in entries], field_name="slug")
    for entry in created:
        for position, link in enumerate(entry.get("related", []), start=1):
            RelatedLink.objects.create(
                article=by_slug[entry["slug"]],
                position=position,
                target=by_slug[link["article"]] if "article" in link else None,
                url=link.get("url", ""),
                title=link.get("title", ""),
            )
    for entry in entries:
        if entry.get("entry"):
            _live_entries(by_slug[entry["slug"]], entry["entry"], authors, report)
    _comments(seeds_dir / "comments.toml", report)
    _front_page(seeds_dir / "front_page.toml", report)
    return report


def _section(entry, report):
    section, created = Section.objects.get_or_create(
        slug=entry["slug"],
        defaults={
            "name": entry["name"],
            "description": entry.get("description", ""),
            "position": entry.get("position", 0),
        },
    )
    if created:
        section.full_clean()
    report.count("sections", created)
    return section


def _author(entry, report):
    author, created = Author.objects.get_or_create(
        slug=entry["slug"],
        defaults={
            "name": entry["name"],
            "role": entry.get("role", ""),
            "bio": entry.get("bio", ""),
        },
    )
    if created:
        portrait = artwork.draw_portrait(author.name, author.slug)
        # Named, or Django cannot read the width and height from the content, leaves them
        # empty, and opens the file to measure it each time the author is loaded.
        name = f"{author.slug}.png"
        author.photo.save(name, ContentFile(portrait, name=name))
    report.count("authors", created)
    return author


def _article(entry, sections, authors, report):
    """Create the article unless its slug exists; return True if it was created."""
    if Article.objects.filter(slug=entry["slug"]).exists():
        report.count("articles", False)
        return False
    if "publish_in_days" in entry:
        published_at = timezone.now() + timedelta(days=entry["publish_in_days"])
    else:
        published_at = entry.get("published_at")
    motif = entry.get("art", "globe")
    article = Article(
        slug=entry["slug"],
        headline=entry["headline"],
        standfirst=entry["standfirst"],
        body=entry["body"],
        section=sections[entry["section"]],
        status=entry.get("status", Article.Status.DRAFT),
        published_at=published_at,
        comments_open=entry.get("comments_open", True),
        is_live=entry.get("is_live", False),
        lead_image=_lead_image(entry, motif),
    )
    article.save()
    for position, slug in enumerate(entry.get("authors", []), start=1):
        Byline.objects.create(article=article, author=authors[slug], position=position)
    topics = [_topic(name) for name in entry.get("topics", [])]
    article.topics.set(topics)
    if primary := entry.get("primary_topic"):
        article.primary_topic = _topic(primary)
        article.save(update_fields=["primary_topic"])
    for note in entry.get("notes", []):
        Correction.objects.create(article=article, **note)
    record_revision(article=article, note="Created from the demo content")
    if published_at and published_at <= timezone.now():
        # Written when it went out, not when the demo was loaded: dateModified and
        # Last-Modified then tell of the story's own last change.
        Article.objects.filter(pk=article.pk).update(
            created_at=published_at, updated_at=published_at
        )
    report.count("articles", True)
    return True


def _live_entries(article, entries, authors, report):
    """Create the live coverage's entries it lacks, each known by its time."""
    for entry in entries:
        _, created = LiveEntry.objects.get_or_create(
            article=article,
            published_at=entry["published_at"],
            defaults={
                "title": entry.get("title", ""),
                "body": entry["body"],
                "author": authors[entry["author"]] if "author" in entry else None,
                "is_key_event": entry.get("is_key_event", False),
                "is_pinned": entry.get("is_pinned", False),
            },
        )
        report.count("live entries", created)


def _lead_image(entry, motif):
    """Put the story's illustration in the image library, with its focal point."""
    focal_x, focal_y = entry.get("focal_point", (0.5, 0.5))
    image = Image(
        alt_text=artwork.describe(motif),
        caption=entry.get("image_caption", ""),
        credit="Illustration: Newsroom",
        focal_x=focal_x,
        focal_y=focal_y,
    )
    picture = ContentFile(artwork.draw(motif, entry["slug"]), name=f"{entry['slug']}.jpg")
    image.file.save(picture.name, picture)  # saves the Image; its renditions follow on commit
    return image


def _topic(name):
    topic = Topic.objects.filter(name__iexact=name).first()
    return topic or Topic.objects.create(name=name)


def _comments(path, report):
    """Create the seeded reader comments that are missing; "policy" ones go through the policy."""
    if not path.exists():
        return
    entries = _read(path)["comment"]
    articles = Article.objects.in_bulk({e["article"] for e in entries}, field_name="slug")
    by_key = {}
    for entry in entries:
        article = articles[entry["article"]]
        body = entry["body"].strip()
        existing = Comment.objects.filter(
            article=article, email_normalised=normalise_email(entry["email"]), body=body
        ).first()
        report.count("comments", existing is None)
        by_key[entry["key"]] = existing or _comment(entry, article, body, by_key)


def _comment(entry, article, body, by_key):
    status = entry["status"]
    findings = []
    if status == "policy":
        verdict = policy.assess(
            policy.Submission(
                article=article,
                name=entry["name"],
                email=entry["email"],
                website=entry.get("website", ""),
                body=body,
            )
        )
        status, findings = verdict.status, verdict.reasons()
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


def _front_page(path, report):
    """Set the editors' front page: the lead on a new front page, and any slot still missing.

    A story not in the database (the live coverage, before it is seeded) is skipped, so a
    later run adds its slot once it exists; what is there already is left as it is.
    """
    if not path.exists():
        return
    entry = _read(path)
    slugs = {
        entry.get("lead"),
        *entry.get("top_stories", []),
        entry.get("banner", {}).get("article"),
    }
    slugs |= {pin["article"] for pin in entry.get("pin", [])}
    articles = Article.objects.in_bulk([slug for slug in slugs if slug], field_name="slug")
    front, created = FrontPage.objects.get_or_create(
        pk=1, defaults={"lead": articles.get(entry.get("lead"))}
    )
    report.count("front page", created)
    for position, slug in enumerate(entry.get("top_stories", []), start=1):
        if article := articles.get(slug):
            _, made = TopStory.objects.get_or_create(
                front_page=front, article=article, defaults={"position": position}
            )
            report.count("top stories", made)
    sections = Section.objects.in_bulk(
        [pin["section"] for pin in entry.get("pin", [])], field_name="slug"
    )
    for position, pin in enumerate(entry.get("pin", []), start=1):
        article, section = articles.get(pin["article"]), sections.get(pin["section"])
        if article and section:
            _, made = SectionPin.objects.get_or_create(
                front_page=front, section=section, article=article, defaults={"position": position}
            )
            report.count("pinned stories", made)
    banner = entry.get("banner", {})
    if (story := articles.get(banner.get("article"))) and not front.banner_text:
        front.banner_text, front.banner_article = banner["text"], story
        front.full_clean()
        front.save()
        report.count("banner", True)
