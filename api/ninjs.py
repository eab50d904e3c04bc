"""Stories as IPTC ninjs 2.1 (News in JSON), the format agencies and Superdesk speak.

ninjs 2.1 (approved by the IPTC Standards Committee in May 2023) rather than 3.x: it is the
2.x line partners' tools read today, and its schema is vendored in tests/api/fixtures/, which
every document the API serves is validated against.

Each story's ``uri`` is its ninjs address on the site's public host (NEWSROOM_BASE_URL), not
on whatever host a request came in by, so the same story always has the same identifier.
Links (``href``s, people's and subjects' pages) follow the request, as the pages' own do.
"""

import datetime

from django.conf import settings
from django.db.models import F, Prefetch, Window
from django.db.models.functions import RowNumber

from articles.models import Article, Byline, LiveEntry
from richtext.plain import plain_text

NINJS_VERSION = "2.1"
SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"
STANDARD = {"name": "ninjs", "version": NINJS_VERSION, "schema": SCHEMA_URI}
CONTENT_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp"}
# A live coverage's ninjs carries its newest entries, each a ninjs item of its own; the rest
# are at /api/v1/articles/<id>/entries/ and each at its own ninjs address.
ENTRIES_IN_COVERAGE = 20


def article_path(pk):
    return f"/api/v1/ninjs/articles/{pk}/"


def entry_path(pk):
    return f"/api/v1/ninjs/entries/{pk}/"


def story_uri(path):
    return settings.NEWSROOM_BASE_URL + path


def timestamp(moment):
    """Return an RFC 3339 date-time in UTC, as ninjs's ``date-time`` properties take."""
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def language():
    # BCP 47 writes the region in capitals: "en-gb" is Django's spelling of "en-GB".
    base, _, region = settings.LANGUAGE_CODE.partition("-")
    return f"{base}-{region.upper()}" if region else base


def articles_for_ninjs():
    """Return the public articles with what their ninjs shows, in a fixed number of queries."""
    return (
        Article.objects.published()
        .select_related("section", "primary_topic", "lead_image")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author")), "topics"
        )
    )


def entries_for_ninjs():
    """Return the public entries of public live coverages, with their author and story."""
    return (
        LiveEntry.objects.public()
        .filter(Article.published_condition(via="article"))
        .select_related("author", "article__section")
    )


def newest_entries(articles):
    """Return {article id: its newest public entries} for the live ones among ``articles``,
    ENTRIES_IN_COVERAGE each, in one query however many coverages; none if none is live."""
    live = {article.pk: article for article in articles if article.is_live}
    if not live:
        return {}
    newest = Window(
        RowNumber(),
        partition_by=[F("article_id")],
        order_by=[F("published_at").desc(), F("pk").desc()],
    )
    entries = (
        LiveEntry.objects.public()
        .filter(article_id__in=live)
        .select_related("author")
        .annotate(newness=newest)
        .filter(newness__lte=ENTRIES_IN_COVERAGE)
        .order_by("article_id", "-published_at", "-pk")
    )
    found = {}
    for entry in entries:
        entry.article = live[entry.article_id]  # loaded already, section and all
        found.setdefault(entry.article_id, []).append(entry)
    return found


def _body(html):
    text = plain_text(html)
    return {
        "role": "main",
        "contenttype": "text/html",
        "value": html,
        "charcount": len(text),
        "wordcount": len(text.split()),
    }


def _picture(article, absolute):
    image = article.lead_image
    renditions = image.stored_renditions() or [image.original()]
    picture = {
        "name": "leadimage",
        "uri": story_uri(f"/api/v1/images/{image.pk}/"),
        "type": "picture",
        "descriptions": [{"role": "alt", "value": image.alt_text}],
        "renditions": [
            {
                "name": f"{rendition.spec}-{rendition.format}",
                "href": absolute(rendition.url),
                "contenttype": CONTENT_TYPES.get(rendition.format, "image/jpeg"),
                "width": rendition.width,
                "height": rendition.height,
            }
            for rendition in renditions
        ],
    }
    if caption := article.lead_caption:
        picture["descriptions"].append({"role": "caption", "value": caption})
    if image.credit:
        picture["by"] = image.credit
        picture["copyrightholder"] = image.credit
    return picture


def article_document(article, *, absolute, entries=()):
    """Return the ninjs of a public article loaded by ``articles_for_ninjs()``.

    ``absolute`` turns a path into an absolute address (``request.build_absolute_uri``);
    ``entries`` are a live coverage's newest entries (newest_entries()), carried along.
    """
    authors = [byline.author for byline in article.bylines.all()]
    topics = sorted(article.topics.all(), key=lambda topic: topic.pk != article.primary_topic_id)
    document = {
        "uri": story_uri(article_path(article.pk)),
        "standard": STANDARD,
        "type": "text",
        "profile": "live-coverage" if article.is_live else "article",
        "version": str(article.version),
        "firstcreated": timestamp(article.created_at),
        "versioncreated": timestamp(article.modified_at),
        "contentcreated": timestamp(article.published_at),
        "pubstatus": "usable",
        "language": language(),
        "slugline": article.slug,
        "headlines": [{"role": "main", "value": article.headline}],
        "bodies": [_body(article.body)],
        "altids": [{"role": "canonical-url", "value": absolute(article.get_absolute_url())}],
    }
    if article.standfirst:
        document["descriptions"] = [{"role": "summary", "value": article.standfirst}]
    if authors:
        document["by"] = ", ".join(author.name for author in authors)
        document["people"] = [
            {"name": author.name, "rel": "author", "uri": absolute(author.get_absolute_url())}
            for author in authors
        ]
    if topics:
        document["subjects"] = [
            {
                "name": topic.name,
                "rel": "primary" if topic.pk == article.primary_topic_id else "about",
                "uri": absolute(topic.get_absolute_url()),
            }
            for topic in topics
        ]
    if article.embargo_until:
        document["embargoed"] = timestamp(article.embargo_until)
    if article.expires_at:
        document["expires"] = timestamp(article.expires_at)
    associations = [_picture(article, absolute)] if article.lead_image else []
    associations += [
        {"name": f"entry-{entry.pk}", **entry_document(entry, absolute=absolute)}
        for entry in entries
    ]
    if associations:
        document["associations"] = associations
    return document


def entry_document(entry, *, absolute):
    """Return the ninjs of a public live entry loaded by ``entries_for_ninjs()``."""
    document = {
        "uri": story_uri(entry_path(entry.pk)),
        "standard": STANDARD,
        "type": "text",
        "profile": "live-entry",
        "version": str(entry.version),
        "firstcreated": timestamp(entry.published_at),
        "versioncreated": timestamp(max(entry.published_at, entry.updated_at)),
        "pubstatus": "usable",
        "language": language(),
        "bodies": [_body(entry.body)],
        "altids": [{"role": "canonical-url", "value": absolute(entry.get_absolute_url())}],
        # The coverage the entry belongs to, by reference.
        "associations": [
            {"name": "coverage", "uri": story_uri(article_path(entry.article_id)), "type": "text"}
        ],
    }
    if entry.title:
        document["headlines"] = [{"role": "main", "value": entry.title}]
    if entry.author:
        document["by"] = entry.author.name
        document["people"] = [{"name": entry.author.name, "rel": "author"}]
    return document


def canceled_document(article_id, *, when):
    """Return the ninjs that tells a partner a story is gone: withdrawn, or expired."""
    return {
        "uri": story_uri(article_path(article_id)),
        "standard": STANDARD,
        "type": "text",
        "versioncreated": timestamp(when),
        "pubstatus": "canceled",
    }
