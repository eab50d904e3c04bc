"""Fill the database with many realistic articles and comments, fast (``manage.py fill_database``).

The text comes from word lists and templates in this module. Rows go in with bulk inserts:
COPY on PostgreSQL, ``executemany`` elsewhere. These skip ``save()`` and the signals, so this
module does their work itself, in bulk:

- the bodies are made clean for the sanitiser;
- every article gets revision 1;
- comment counts are recounted once the comments are in;
- the search index is filled with one statement per chunk.

The comment phase runs before the search phase. That way each article row is rewritten with
its search vector only once.
"""

import hashlib
import itertools
import json
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PillowImage

from comments.models import Comment, CommentReport, body_fingerprint
from comments.services import article_refresh_comment_count
from images.models import Image

from . import demo_artwork, search
from .models import Article, ArticleRevision, Author, Byline, Section, TaggedArticle, Topic

# Every run's revisions carry this note; it marks the articles as generated (see is_generated_only).
REVISION_NOTE = "Created by fill_database"
IMAGE_CREDIT = "Illustration: Newsroom (generated)"
ARTICLE_CHUNK = 1_000
COMMENT_CHUNK = 20_000
INDEX_CHUNK = 2_000
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
COMMENT_STATUS_MIX = [("approved", 0.88), ("pending", 0.05), ("rejected", 0.04), ("spam", 0.03)]
REPORTED_SHARE = 0.012
REPLY_SHARE = 0.4
LEAD_IMAGE_SHARE = 0.85

DEFAULT_SECTIONS = [
    ("News", "news", "What happened today, at home and nearby."),
    ("World", "world", "Reports from our correspondents abroad."),
    ("Business", "business", "Markets, companies and the economy."),
    ("Sport", "sport", "Results, transfers and the stories behind them."),
    ("Culture", "culture", "Film, music, books and the arts."),
    ("Science", "science", "Research, health and the environment."),
]

# Word lists, written for this module.

