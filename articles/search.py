"""Full-text search: keep the index up to date, query it, and highlight what matched.

SQLite keeps the index in the FTS5 table ``articles_search`` (rowid = article id); PostgreSQL
keeps two columns on ``articles_article``: ``search_vector`` (headline, standfirst, body and
topic names; migration 0004) and ``search_summary_vector`` (the same without the body;
migration 0011). Neither store is part of the model, so all access here is raw SQL. Results
always pass through ``Article.objects.published()``: the index holds drafts too.
"""

import functools
import html
import itertools
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from richtext.plain import fold, plain_text

from .models import Article, Topic
from .search_syntax import WORD, parse_query

MAX_QUERY_LENGTH = 200
# A search finds at most this many stories (50 pages of 20); see search_articles().
MAX_RESULTS = 1000
SNIPPET_WORDS = 30

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
# The summary: PG_VECTOR without the body. Its three %s are headline, standfirst, topic names.
PG_SUMMARY_VECTOR = (
    f"setweight(to_tsvector('{PG_CONFIG}', %s), 'A') || "
    f"setweight(to_tsvector('{PG_CONFIG}', %s), 'B') || "
    f"setweight(to_tsvector('{PG_CONFIG}', %s), 'B')"
)
# The fields of Article the index holds; a save touching none of them leaves it alone.
INDEXED_FIELDS = {"headline", "standfirst", "body"}


# Keeping the index up to date


@dataclass(frozen=True)
class IndexEntry:
    """What the index keeps of one article: its words, by field."""

    pk: int
    headline: str
    standfirst: str
    body: str  # the sanitised HTML; the index holds its plain text
    topics: str  # the topic names, space-separated

    @classmethod
    def of(cls, article, *, topics):
        """Return the entry for an article (saved or about to be) with these topic names."""
        return cls(article.pk, article.headline, article.standfirst, article.body, " ".join(topics))


def entry_for(article):
    """Return the article's IndexEntry, reading its topic names from the database."""
    topics = Topic.objects.filter(tagged_articles__content_object=article.pk).values_list(
        "name", flat=True
    )
    return IndexEntry.of(article, topics=topics)


def index_entries(entries):
    """Write these articles' words to the index, in one statement per database.

    One article's save and fill_database's thousand-article chunks take the same path.
    """
    rows = [(e.pk, e.headline, e.standfirst, plain_text(e.body), e.topics) for e in entries]
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            placeholders = ", ".join(["%s"] * len(rows))
            cursor.execute(
                f"DELETE FROM articles_search WHERE rowid IN ({placeholders})",
                [row[0] for row in rows],
            )
            cursor.executemany(
                "INSERT INTO articles_search (rowid, headline, standfirst, body, topics) "
                "VALUES (%s, %s, %s, %s, %s)",
                rows,
            )
        elif connection.vendor == "postgresql":
            vector = PG_VECTOR % ("v.headline", "v.standfirst", "v.body", "v.topics")
            summary = PG_SUMMARY_VECTOR % ("v.headline", "v.standfirst", "v.topics")
            cursor.execute(
                f"UPDATE articles_article AS a SET search_vector = {vector}, "
                f"search_summary_vector = {summary} "
                "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[]) "
                "AS v(id, headline, standfirst, body, topics) WHERE a.id = v.id",
                [list(column) for column in zip(*rows, strict=True)],
            )


def index_article(article):
    """Write one article's headline, standfirst, body text and topic names to the index."""
    index_entries([entry_for(article)])


def index_article_by_id(article_id):
    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        index_article(article)


def unindex_article(article_id):
    """Remove a deleted article from the index (PostgreSQL's columns go with the row)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM articles_search WHERE rowid = %s", [article_id])


# Querying

# The reader's query, parsed once (search_syntax.py), as PostgreSQL reads it.
PG_TSQUERY = f"to_tsquery('{PG_CONFIG}', %s)"


def _parsed(query):
    """Return a reader's query, capped in length, parsed."""
    return parse_query(query[:MAX_QUERY_LENGTH])


