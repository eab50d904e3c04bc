"""Fill the database with many realistic articles and comments, fast (``manage.py fill_database``).

Rows go in with bulk inserts (bulk.py), which skip ``save()`` and the signals, so each phase
does their work itself, in batches, by calling the functions a save would call: the first
revision is ``revisions.snapshot()``, the search index ``search.index_entries()``, a comment's
fingerprint ``body_fingerprint()``, the comment counts ``article_refresh_comment_count()``.
The generated bodies are already what the sanitiser would leave.
"""

import itertools
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PillowImage

from articles import search
from articles.models import Article, ArticleRevision, Author, Byline, Section, TaggedArticle, Topic
from articles.revisions import snapshot
from comments.services import article_refresh_comment_count
from images.models import Image

from . import artwork
from .bulk import Inserter, chunks, distinct, pick, reserve_ids, utc
from .fill_comments import add_comments
from .prose import Prose
from .words import DEFAULT_SECTIONS, FIRST_NAMES, LAST_NAMES, ROLES, TOPIC_ANGLES, TOPIC_SUBJECTS

# Every run's revisions carry this note; it marks the articles as generated (see is_generated_only).
REVISION_NOTE = "Created by fill_database"
IMAGE_CREDIT = "Illustration: Newsroom (generated)"
ARTICLE_CHUNK = 1_000
COUNT_CHUNK = 2_000
# Smaller than the demo artwork (1800×1200), so the pool's renditions take seconds, not minutes.
IMAGE_SIZE = (1200, 800)
AUTHOR_POOL = 40
TOPIC_POOL = 300

STATUS_MIX = [  # (status, share) of new articles; "scheduled" is published with a future time.
    ("draft", 0.03),
    ("review", 0.01),
    ("scheduled", 0.02),
    ("published", 0.94),
]
LEAD_IMAGE_SHARE = 0.85


@dataclass
class FillReport:
    prefix: str = ""
    seed: int = 0
    counts: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    article_ids: list = field(default_factory=list)


def is_generated_only():
    """Return True if fill_database made every article in the database (or there are none)."""
    return not Article.objects.exclude(revisions__note=REVISION_NOTE).exists()


def next_prefix():
    """Return the first "fillN" slug prefix that no article uses yet."""
    for number in itertools.count(1):
        prefix = f"fill{number}"
        if not Article.objects.filter(slug__startswith=f"{prefix}-").exists():
            return prefix


def fill(*, articles, comments, seed, images=20, years=3.0, prefix=None, log=print):
    """Add the articles and comments, logging each phase; return a FillReport."""
    report = FillReport(prefix=prefix or next_prefix(), seed=seed)
    rng = random.Random(seed)
    now = timezone.now()

    @contextmanager
    def phase(name):
        log(f"{name}…")
        started = time.perf_counter()
        yield
        report.timings[name] = time.perf_counter() - started
        log(f"  {name}: {report.timings[name]:.1f} s")

    with phase("sections, authors and topics"):
        sections = _sections()
        authors = _authors()
        topics = _topics()
    with phase("images"):
        pool = _image_pool(images)
    # Some 60 sentences a story: a pool several times that keeps bodies varied at any size.
    prose = Prose(random.Random(rng.random()), size=min(20_000, max(2_000, articles * 20)))
    with phase("articles"):
        published = _add_articles(
            count=articles,
            rng=random.Random(rng.random()),
            prose=prose,
            now=now,
            years=years,
            prefix=report.prefix,
            sections=sections,
            authors=authors,
            topics=topics,
            images=pool,
            report=report,
        )
    with phase("comments"):
        commented = add_comments(
            count=comments,
            rng=random.Random(rng.random()),
            prose=prose,
            now=now,
            published=published,
            report=report,
        )
    with phase("comment counts"):
        for chunk in chunks(commented, COUNT_CHUNK):
            with transaction.atomic():
                article_refresh_comment_count(article_ids=chunk)
    with phase("topic counts"):
        Topic.recount()
    if connection.vendor == "postgresql":
        with phase("analyze"), connection.cursor() as cursor:
            # The planner's row estimates are what they were before the fill until autovacuum gets
            # round to these tables; refresh them now so the first page views plan well.
            cursor.execute(
                "ANALYZE articles_article, articles_byline, articles_taggedarticle, "
                "articles_articlerevision, comments_comment, comments_commentreport"
            )
    return report


