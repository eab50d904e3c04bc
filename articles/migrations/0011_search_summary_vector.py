"""A second, small search vector on PostgreSQL: what a story is about, for fast ranking.

``search_summary_vector`` holds the headline (weight A), the standfirst and the topic names
(weight B), without the body. It is a few hundred bytes, so it stays in the table row, where
the full ``search_vector`` (mostly body, several kilobytes) is stored out of line and must be
fetched and decompressed for every row that is tested against it. Search ranks and finds its
first tier with this small vector (see articles/search.py); it has a GIN index of its own.

SQLite needs nothing: its FTS5 table already keeps headline, standfirst and body apart.
"""

from django.db import migrations

CONFIG = "newsroom_search"
TOPICS = (
    "coalesce((SELECT string_agg(t.name, ' ') FROM articles_taggedarticle ta "
    "JOIN articles_topic t ON t.id = ta.tag_id WHERE ta.content_object_id = a.id), '')"
)


def add_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE articles_article ADD COLUMN search_summary_vector tsvector")
        # One statement for every row: the summary needs no body text, so SQL can build it.
        cursor.execute(
            "UPDATE articles_article a SET search_summary_vector = "
            f"setweight(to_tsvector('{CONFIG}', a.headline), 'A') || "
            f"setweight(to_tsvector('{CONFIG}', a.standfirst), 'B') || "
            f"setweight(to_tsvector('{CONFIG}', {TOPICS}), 'B')"
        )
        cursor.execute(
            "CREATE INDEX article_search_summary_idx ON articles_article "
            "USING GIN (search_summary_vector)"
        )


def drop_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS article_search_summary_idx")
        cursor.execute("ALTER TABLE articles_article DROP COLUMN IF EXISTS search_summary_vector")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_topic_article_count"),
    ]

    operations = [
        migrations.RunPython(add_vector, drop_vector),
    ]
