"""Ingest: a partner's ninjs text item becomes a draft in review, never a published story.

Everything is checked before anything is written, and the writes are one transaction: a bad
item stores nothing, and the answer names the field at fault and why. The same ``uri`` and
``version`` twice is stored once; a newer version updates the draft until an editor has
published it, after which the story is the newsroom's and the item is refused (409).
"""

import hashlib
import html
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from rest_framework import status
from rest_framework.exceptions import ValidationError

from articles import services
from articles.models import Article, Author, Byline, Section, Topic
from articles.workflow import MOVES, State
from richtext.plain import plain_text
from richtext.sanitize import sanitize_body

# Drafts an editor has not taken on yet: what a newer version may still replace.
OPEN_STATES = {State.DRAFT, State.REVIEW}
# A new item goes where a writer's finished draft goes: the workflow's own move to review.
ARRIVES_AS = State.REVIEW
assert (State.DRAFT, ARRIVES_AS) in MOVES

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
_VERSION = re.compile(r"^\d{1,9}(\.\d{1,9}){0,3}$")
_WORDY = re.compile(r"\w")
MAX_TOPICS = 20
MAX_AUTHORS = 10


class Refused(Exception):
    """The item cannot be taken as it stands (409)."""


@dataclass
class Outcome:
    result: str  # "created", "updated" or "unchanged"
    article: Article
    uri: str
    version: str
    status: int = status.HTTP_200_OK

    def answer(self):
        return {
            "result": self.result,
            "id": self.article.pk,
            "uri": self.uri,
            "version": self.version,
            "state": self.article.status,
        }


@dataclass
class Item:
    """What a ninjs item says, checked."""

    uri: str
    version: str
    headline: str
    body: str
    standfirst: str
    authors: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    embargo_until: object = None


def _text(errors, name, value, *, max_length, required=False):
    """Return ``value`` if it is text the database can keep, else note why and return ""."""
    if value is None:
        if required:
            errors[name] = "This field is required."
        return ""
    if not isinstance(value, str):
        errors[name] = "Must be a string."
        return ""
    if "\x00" in value:
        errors[name] = "Must not contain NUL characters."
        return ""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        errors[name] = "Must be valid Unicode (no lone surrogates)."
        return ""
    if len(value) > max_length:
        errors[name] = f"At most {max_length} characters."
        return ""
    if required and not value.strip():
        errors[name] = "Must not be empty."
        return ""
    return value


def _objects(errors, payload, name):
    """Return the list of objects under ``name`` (empty if absent), or note why not."""
    value = payload.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        errors[name] = "Must be a list of objects."
        return []
    return value


def _pick(items, *, role=None, contenttype=None):
    """Return the item of this role or content type if one has it, else the first."""
    for item in items:
        if (role and item.get("role") == role) or (
            contenttype and item.get("contenttype") == contenttype
        ):
            return item
    return items[0] if items else None


def _body(errors, payload):
    bodies = _objects(errors, payload, "bodies")
    chosen = _pick(bodies, contenttype="text/html")
    if chosen is None:
        return ""
    value = _text(errors, "bodies", chosen.get("value"), max_length=200_000, required=True)
    if chosen.get("contenttype") == "text/plain":
        # Plain text: each blank-line-separated part a paragraph, nothing taken as markup.
        parts = [part.strip() for part in re.split(r"\n\s*\n", value) if part.strip()]
        value = "".join(f"<p>{html.escape(part)}</p>" for part in parts)
    return sanitize_body(value)


def _names(errors, name, values, *, limit, max_length):
    names = []
    for value in values:
        text = " ".join(_text(errors, name, value, max_length=max_length).split())
        if name in errors:
            return []
        if not _WORDY.search(text):
            errors[name] = "Each name needs a letter or a digit."
            return []
        if text.casefold() not in {n.casefold() for n in names}:
            names.append(text)
    if len(names) > limit:
        errors[name] = f"At most {limit}."
        return []
    return names


def _authors(errors, payload):
    by = _text(errors, "by", payload.get("by"), max_length=500)
    found = [part for part in re.split(r",|\band\b", by) if part.strip()] if by else []
    people = _objects(errors, payload, "people")
    found += [
        person.get("name")
        for person in people
        if person.get("rel") in (None, "author", "creator") and person.get("name") is not None
    ]
    return _names(errors, "by" if by else "people", found, limit=MAX_AUTHORS, max_length=120)


def _embargo(errors, payload):
    raw = _text(errors, "embargoed", payload.get("embargoed"), max_length=64)
    if not raw:
        return None
    try:
        moment = parse_datetime(raw)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        errors["embargoed"] = "A date-time with its offset, e.g. 2026-12-03T18:00:00Z."
        return None
    return moment


