"""Writing generated rows fast: COPY on PostgreSQL, executemany elsewhere, ids reserved ahead.

These skip ``save()`` and the signals, so the callers do that work themselves, in batches,
with the same functions a save would call (revisions.snapshot, search.index_entries, ...).
"""

import json
import operator
from datetime import UTC, datetime

from django.db import connection


class Inserter:
    """Insert rows given as {attname: value}; fields left out get their model default.

    COPY on PostgreSQL, executemany elsewhere. Not bulk_create(): it would overwrite the
    generated created_at times (auto_now_add) and costs a model instance per row.
    """

    def __init__(self, model):
        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.pk = model._meta.pk
        self.attnames = [f.attname for f in self.fields]
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


def reserve_ids(model, count):
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


def utc(timestamp):
    return datetime.fromtimestamp(round(timestamp, 6), UTC)


def pick(rng, items, cum_weights):
    return rng.choices(items, cum_weights=cum_weights)[0]


def distinct(rng, items, cum_weights, k, *, key=operator.itemgetter(0)):
    """Return k different items, in the order drawn, favouring the heavier ones."""
    k = min(k, len(items))
    chosen = {}
    while len(chosen) < k:
        item = pick(rng, items, cum_weights)
        chosen.setdefault(key(item), item)
    return list(chosen.values())


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]