FIRST_NAMES = [
    "Ada",
    "Alan",
    "Alice",
    "Amara",
    "Anna",
    "Arjun",
    "Beatriz",
    "Ben",
    "Carla",
    "Chen",
    "Clara",
    "Daniel",
    "Dara",
    "Elena",
    "Emil",
    "Erin",
    "Farah",
    "Felix",
    "Grace",
    "Hana",
    "Hugo",
    "Ines",
    "Ivan",
    "Jamal",
    "Jonas",
    "Julia",
    "Kai",
    "Karin",
    "Leila",
    "Leo",
    "Lina",
    "Luca",
    "Maya",
    "Milan",
    "Mira",
    "Nadia",
    "Nils",
    "Noor",
    "Olga",
    "Omar",
    "Paula",
    "Petra",
    "Rafael",
    "Rosa",
    "Sami",
    "Sara",
    "Tariq",
    "Theo",
    "Vera",
    "Yusuf",
    "Zoe",
]
LAST_NAMES = [
    "Abbott",
    "Alvarez",
    "Baker",
    "Banerjee",
    "Berg",
    "Bianchi",
    "Brandt",
    "Castro",
    "Chowdhury",
    "Costa",
    "Dahl",
    "Dubois",
    "Eriksen",
    "Ferreira",
    "Fischer",
    "Garcia",
    "Haddad",
    "Hansen",
    "Holm",
    "Ibrahim",
    "Jansen",
    "Kaur",
    "Keller",
    "Kowalski",
    "Larsen",
    "Lindqvist",
    "Lopez",
    "Mbeki",
    "Moreau",
    "Murphy",
    "Nakamura",
    "Novak",
    "Okafor",
    "Olsen",
    "Park",
    "Patel",
    "Quinn",
    "Rahman",
    "Rossi",
    "Santos",
    "Schmidt",
    "Silva",
    "Sorensen",
    "Tanaka",
    "Torres",
    "Varga",
    "Vogel",
    "Walsh",
    "Weber",
    "Yilmaz",
    "Zielinski",
]
ROLES = [
    "Political correspondent",
    "Economics editor",
    "Sport reporter",
    "Culture writer",
    "Science correspondent",
    "Health reporter",
    "Transport correspondent",
    "Data journalist",
    "Foreign correspondent",
    "Local government reporter",
    "Environment editor",
    "Courts reporter",
]
PLACE_STARTS = "Ash Bel Brin Cal Dun Elm Fen Gar Hal Kel Lin Mar Nor Ost Pel Rav Sel Tor Vel Wen"
PLACE_ENDS = "bridge brook bury dale field ford haven holm mere moor mouth stead ton wick"
PLACES = [a + b for a in PLACE_STARTS.split() for b in PLACE_ENDS.split()]
ORGANISATIONS = [
    "the transport ministry",
    "the regional council",
    "the health authority",
    "the central bank",
    "the finance ministry",
    "the teachers' union",
    "the water company",
    "the city council",
    "the national statistics office",
    "the energy regulator",
    "the supreme court",
    "the football federation",
    "the university",
    "the port authority",
    "the farmers' association",
    "the opposition party",
    "the coalition government",
    "the competition watchdog",
    "the police",
    "the fire service",
    "the arts council",
    "the housing association",
    "the chamber of commerce",
    "the space agency",
]
OFFICIAL_TITLES = [
    "the minister",
    "the mayor",
    "a spokesperson",
    "the chief executive",
    "the chair of the committee",
    "a senior official",
    "the head coach",
    "the lead researcher",
    "the union leader",
    "a government adviser",
    "the director",
    "the prosecutor",
]
PEOPLE = [
    "residents",
    "commuters",
    "nurses",
    "teachers",
    "farmers",
    "shop owners",
    "students",
    "supporters",
    "passengers",
    "drivers",
    "pensioners",
    "tenants",
    "workers",
    "volunteers",
    "parents",
]
PLANS = [
    "the new budget",
    "the rail timetable",
    "a plan to build 4,000 homes",
    "the proposed tax changes",
    "the hospital merger",
    "a new bus network",
    "the flood defences",
    "the school funding formula",
    "the stadium redevelopment",
    "the harbour extension",
    "a ban on single-use plastics",
    "the wind farm licence",
    "the minimum wage increase",
    "the pension reform",
    "the library closures",
    "the cycle lane programme",
    "the broadband rollout",
    "the new festival site",
]
PAST_VERBS = [
    "approved",
    "delayed",
    "rejected",
    "defended",
    "criticised",
    "announced",
    "revised",
    "paused",
    "welcomed",
    "questioned",
    "unveiled",
    "scrapped",
]
VERBS = [
    "approve",
    "delay",
    "review",
    "defend",
    "fund",
    "revise",
    "pause",
    "expand",
    "challenge",
    "support",
    "reconsider",
    "publish",
]
TIMES = [
    "this week",
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "over the weekend",
    "last month",
    "earlier this year",
    "by the end of the year",
    "next spring",
    "within weeks",
]
AMOUNTS = [
    "12 million",
    "48 million",
    "1.2 billion",
    "350,000",
    "7 per cent",
    "15 per cent",
    "a third",
    "nearly half",
    "two thirds",
    "300",
    "2,500",
    "18,000",
]
MOODS = [
    "cautious",
    "angry",
    "hopeful",
    "divided",
    "relieved",
    "sceptical",
    "frustrated",
    "optimistic",
]
OUTCOMES = [
    "the decision would cost jobs",
    "prices would keep rising",
    "the work would finish on time",
    "the money would not be enough",
    "the plan had been rushed",
    "the figures told a different story",
    "nothing would change for years",
    "the vote had been close",
    "the risks had been underestimated",
    "the region deserved better",
]
HEADING_WORDS = [
    "What happens next",
    "The cost",
    "Questions remain",
    "A long road",
    "Reaction",
    "Behind the numbers",
    "How we got here",
    "The view from the ground",
    "Looking ahead",
    "Who decides",
]