# What the articles hang on


def _sections():
    """Return every section, after adding the default ones to an empty site."""
    sections = list(Section.objects.order_by("position", "name"))
    if not sections:
        for position, (name, slug, description) in enumerate(DEFAULT_SECTIONS):
            section = Section(name=name, slug=slug, description=description, position=position)
            section.full_clean()
            section.save()
            sections.append(section)
    return sections


def _authors():
    """Return every author as (id, name), after adding the generated pool if it is missing."""
    rng = random.Random("authors")  # the same pool whatever the seed, so runs share it
    wanted = {}
    while len(wanted) < AUTHOR_POOL:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        wanted.setdefault(f"fill-{slugify(name)}", (name, rng.choice(ROLES)))
    existing = set(Author.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    Author.objects.bulk_create(
        Author(slug=slug, name=name, role=role)
        for slug, (name, role) in wanted.items()
        if slug not in existing
    )
    return list(Author.objects.order_by("pk").values_list("pk", "name"))


def _topics():
    """Return the generated topic pool, most popular first."""
    rng = random.Random("topics")
    names = [f"{s} {a}" for s in TOPIC_SUBJECTS for a in TOPIC_ANGLES]
    rng.shuffle(names)
    names = names[:TOPIC_POOL]
    existing = {topic.name.lower() for topic in Topic.objects.only("name")}
    taken = set(Topic.objects.values_list("slug", flat=True))
    new = []
    for name in names:
        if name.lower() in existing:
            continue
        slug = base = slugify(name)
        for n in itertools.count(2):
            if slug not in taken:
                break
            slug = f"{base}-{n}"
        taken.add(slug)
        new.append(Topic(name=name, slug=slug))
    Topic.objects.bulk_create(new)
    by_name = {topic.name.lower(): topic for topic in Topic.objects.only("name", "slug")}
    return [by_name[name.lower()] for name in names]


def _image_pool(size):
    """Return the ids of the generated library images, drawing those still missing."""
    ids = list(
        Image.objects.filter(credit=IMAGE_CREDIT).order_by("pk").values_list("pk", flat=True)
    )[:size]
    motifs = list(artwork.MOTIFS)
    # The renditions are made when this block commits (the Image's save queues them).
    with transaction.atomic():
        for number in range(len(ids), size):
            motif = motifs[number % len(motifs)]
            picture = PillowImage.open(BytesIO(artwork.draw(motif, f"fill-{number}")))
            buffer = BytesIO()
            picture.resize(IMAGE_SIZE).save(buffer, "JPEG", quality=82)
            image = Image(
                alt_text=artwork.describe(motif),
                caption=f"{artwork.MOTIFS[motif].capitalize()}.",
                credit=IMAGE_CREDIT,
            )
            # Named: Django reads the width and height from the content only if it has a name.
            picture = ContentFile(buffer.getvalue(), name=f"fill-{number}.jpg")
            image.file.save(picture.name, picture)
            ids.append(image.pk)
    return ids


# Articles, with their bylines, topics, first revision and search index entry


def _weights(items, exponent):
    """Return cumulative weights that favour the first items: a few are much more common."""
    return list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(len(items))))