def parse_item(payload):
    """Return the checked Item, or raise ValidationError naming each field at fault."""
    if not isinstance(payload, dict):
        raise ValidationError({"item": "Must be a ninjs object."})
    errors = {}
    uri = _text(errors, "uri", payload.get("uri"), max_length=500, required=True)
    if uri and not _URI.match(uri):
        errors["uri"] = "Must be a URI, e.g. urn:agency:story:123."
    version = _text(errors, "version", payload.get("version"), max_length=40, required=True)
    if version and not _VERSION.match(version):
        errors["version"] = 'Must be a version number in a string, e.g. "3" or "1.2".'
    kind = payload.get("type", "text")
    if kind != "text":
        errors["type"] = "Only text items are taken."
    pubstatus = payload.get("pubstatus", "usable")
    if pubstatus != "usable":
        errors["pubstatus"] = "Only usable items are taken."
    headlines = _objects(errors, payload, "headlines")
    chosen = _pick(headlines, role="main")
    headline = ""
    if chosen is None and "headlines" not in errors:
        errors["headlines"] = "A headline is required."
    elif chosen is not None:
        headline = " ".join(
            _text(errors, "headlines", chosen.get("value"), max_length=200, required=True).split()
        )
        if not headline and "headlines" not in errors:
            errors["headlines"] = "The headline is empty."
    body = _body(errors, payload)
    descriptions = _objects(errors, payload, "descriptions")
    summary = _pick(descriptions, role="summary")
    standfirst = ""
    if summary is not None:
        standfirst = _text(errors, "descriptions", summary.get("value"), max_length=400)
    standfirst = " ".join(standfirst.split()) or plain_text(body)[:400]
    subjects = _objects(errors, payload, "subjects")
    topics = _names(
        errors,
        "subjects",
        [subject.get("name") for subject in subjects if subject.get("name") is not None],
        limit=MAX_TOPICS,
        max_length=100,
    )
    authors = _authors(errors, payload)
    embargo_until = _embargo(errors, payload)
    if errors:
        raise ValidationError(errors)
    return Item(
        uri=uri,
        version=version,
        headline=headline,
        body=body,
        standfirst=standfirst,
        authors=authors,
        topics=topics,
        embargo_until=embargo_until,
    )


def _version_key(version):
    return tuple(int(part) for part in version.split("."))


def _section():
    """Return the section ingested drafts are filed in (editors move them on)."""
    sections = Section.objects.order_by("position", "pk")
    if slug := settings.API_INGEST_SECTION:
        sections = sections.filter(slug=slug)
    found = sections.first()
    if found is None:
        raise ValidationError({"section": "The newsroom has no section to file the item in."})
    return found


def _author(name):
    found = Author.objects.filter(name__iexact=name).first()
    if found:
        return found
    base = slugify(name)[:100] or "author"
    slug, n = base, 1
    while Author.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Author.objects.create(name=name, slug=slug)


def _topic(name):
    return Topic.objects.filter(name__iexact=name).first() or Topic.objects.create(name=name)


def _fill(article, item):
    article.headline = item.headline
    article.body = item.body
    article.standfirst = item.standfirst
    article.embargo_until = item.embargo_until


def _rows(article, item):
    def save_rows():
        article.topics.set([_topic(name) for name in item.topics])
        Byline.objects.filter(article=article).delete()
        for position, name in enumerate(item.authors, start=1):
            Byline.objects.create(article=article, author=_author(name), position=position)

    return save_rows


def _slug(item):
    # The uri's hash keeps two agencies' "Breaking news" apart, and one item's slug stable.
    suffix = hashlib.sha256(item.uri.encode()).hexdigest()[:10]
    return f"{slugify(item.headline)[:150].strip('-') or 'item'}-{suffix}"


def ingest_item(*, payload, key):
    """Check the item, then store it (or not) and say what became of it."""
    item = parse_item(payload)
    try:
        with transaction.atomic():
            return _store(item, key)
    except IntegrityError:
        # The same uri sent twice at once: the other request stored it.
        raise Refused("This item is being stored by another request; send it again.") from None


def _store(item, key):
    from .models import IngestedItem

    known = IngestedItem.objects.select_for_update().filter(uri=item.uri).first()
    if known is None:
        article = Article(section=_section(), status=ARRIVES_AS, slug=_slug(item))
        _fill(article, item)
        services.article_save(article=article, user=None, save_rows=_rows(article, item))
        IngestedItem.objects.create(uri=item.uri, version=item.version, article=article, key=key)
        return Outcome("created", article, item.uri, item.version, status.HTTP_201_CREATED)
    article = Article.objects.select_for_update().select_related("section").get(pk=known.article_id)
    if _version_key(item.version) == _version_key(known.version):
        return Outcome("unchanged", article, item.uri, known.version)
    if _version_key(item.version) < _version_key(known.version):
        raise Refused(f"Version {item.version} is older than the stored {known.version}.")
    if article.status not in OPEN_STATES:
        raise Refused("An editor has published this story: it is no longer updated by ingest.")
    before = Article.objects.get(pk=article.pk)
    _fill(article, item)
    services.article_save(
        article=article,
        user=None,
        before=before,
        before_url=before.get_absolute_url(),
        save_rows=_rows(article, item),
    )
    known.version = item.version
    known.key = key
    known.save(update_fields=["version", "key", "updated_at"])
    return Outcome("updated", article, item.uri, item.version)
