"""Accent-insensitive search on PostgreSQL, as SQLite's FTS5 index already is.

The stored vectors move from the 'simple' text search configuration to ``newsroom_search``:
'simple' with accents removed first (the ``unaccent`` extension) from every token type that can
hold a non-ASCII letter. SQLite needs nothing: its index was made with remove_diacritics.
"""

from importlib import import_module

from django.db import migrations

# Migration modules start with a digit, so they cannot be named in an import statement.
search_index = import_module("articles.migrations.0004_search_index")

CONFIG = "newsroom_search"
# Token types that may hold a letter outside ASCII (the ascii* ones cannot carry an accent).
ACCENTED_TOKENS = "word, numword, hword, hword_part, numhword, hword_numpart"


def _vector(config):
    return (
        f"setweight(to_tsvector('{config}', %s), 'A') || "
        f"setweight(to_tsvector('{config}', %s), 'B') || "
        f"setweight(to_tsvector('{config}', %s), 'C') || "
        f"setweight(to_tsvector('{config}', %s), 'B')"
    )


def _reindex(apps, cursor, config):
    vector = _vector(config)
    for pk, fields in search_index._documents(apps):
        cursor.execute(
            f"UPDATE articles_article SET search_vector = {vector} WHERE id = %s", [*fields, pk]
        )


def create_config(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        # unaccent is a trusted extension (PostgreSQL 13+): the database owner may create it.
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = simple)")
        cursor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} "
            f"ALTER MAPPING FOR {ACCENTED_TOKENS} WITH unaccent, simple"
        )
        _reindex(apps, cursor, CONFIG)


def drop_config(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        _reindex(apps, cursor, "simple")
        cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
        # The extension stays: it may have been there before, or be used by something else.


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_workflow_roles"),
    ]

    operations = [
        migrations.RunPython(create_config, drop_config),
    ]