# Topics: "<subject> <angle>" pairs, drawn in a fixed order so that every run shares the pool.
TOPIC_SUBJECTS = [
    "Housing",
    "Rail",
    "Energy",
    "Water",
    "Schools",
    "Hospitals",
    "Farming",
    "Fishing",
    "Tourism",
    "Elections",
    "Courts",
    "Policing",
    "Budget",
    "Taxes",
    "Pensions",
    "Wages",
    "Climate",
    "Floods",
    "Wildfires",
    "Drought",
    "Football",
    "Tennis",
    "Cycling",
    "Athletics",
    "Film",
    "Music",
    "Theatre",
    "Books",
    "Art",
    "Science",
    "Space",
    "Health",
    "Vaccines",
    "Privacy",
    "Trade",
    "Shipping",
    "Aviation",
    "Banking",
    "Retail",
    "Broadband",
    "Universities",
    "Immigration",
    "Defence",
    "Diplomacy",
    "Heritage",
    "Parks",
    "Roads",
    "Buses",
    "Ports",
    "Mining",
    "Forestry",
    "Fashion",
    "Food",
    "Gaming",
    "Television",
    "Radio",
]
TOPIC_ANGLES = [
    "policy",
    "prices",
    "strikes",
    "reform",
    "funding",
    "investigations",
    "protests",
    "research",
    "jobs",
    "safety",
    "data",
    "rules",
    "history",
    "futures",
    "abroad",
    "in focus",
    "explained",
    "debate",
]

SENTENCE_TEMPLATES = [
    "{Official} said {org} would {verb} {plan} {time}.",
    "{Org} has {past} {plan}, according to documents seen by this newspaper.",
    "More than {amount} {people} in {place} are expected to be affected.",
    "{Name}, who has lived in {place} for twenty years, said {people} felt {mood}.",
    "Critics argue that {outcome}, while supporters say the change is overdue.",
    "The figures, published {time}, show a rise of {amount} since the last count.",
    "{Official} told reporters in {place} that {outcome}.",
    "Talks between {org} and {org2} are due to resume {time}.",
    "In {place}, {people} gathered outside the town hall to make their case.",
    "The cost of {plan} has grown to {amount}, officials confirmed.",
    "{Name} of {org} described the mood among {people} as {mood}.",
    "It is not the first time that {org} has {past} {plan}.",
    "Local {people} said they had only heard about the plans {time}.",
    "A report commissioned by {org} warned that {outcome}.",
    "{Org2} said it would study the proposal before deciding whether to {verb} it.",
    "The changes would take effect {time} if they are approved.",
    "Asked whether {outcome}, {official} declined to comment.",
    "{Name}, an analyst, said the numbers were better than many had feared.",
    "Similar schemes in {place} and {place2} have had mixed results.",
    "Opposition figures called for an independent review of {plan}.",
    "About {amount} has already been spent, the latest accounts show.",
    "{People} in {place2} were more {mood}, a survey found.",
    "The decision follows months of pressure from {people} and {org2}.",
    "{Official} is expected to set out the details {time}.",
]
QUOTE_TEMPLATES = [
    "We have listened to {people}, and we think this is the right balance",
    "Nobody asked the people of {place} what they wanted",
    "If we do nothing, {outcome}",
    "This is a good day for {place}, but the hard work starts now",
    "We will {verb} {plan} and we will not apologise for it",
    "The numbers speak for themselves: {amount} is not a rounding error",
]
COMMENT_SENTENCES = [
    "Great piece, thanks for covering this.",
    "I live in {place} and this matches what we see every day.",
    "Not sure the numbers add up here.",
    "This has been coming for years.",
    "Who is actually going to pay for {plan}?",
    "The council never listens to {people}.",
    "Finally some good news for once.",
    "I disagree with most of this, but it is well argued.",
    "Same old story, different year.",
    "Does anyone know when the consultation closes?",
    "My neighbours in {place} are {mood} about it too.",
    "Would be good to see a follow-up on this in a few months.",
    "The article misses the point about {people}.",
    "Well said.",
    "I remember when {place} had a proper bus service.",
    "Interesting that {org} says nothing about the cost.",
    "This should have been done ten years ago.",
    "Can we have the full report linked, please?",
    "Sad to read this, but not surprised.",
    "Good to see {people} getting a say for once.",
]
USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 Safari/605",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
]
REPORT_REASONS = ["spam", "abusive", "off_topic", "other"]
EMAIL_DOMAINS = ["example.org", "example.com", "example.net"]


