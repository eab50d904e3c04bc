"""Full-text search index: an FTS5 table on SQLite, a tsvector column on PostgreSQL."""

import html

from django.db import migrations
from django.utils.html import strip_tags

PG_VECTOR = (
    "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B') || "
    "setweight(to_tsvector('simple', %s), 'C') || setweight(to_tsvector('simple', %s), 'B')"
)


def _documents(apps):
    Article = apps.get_model("articles", "Article")
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    topics = {}
    for article_id, name in TaggedArticle.objects.values_list("content_object_id", "tag__name"):
        topics.setdefault(article_id, []).append(name)
    for article in Article.objects.only("headline", "standfirst", "body").iterator():
        body = " ".join(html.unescape(strip_tags((article.body or "").replace("<", " <"))).split())
        yield article.pk, [
            article.headline,
            article.standfirst,
            body,
            " ".join(topics.get(article.pk, [])),
        ]


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute(
                "CREATE VIRTUAL TABLE articles_search USING fts5("
                "headline, standfirst, body, topics, tokenize='unicode61 remove_diacritics 2')"
            )
            for pk, fields in _documents(apps):
                cursor.execute(
                    "INSERT INTO articles_search (rowid, headline, standfirst, body, topics) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [pk, *fields],
                )
        elif vendor == "postgresql":
            cursor.execute("ALTER TABLE articles_article ADD COLUMN search_vector tsvector")
            cursor.execute(
                "CREATE INDEX article_search_vector_idx ON articles_article "
                "USING GIN (search_vector)"
            )
            for pk, fields in _documents(apps):
                cursor.execute(
                    f"UPDATE articles_article SET search_vector = {PG_VECTOR} WHERE id = %s",
                    [*fields, pk],
                )


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("DROP TABLE IF EXISTS articles_search")
        elif vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS article_search_vector_idx")
            cursor.execute("ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_article_comment_settings"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