def search_articles(query, *, section=None, date_from=None, date_to=None):
    """Return the published articles matching the query, best match first, newest on a tie.

    On PostgreSQL these are at most MAX_RESULTS stories; see _pg_found() for which ones.
    """
    parsed = _parsed(query)
    articles = Article.objects.published()
    if section:
        articles = articles.filter(section__slug=section)
    if date_from:
        articles = articles.filter(published_at__date__gte=date_from)
    if date_to:
        articles = articles.filter(published_at__date__lte=date_to)
    # No slug holds a NUL, and PostgreSQL refuses one in a query (a 500): such a filter finds none.
    # Only words to leave out find nothing: there is nothing to leave them out from.
    if not parsed.groups or "\x00" in (section or ""):
        return articles.none()
    if connection.vendor == "postgresql":
        text, tsquery = parsed.pg_tsquery(), PG_TSQUERY
        summary = "coalesce(articles_article.search_summary_vector, ''::tsvector)"
        return (
            articles.filter(pk__in=_pg_found(articles, parsed))
            .for_listing()
            .annotate(
                # Headline, standfirst or topic matches first, then body-only ones.
                in_summary=RawSQL(f"{summary} @@ {tsquery}", [text], BooleanField()),
                rank=RawSQL(f"ts_rank({summary}, {tsquery})", [text], FloatField()),
            )
            .order_by("-in_summary", "-rank", "-published_at", "-pk")
        )
    match = parsed.fts5_match()
    articles = articles.filter(
        pk__in=RawSQL("SELECT rowid FROM articles_search WHERE articles_search MATCH %s", [match])
    )
    rank = RawSQL(
        f"SELECT {SQLITE_RANK} FROM articles_search "
        "WHERE articles_search MATCH %s AND rowid = articles_article.id",
        [match],
        FloatField(),
    )
    return articles.for_listing().annotate(rank=rank).order_by("rank", "-published_at", "-pk")


def _pg_found(articles, parsed):
    """Return SQL for the ids of the (at most MAX_RESULTS) stories a PostgreSQL search finds.

    Ranking every match does not scale: a topic word such as "housing" is in two thirds of
    100,000 stories, and each full vector is kilobytes stored out of line, so testing or
    ranking a row against it means fetching and decompressing it; so does counting them all.
    Instead a search takes the newest MAX_RESULTS stories whose headline, standfirst or topics
    match, tested against the small summary vector kept in the row (the planner walks the
    newest-first index when many stories match, the summary's GIN index when few do). Only
    when there are fewer than that does it add the newest stories that match in the body
    only. The caller ranks these few: summary matches first, by ts_rank on the summary
    (headline above standfirst), newest on a tie. A word in fewer than MAX_RESULTS stories
    finds them all, as before; a very common one finds its MAX_RESULTS best recent stories
    (50 pages), and the page counts those.

    The body tier reads the query through a sub-select, which hides it from the planner's
    statistics: so the full vector is only ever searched through its GIN index (a bitmap, no
    vector is read), never tested row by row in a newest-first walk or a sequential scan,
    plans whose cost the planner underestimates for vectors stored out of line.
    """
    text, tsquery = parsed.pg_tsquery(), PG_TSQUERY
    in_summary = f"articles_article.search_summary_vector @@ {tsquery}"
    in_body = f"articles_article.search_vector @@ (SELECT {tsquery})"
    summary_tier = articles.alias(in_summary=RawSQL(in_summary, [text], BooleanField())).filter(
        in_summary=True
    )
    if parsed.excluded or parsed.has_phrases:
        # A summary match is a full match for words joined by & and |, not for "-word" or a
        # phrase that spans fields: check the full vector too (in these few rows only).
        summary_tier = summary_tier.alias(
            in_full=RawSQL(f"articles_article.search_vector @@ {tsquery}", [text], BooleanField())
        ).filter(in_full=True)
    body_tier = articles.alias(
        not_in_summary=RawSQL(f"({in_summary}) IS NOT TRUE", [text], BooleanField()),
        in_body=RawSQL(in_body, [text], BooleanField()),
    ).filter(not_in_summary=True, in_body=True)
    newest = ("-published_at", "-pk")
    first_sql, first_params = (
        summary_tier.order_by(*newest).values("pk")[:MAX_RESULTS].query.sql_with_params()
    )
    then_sql, then_params = (
        body_tier.order_by(*newest).values("pk")[:MAX_RESULTS].query.sql_with_params()
    )
    # LIMIT 0 when the first tier is full: the body tier is then never run.
    return RawSQL(
        f"WITH first_tier AS MATERIALIZED ({first_sql}) "
        "SELECT * FROM first_tier UNION ALL "
        f"(SELECT * FROM ({then_sql}) AS body_tier "
        "LIMIT GREATEST(%s - (SELECT count(*) FROM first_tier), 0))",
        [*first_params, *then_params, MAX_RESULTS],
    )