@dataclass
class FillReport:
    prefix: str = ""
    seed: int = 0
    counts: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    article_ids: list = field(default_factory=list)


def is_generated_only():
    """Return True if every article in the database was made by this module (or there are none)."""
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
        commented = _add_comments(
            count=comments,
            rng=random.Random(rng.random()),
            prose=prose,
            now=now,
            published=published,
            report=report,
        )
    with phase("comment counts"):
        for chunk in _chunks(commented, INDEX_CHUNK):
            with transaction.atomic():
                article_refresh_comment_count(article_ids=chunk)
    with phase("search index"):
        _index(report.article_ids)
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


# Phase 1: what the articles hang on


def _sections():
    sections = list(Section.objects.order_by("position", "name"))
    if not sections:
        for position, (name, slug, description) in enumerate(DEFAULT_SECTIONS):
            section = Section(name=name, slug=slug, description=description, position=position)
            section.full_clean()
            section.save()
            sections.append(section)
    return [(section.pk, section.name) for section in sections]


def _authors():
    """Return every author, after adding the generated pool if it is missing."""
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
    """Return the generated topic pool as (id, name), most popular first."""
    rng = random.Random("topics")
    names = [f"{s} {a}" for s in TOPIC_SUBJECTS for a in TOPIC_ANGLES]
    rng.shuffle(names)
    names = names[:TOPIC_POOL]
    existing = {name.lower(): pk for pk, name in Topic.objects.values_list("pk", "name")}
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
    by_name = {name.lower(): pk for pk, name in Topic.objects.values_list("pk", "name")}
    return [(by_name[name.lower()], name) for name in names]


def _image_pool(size):
    """Return the ids of the generated library images, drawing those still missing."""
    ids = list(
        Image.objects.filter(credit=IMAGE_CREDIT).order_by("pk").values_list("pk", flat=True)
    )[:size]
    motifs = list(demo_artwork.MOTIFS)
    # The renditions are made when this block commits (the Image's save queues them).
    with transaction.atomic():
        for number in range(len(ids), size):
            motif = motifs[number % len(motifs)]
            picture = PillowImage.open(BytesIO(demo_artwork.draw(motif, f"fill-{number}")))
            buffer = BytesIO()
            picture.resize(IMAGE_SIZE).save(buffer, "JPEG", quality=82)
            image = Image(
                alt_text=demo_artwork.describe(motif),
                caption=f"{demo_artwork.MOTIFS[motif].capitalize()}.",
                credit=IMAGE_CREDIT,
            )
            # Named: Django reads the width and height from the content only if it has a name.
            picture = ContentFile(buffer.getvalue(), name=f"fill-{number}.jpg")
            image.file.save(picture.name, picture)
            ids.append(image.pk)
    return ids


# Text