def _add_articles(
    *, count, rng, prose, now, years, prefix, sections, authors, topics, images, report
):
    """Insert the articles in chunks; return (id, publish timestamp) of those readers can see."""
    inserter = {m: Inserter(m) for m in (Article, Byline, TaggedArticle, ArticleRevision)}
    section_weights = _weights(sections, 0.6)
    author_weights = _weights(authors, 0.8)
    topic_weights = _weights(topics, 0.7)
    statuses = [s for s, _ in STATUS_MIX]
    status_weights = list(itertools.accumulate(w for _, w in STATUS_MIX))
    # Ids go up with the publish time, as on a real site: times are drawn, then sorted. Some land
    # in the last day so that the news sitemap and the front page have fresh stories.
    start = now.timestamp() - years * 365.25 * 86400
    end = now.timestamp() - 60
    recent = min(count, max(5, count // 100))
    times = sorted(
        [rng.uniform(start, end - 86400) for _ in range(count - recent)]
        + [rng.uniform(end - 86400, end) for _ in range(recent)]
    )
    published = []
    made = {"articles": 0, "bylines": 0, "topic links": 0, "revisions": 0}
    for offset in range(0, count, ARTICLE_CHUNK):
        n = min(ARTICLE_CHUNK, count - offset)
        rows = {m: [] for m in inserter}
        entries = []
        with transaction.atomic():
            ids = reserve_ids(Article, n)
            for index, pk in enumerate(ids, start=offset):
                status = rng.choices(statuses, cum_weights=status_weights)[0]
                when = utc(times[index])
                created = when - timedelta(minutes=rng.uniform(10, 360))
                published_at = when
                if status == "scheduled":
                    status = Article.Status.PUBLISHED
                    published_at = now + timedelta(hours=rng.uniform(1, 240))
                    created = now - timedelta(hours=rng.uniform(1, 72))
                elif status != Article.Status.PUBLISHED:
                    published_at = None
                    created = now - timedelta(days=rng.uniform(0, 30))
                chosen = distinct(rng, topics, topic_weights, rng.randint(3, 8), key=_pk)
                section = pick(rng, sections, section_weights)
                byline = distinct(
                    rng, authors, author_weights, rng.choice((1, 1, 1, 1, 1, 2, 2, 3))
                )
                headline = prose.headline(chosen[0].name)
                article = Article(
                    id=pk,
                    headline=headline,
                    slug=f"{prefix}-{index + 1}-{slugify(headline)}"[:200].rstrip("-"),
                    standfirst=prose.standfirst(),
                    body=prose.body(chosen[0].name),
                    section=section,
                    primary_topic=chosen[0],
                    lead_image_id=(
                        rng.choice(images) if images and rng.random() < LEAD_IMAGE_SHARE else None
                    ),
                    status=status,
                    published_at=published_at,
                    comments_open=rng.random() < 0.95,
                    version=1,
                    created_at=created,
                    updated_at=min(
                        now, (published_at or created) + timedelta(minutes=rng.uniform(0, 90))
                    ),
                )
                rows[Article].append(_row(article, inserter[Article]))
                rows[Byline] += [
                    {"article_id": pk, "author_id": author_id, "position": position}
                    for position, (author_id, _) in enumerate(byline, start=1)
                ]
                rows[TaggedArticle] += [
                    {"content_object_id": pk, "tag_id": topic.pk} for topic in chosen
                ]
                names = [topic.name for topic in chosen]
                rows[ArticleRevision].append(
                    {
                        "article_id": pk,
                        "version": 1,
                        "created_at": created,
                        "note": REVISION_NOTE,
                        "data": snapshot(
                            article, topics=names, byline=[name for _, name in byline]
                        ),
                    }
                )
                entries.append(search.IndexEntry.of(article, topics=names))
                if status == Article.Status.PUBLISHED and published_at <= now:
                    published.append((pk, published_at.timestamp()))
            for model, model_rows in rows.items():
                inserter[model].insert(model_rows)
            search.index_entries(entries)
        report.article_ids += ids
        made["articles"] += n
        made["bylines"] += len(rows[Byline])
        made["topic links"] += len(rows[TaggedArticle])
        made["revisions"] += len(rows[ArticleRevision])
    report.counts.update(made)
    return published


def _pk(topic):
    return topic.pk


def _row(article, inserter):
    """Return the article's column values as the inserter takes them."""
    return {name: getattr(article, name) for name in ("id", *inserter.attnames)}