class SearchResults:
    """The stories a search found, for the paginator: ids in order, articles a page at a time.

    Counting is free (the ids are in memory), and a page is one query by primary key. Notes
    say what of the query was ignored.
    """

    def __init__(self, ids, notes=()):
        self.ids = ids
        self.notes = notes

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        ids = self.ids[index] if isinstance(index, slice) else [self.ids[index]]
        if not ids:
            return []
        found = {a.pk: a for a in Article.objects.published().for_listing().filter(pk__in=ids)}
        articles = [found[pk] for pk in ids if pk in found]
        return articles if isinstance(index, slice) else articles[0]


def search_results(query, **filters):
    """Return what search_articles() finds as SearchResults, in one query."""
    found = search_articles(query, **filters).values_list("pk", flat=True)[:MAX_RESULTS]
    return SearchResults(list(found), _parsed(query).notes)


@functools.lru_cache(maxsize=256)
def _folded_terms(query):
    # Only the words searched for: a word the reader left out is not what they looked for.
    return frozenset(fold(word) for word in _parsed(query).words)


def _texts(article):
    yield article.standfirst
    yield plain_text(article.body)  # only made when the standfirst has no match
    yield article.headline


def _first_match(texts, terms):
    """Return (text, its words up to the first match, the rest of its words), or None.

    The words are read only as far as the first match, each folded only as far as needed.
    """
    for text in texts:
        words = WORD.finditer(text)
        tokens = []
        for token in words:
            tokens.append(token)
            if fold(token.group()) in terms:
                return text, tokens, words
    return None


def snippet_html(article, query):
    """Return a short, escaped passage of the article with the words searched for in <mark>."""
    terms = _folded_terms(query)
    found = _first_match(_texts(article), terms)
    if found is None:
        return escape(article.excerpt)
    text, tokens, words = found
    # The passage starts a few words before the first match; read on to its end, and one word
    # further to know whether the text goes on.
    first = max(0, len(tokens) - 1 - SNIPPET_WORDS // 3)
    tokens.extend(itertools.islice(words, first + SNIPPET_WORDS + 1 - len(tokens)))
    last = min(len(tokens), first + SNIPPET_WORDS) - 1
    more = last < len(tokens) - 1
    parts = ["…" if first else ""]
    position = tokens[first].start()
    for token in tokens[first : last + 1]:
        if fold(token.group()) in terms:
            parts.append(html.escape(text[position : token.start()]))
            parts.append(f"<mark>{html.escape(token.group())}</mark>")
            position = token.end()
    parts.append(html.escape(text[position : tokens[last].end() if more else len(text)]))
    parts.append("…" if more else "")
    # Every piece above is escaped (html.escape, as django.utils.html.escape); only the marks
    # are markup.
    return mark_safe("".join(parts))