class Prose:
    """Make headlines, standfirsts, bodies and comments from the templates above.

    Sentences are drawn once into a pool and reused, which makes a body cost a few joins rather
    than some forty template fills.
    """

    def __init__(self, rng, *, size=20_000):
        self.rng = rng
        self.sentences = [self.fill(rng.choice(SENTENCE_TEMPLATES)) for _ in range(size)]
        self.lengths = [len(sentence.split()) for sentence in self.sentences]
        self.quotes = [self.fill(rng.choice(QUOTE_TEMPLATES)) for _ in range(size // 10)]
        self.remarks = [self.fill(rng.choice(COMMENT_SENTENCES)) for _ in range(size // 4)]

    def fill(self, template):
        choice = self.rng.choice
        words = {
            "official": choice(OFFICIAL_TITLES),
            "org": choice(ORGANISATIONS),
            "org2": choice(ORGANISATIONS),
            "verb": choice(VERBS),
            "past": choice(PAST_VERBS),
            "plan": choice(PLANS),
            "time": choice(TIMES),
            "amount": choice(AMOUNTS),
            "people": choice(PEOPLE),
            "place": choice(PLACES),
            "place2": choice(PLACES),
            "name": self.person(),
            "mood": choice(MOODS),
            "outcome": choice(OUTCOMES),
        }
        words.update({k.capitalize(): v[0].upper() + v[1:] for k, v in list(words.items())})
        return template.format(**words)

    def person(self):
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def headline(self, topic):
        rng = self.rng
        place, org = rng.choice(PLACES), rng.choice(ORGANISATIONS)
        text = rng.choice(
            [
                f"{org[0].upper() + org[1:]} to {rng.choice(VERBS)} {rng.choice(PLANS)}",
                f"{topic}: {place} {rng.choice(PEOPLE)} {rng.choice(MOODS)} as "
                f"{org} {rng.choice(PAST_VERBS)} {rng.choice(PLANS)}",
                f"{rng.choice(PEOPLE).capitalize()} in {place} say {rng.choice(OUTCOMES)}",
                f"{topic} in {place}: {rng.choice(AMOUNTS)} {rng.choice(PEOPLE)} wait for answers",
                f"Why {org} {rng.choice(PAST_VERBS)} {rng.choice(PLANS)}",
            ]
        )
        return text[0].upper() + text[1:]

    def standfirst(self):
        first, second = self.rng.sample(self.sentences, 2)
        return f"{first} {second}" if len(first) + len(second) < 390 else first

    def body(self, topic):
        """Return 600–1,000 words of HTML: paragraphs, one sub-heading and one blockquote."""
        rng, pool = self.rng, len(self.sentences)
        place, when = rng.choice(PLACES), rng.choice(TIMES)
        opening = f"{topic} was back at the centre of attention in {place} {when}."
        target, words = rng.randint(620, 940), len(opening.split()) + 10  # + heading and quote
        paragraphs = [[opening]]
        while words < target:
            if len(paragraphs[-1]) >= rng.randint(3, 6):
                paragraphs.append([])
            index = rng.randrange(pool)
            paragraphs[-1].append(self.sentences[index])
            words += self.lengths[index]
        parts = [f"<p>{' '.join(sentences)}</p>" for sentences in paragraphs]
        count = len(parts)
        parts.insert(
            count // 3 + 1, f"<blockquote><p>“{rng.choice(self.quotes)}.”</p></blockquote>"
        )
        parts.insert(count // 2 + 2, f"<h2>{rng.choice(HEADING_WORDS)}</h2>")
        return "".join(parts)

    def comment(self):
        return " ".join(self.rng.sample(self.remarks, self.rng.choice((1, 1, 2, 2, 3, 4))))


# Phase 2: articles, with their bylines, topics and first revision


def _add_articles(
    *, count, rng, prose, now, years, prefix, sections, authors, topics, images, report
):
    """Insert the articles in chunks; return (id, publish timestamp) of those readers can see."""
    inserter = {m: _Inserter(m) for m in (Article, Byline, TaggedArticle, ArticleRevision)}
    section_weights = list(itertools.accumulate(1 / (r + 1) ** 0.6 for r in range(len(sections))))
    author_weights = list(itertools.accumulate(1 / (r + 1) ** 0.8 for r in range(len(authors))))
    topic_weights = list(itertools.accumulate(1 / (r + 1) ** 0.7 for r in range(len(topics))))
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
        with transaction.atomic():
            ids = _reserve_ids(Article, n)
            for index, pk in enumerate(ids, start=offset):
                status = rng.choices(statuses, cum_weights=status_weights)[0]
                when = _datetime(times[index])
                created = when - timedelta(minutes=rng.uniform(10, 360))
                published_at = when
                if status == "scheduled":
                    status = Article.Status.PUBLISHED
                    published_at = now + timedelta(hours=rng.uniform(1, 240))
                    created = now - timedelta(hours=rng.uniform(1, 72))
                elif status != Article.Status.PUBLISHED:
                    published_at = None
                    created = now - timedelta(days=rng.uniform(0, 30))
                chosen = _distinct(rng, topics, topic_weights, rng.randint(3, 8))
                primary_id, primary = chosen[0]
                section_id, section_name = _pick(rng, sections, section_weights)
                writers = rng.choice((1, 1, 1, 1, 1, 2, 2, 3))
                byline = _distinct(rng, authors, author_weights, writers)
                headline = prose.headline(primary)
                slug = f"{prefix}-{index + 1}-{slugify(headline)}"[:200].rstrip("-")
                article = {
                    "id": pk,
                    "headline": headline,
                    "slug": slug,
                    "standfirst": prose.standfirst(),
                    "body": prose.body(primary),
                    "section_id": section_id,
                    "primary_topic_id": primary_id,
                    "lead_image_id": (
                        rng.choice(images) if images and rng.random() < LEAD_IMAGE_SHARE else None
                    ),
                    "status": status,
                    "published_at": published_at,
                    "comments_open": rng.random() < 0.95,
                    "version": 1,
                    "created_at": created,
                    "updated_at": min(
                        now, (published_at or created) + timedelta(minutes=rng.uniform(0, 90))
                    ),
                }
                rows[Article].append(article)
                rows[Byline] += [
                    {"article_id": pk, "author_id": author_id, "position": position}
                    for position, (author_id, _) in enumerate(byline, start=1)
                ]
                rows[TaggedArticle] += [
                    {"content_object_id": pk, "tag_id": topic_id} for topic_id, _ in chosen
                ]
                rows[ArticleRevision].append(
                    {
                        "article_id": pk,
                        "version": 1,
                        "created_at": article["created_at"],
                        "note": REVISION_NOTE,
                        "data": _snapshot(article, section_name, chosen, byline, primary=primary),
                    }
                )
                if status == Article.Status.PUBLISHED and published_at <= now:
                    published.append((pk, published_at.timestamp()))
            for model, model_rows in rows.items():
                inserter[model].insert(model_rows)
        report.article_ids += ids
        made["articles"] += n
        made["bylines"] += len(rows[Byline])
        made["topic links"] += len(rows[TaggedArticle])
        made["revisions"] += len(rows[ArticleRevision])
    report.counts.update(made)
    return published


def _snapshot(article, section_name, topics, byline, *, primary):
    """Return what revisions.snapshot() would keep for the article, without loading it."""
    published_at = article["published_at"]
    return {
        "headline": article["headline"],
        "slug": article["slug"],
        "standfirst": article["standfirst"],
        "body": article["body"],
        "section": {"id": article["section_id"], "name": section_name},
        "topics": sorted(name for _, name in topics),
        "primary_topic": primary,
        "byline": [name for _, name in byline],
        "status": article["status"],
        "published_at": published_at.isoformat() if published_at else None,
    }


# Phase 3: comments


def _add_comments(*, count, rng, prose, now, published, report):
    """Insert threads of comments on the published articles; return the ids of those with any."""
    if not count or not published:
        report.counts["comments"] = 0
        return []
    inserter, reports = _Inserter(Comment), _Inserter(CommentReport)
    # A few stories draw most of the comments: Pareto weights, capped so that one cannot take all.
    weights = [min(rng.paretovariate(1.2), 400) for _ in published]
    total = sum(weights)
    per_article = [int(count * w / total) for w in weights]
    cumulative = list(itertools.accumulate(weights))
    missing = count - sum(per_article)
    for index in rng.choices(range(len(published)), cum_weights=cumulative, k=missing):
        per_article[index] += 1
    commenters = _commenters(rng, max(50, count // 12))
    commenter_weights = list(
        itertools.accumulate(1 / (r + 1) ** 0.6 for r in range(len(commenters)))
    )
    statuses = [s for s, _ in COMMENT_STATUS_MIX]
    status_weights = list(itertools.accumulate(w for _, w in COMMENT_STATUS_MIX))
    made = {"comments": 0, "comment reports": 0}
    commented = []
    pending = []  # articles (index) whose comments go in the next chunk
    planned = 0
    for index, n in enumerate(per_article):
        if n:
            pending.append(index)
            planned += n
        if pending and (planned >= COMMENT_CHUNK or index == len(per_article) - 1):
            with transaction.atomic():
                ids = iter(_reserve_ids(Comment, planned))
                rows, report_rows = [], []
                for article_index in pending:
                    article_id, published_ts = published[article_index]
                    commented.append(article_id)
                    _thread(
                        rng=rng,
                        prose=prose,
                        now=now,
                        article_id=article_id,
                        published_ts=published_ts,
                        size=per_article[article_index],
                        ids=ids,
                        commenters=commenters,
                        commenter_weights=commenter_weights,
                        statuses=statuses,
                        status_weights=status_weights,
                        rows=rows,
                        report_rows=report_rows,
                    )
                inserter.insert(rows)
                reports.insert(report_rows)
            made["comments"] += len(rows)
            made["comment reports"] += len(report_rows)
            pending, planned = [], 0
    report.counts.update(made)
    return commented


def _thread(
    *,
    rng,
    prose,
    now,
    article_id,
    published_ts,
    size,
    ids,
    commenters,
    commenter_weights,
    statuses,
    status_weights,
    rows,
    report_rows,
):
    """Append one article's comments: top-level ones and replies down to depth 2."""
    # Most comments come in the first hours after publication; none after now.
    span = now.timestamp() - published_ts
    times = sorted(
        published_ts + min(rng.expovariate(1 / 21600), span * rng.random()) for _ in range(size)
    )
    open_to_replies = []  # (id, depth, root id, name) of approved comments above depth 2
    for created_ts in times:
        pk = next(ids)
        name, email, ip_address, user_agent = _pick(rng, commenters, commenter_weights)
        status = rng.choices(statuses, cum_weights=status_weights)[0]
        body = prose.comment()
        parent_id = root_id = None
        depth = 0
        if open_to_replies and rng.random() < REPLY_SHARE:
            # Replies favour the latest comments, as readers answer what they just read.
            parent_id, parent_depth, parent_root, parent_name = open_to_replies[
                -1 - min(int(rng.expovariate(0.3)), len(open_to_replies) - 1)
            ]
            depth, root_id = parent_depth + 1, parent_root or parent_id
            body = f"@{parent_name} {body}"
        created_at = _datetime(created_ts)
        decided = status != Comment.Status.PENDING
        reported = status == Comment.Status.APPROVED and rng.random() < REPORTED_SHARE
        report_count = rng.randint(1, 3) if reported else 0
        rows.append(
            {
                "id": pk,
                "article_id": article_id,
                "parent_id": parent_id,
                "root_id": root_id,
                "depth": depth,
                "name": name,
                "email": email,
                "email_normalised": email.lower(),
                "body": body,
                "body_fingerprint": _fingerprint(body),
                "status": status,
                "created_at": created_at,
                "ip_address": ip_address,
                "user_agent": user_agent,
                "decided_at": (
                    min(now, created_at + timedelta(minutes=rng.uniform(1, 720)))
                    if decided
                    else None
                ),
                "version": 1 if decided else 0,
                "report_count": report_count,
                "is_reported": reported,
            }
        )
        for _ in range(report_count):
            report_rows.append(
                {
                    "comment_id": pk,
                    "reason": rng.choice(REPORT_REASONS),
                    "created_at": min(now, created_at + timedelta(hours=rng.uniform(0.1, 48))),
                }
            )
        if status == Comment.Status.APPROVED and depth < 2:
            open_to_replies.append((pk, depth, root_id, name))


def _commenters(rng, size):
    """Return (name, email, ip address, user agent) for a pool of readers, most active first."""
    pool = []
    for number in range(size):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = rng.choice((f"{first} {last}", f"{first} {last[0]}.", f"{first.lower()}{number}"))
        email = f"{first}.{last}{number}@{rng.choice(EMAIL_DOMAINS)}"
        # Documentation ranges only (RFC 5737, RFC 3849): never anyone's real address.
        if rng.random() < 0.7:
            network = rng.choice(("192.0.2", "198.51.100", "203.0.113"))
            ip_address = f"{network}.{rng.randint(1, 254)}"
        else:
            ip_address = f"2001:db8::{number >> 16:x}:{number & 0xFFFF:x}"
        # Some readers give their address in capitals, which email_normalised folds.
        if rng.random() < 0.05:
            email = email.upper()
        pool.append((name, email, ip_address, rng.choice(USER_AGENTS)))
    return pool


def _fingerprint(body):
    # The generated text is ASCII, where Comment's normalisation comes down to lower case and
    # single spaces; skipping its per-character Unicode work saves about half a minute per million.
    if body.isascii():
        return hashlib.sha256(" ".join(body.lower().split()).encode()).hexdigest()
    return body_fingerprint(body)


# Phase 4: the search index


def _index(article_ids):
    """Write the new articles to the search index, as search.index_article() would one by one."""
    if connection.vendor == "postgresql":
        # search.PG_VECTOR's four %s are headline, standfirst, body text and topic names;
        # PG_SUMMARY_VECTOR's three are the same without the body. The regular expression
        # does what search.plain_text() does for these bodies (they hold no character
        # references).
        topics = (
            "coalesce((SELECT string_agg(t.name, ' ') FROM articles_taggedarticle ta "
            "JOIN articles_topic t ON t.id = ta.tag_id WHERE ta.content_object_id = a.id), '')"
        )
        vector = search.PG_VECTOR % (
            "a.headline",
            "a.standfirst",
            "regexp_replace(a.body, '<[^>]*>', ' ', 'g')",
            topics,
        )
        summary = search.PG_SUMMARY_VECTOR % ("a.headline", "a.standfirst", topics)
        sql = (
            f"UPDATE articles_article a SET search_vector = {vector}, "
            f"search_summary_vector = {summary} WHERE a.id = ANY(%s)"
        )
        for chunk in _chunks(article_ids, INDEX_CHUNK):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [chunk])
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        # The same function search.index_article() uses, callable from SQL.
        connection.connection.create_function(
            "newsroom_plain_text", 1, search.plain_text, deterministic=True
        )
        for chunk in _chunks(article_ids, 500):
            placeholders = ", ".join(["%s"] * len(chunk))
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO articles_search (rowid, headline, standfirst, body, topics) "
                    "SELECT a.id, a.headline, a.standfirst, newsroom_plain_text(a.body), "
                    "coalesce((SELECT group_concat(t.name, ' ') FROM articles_taggedarticle ta "
                    "JOIN articles_topic t ON t.id = ta.tag_id "
                    "WHERE ta.content_object_id = a.id), '') "
                    f"FROM articles_article a WHERE a.id IN ({placeholders})",
                    chunk,
                )


# Writing rows


class _Inserter:
    """Insert rows given as {attname: value}; fields left out get their model default.

    COPY on PostgreSQL, executemany elsewhere. Not bulk_create(): it would overwrite the
    generated created_at times (auto_now_add) and costs a model instance per row.
    """

    def __init__(self, model):
        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.pk = model._meta.pk
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.json = {f.attname for f in self.fields if f.get_internal_type() == "JSONField"}

    def insert(self, rows):
        if not rows:
            return
        fields = ([self.pk] if "id" in rows[0] else []) + self.fields
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Django's cursor wraps psycopg's; COPY needs the real one.
                with cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([self._python(row, f) for f in fields])
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                # The wrapper itself: going through the `connection` proxy per value is slow.
                db = cursor.db
                cursor.executemany(
                    f"INSERT INTO {self.table} ({columns}) VALUES ({placeholders})",
                    [[f.get_db_prep_save(self._value(row, f), db) for f in fields] for row in rows],
                )

    def _value(self, row, f):
        return row.get(f.attname, self.defaults.get(f.attname))

    def _python(self, row, f):
        value = self._value(row, f)
        return json.dumps(value) if f.attname in self.json else value


def _reserve_ids(model, count):
    """Return `count` new primary keys for the model's table; call inside the inserting
    transaction."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        # SQLite: the transaction (BEGIN IMMEDIATE in settings) already holds the write lock, so
        # nobody else can take these numbers. AUTOINCREMENT never reuses a deleted row's id, so
        # start above sqlite_sequence as well as above the rows left.
        cursor.execute(
            f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"coalesce((SELECT max(id) FROM {table}), 0))",
            [table],
        )
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


# Small helpers


def _datetime(timestamp):
    return datetime.fromtimestamp(round(timestamp, 6), UTC)


def _pick(rng, items, cum_weights):
    return rng.choices(items, cum_weights=cum_weights)[0]


def _distinct(rng, items, cum_weights, k):
    """Return k different items, in the order drawn, favouring the heavier ones."""
    k = min(k, len(items))
    chosen = {}
    while len(chosen) < k:
        item = _pick(rng, items, cum_weights)
        chosen.setdefault(item[0], item)
    return list(chosen.values())


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]
