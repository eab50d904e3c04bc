"""Full-text search: keep the index up to date, query it, and highlight what matched.

SQLite keeps the index in the FTS5 table ``articles_search`` (rowid = article id); PostgreSQL
keeps a ``search_vector`` column on ``articles_article``. Both are made by migration 0004 and are
not part of the model, so all access here is raw SQL. Results always pass through
``Article.objects.published()``: the index holds drafts too.
"""

import html
import re
import unicodedata

from django.db import connection
from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from .models import Article, Topic

MAX_QUERY_LENGTH = 200
SNIPPET_WORDS = 30
# Letters and digits, as FTS5's unicode61 tokenizer splits words (the underscore separates).
WORD = re.compile(r"[^\W_]+")

# Headline 10, standfirst 4, body 1, topics 2; bm25() is lower for better matches.
SQLITE_RANK = "bm25(articles_search, 10.0, 4.0, 1.0, 2.0)"
# PostgreSQL's text search configuration: 'simple' with accents removed (migration 0007), so
# that "sao paulo" finds "São Paulo", as FTS5's remove_diacritics does on SQLite.
PG_CONFIG = "newsroom_search"
PG_VECTOR = (
    f"setweight(to_tsvector('{PG_CONFIG}', %s), 'A') || "
    f"setweight(to_tsvector('{PG_CONFIG}', %s), 'B') || "
    f"setweight(to_tsvector('{PG_CONFIG}', %s), 'C') || "
    f"setweight(to_tsvector('{PG_CONFIG}', %s), 'B')"
)
INDEXED_FIELDS = {"headline", "standfirst", "body"}


def plain_text(body):
    """Return an HTML body as plain text, with words in separate elements kept apart."""
    return " ".join(html.unescape(strip_tags((body or "").replace("<", " <"))).split())


def _fold(word):
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def query_words(query):
    """Return the words of a reader's query, capped in length, without any search syntax."""
    return WORD.findall(query[:MAX_QUERY_LENGTH])


# Keeping the index up to date


def index_article(article):
    """Write one article's headline, standfirst, body text and topic names to the index."""
    topics = " ".join(
        Topic.objects.filter(tagged_articles__content_object=article.pk).values_list(
            "name", flat=True
        )
    )
    fields = [article.headline, article.standfirst, plain_text(article.body), topics]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM articles_search WHERE rowid = %s", [article.pk])
            cursor.execute(
                "INSERT INTO articles_search (rowid, headline, standfirst, body, topics) "
                "VALUES (%s, %s, %s, %s, %s)",
                [article.pk, *fields],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE articles_article SET search_vector = {PG_VECTOR} WHERE id = %s",
                [*fields, article.pk],
            )


def index_article_by_id(article_id):
    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        index_article(article)


def unindex_article(article_id):
    """Remove a deleted article from the index (PostgreSQL's column goes with the row)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM articles_search WHERE rowid = %s", [article_id])


def on_article_saved(sender, instance, update_fields=None, **kwargs):
    # Saves that only touch counters (comment_count) leave the indexed text alone.
    if update_fields is None or INDEXED_FIELDS & set(update_fields):
        index_article(instance)


def on_article_deleted(sender, instance, **kwargs):
    unindex_article(instance.pk)


def on_tagging_changed(sender, instance, **kwargs):
    index_article_by_id(instance.content_object_id)


def on_topic_saved(sender, instance, created, **kwargs):
    if not created:
        for article in Article.objects.filter(topics=instance):
            index_article(article)


# Querying


def search_articles(query, *, section=None, date_from=None, date_to=None):
    """Return the published articles matching the query, best match first, newest on a tie."""
    words = query_words(query)
    articles = Article.objects.published()
    if section:
        articles = articles.filter(section__slug=section)
    if date_from:
        articles = articles.filter(published_at__date__gte=date_from)
    if date_to:
        articles = articles.filter(published_at__date__lte=date_to)
    if not words:
        return articles.none()
    if connection.vendor == "postgresql":
        tsquery = f"websearch_to_tsquery('{PG_CONFIG}', %s)"
        text = query[:MAX_QUERY_LENGTH].replace("\x00", "")
        articles = articles.alias(
            is_match=RawSQL(f"articles_article.search_vector @@ {tsquery}", [text], BooleanField())
        ).filter(is_match=True)
        rank = RawSQL(f"-ts_rank(articles_article.search_vector, {tsquery})", [text], FloatField())
    else:
        # Every word quoted, so that the reader's operators and punctuation are plain text.
        match = " ".join(f'"{word}"' for word in words)
        articles = articles.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM articles_search WHERE articles_search MATCH %s", [match]
            )
        )
        rank = RawSQL(
            f"SELECT {SQLITE_RANK} FROM articles_search "
            "WHERE articles_search MATCH %s AND rowid = articles_article.id",
            [match],
            FloatField(),
        )
    return articles.for_listing().annotate(rank=rank).order_by("rank", "-published_at", "-pk")


def snippet_html(article, query):
    """Return a short, escaped passage of the article with the query's words in <mark>."""
    terms = {_fold(word) for word in query_words(query)}
    for text in (article.standfirst, plain_text(article.body), article.headline):
        tokens = list(WORD.finditer(text))
        hits = [i for i, token in enumerate(tokens) if _fold(token.group()) in terms]
        if hits:
            break
    else:
        return escape(article.excerpt)
    first = max(0, hits[0] - SNIPPET_WORDS // 3)
    last = min(len(tokens), first + SNIPPET_WORDS) - 1
    parts = ["…" if first else ""]
    position = tokens[first].start()
    for i in range(first, last + 1):
        token = tokens[i]
        parts.append(escape(text[position : token.start()]))
        word = escape(token.group())
        parts.append(f"<mark>{word}</mark>" if i in hits else word)
        position = token.end()
    parts.append("…" if last < len(tokens) - 1 else escape(text[position:]))
    # Every piece above is escaped; only the marks are markup.
    return mark_safe("".join(parts))
