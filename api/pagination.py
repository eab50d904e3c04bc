"""Cursor paging for the API's lists: a keyset on the list's own order, never an OFFSET.

The cursor carries the sort values of the last row a page showed; the next page is the rows
after it in the same order, found by one walk down the index. So a page costs the same at the
100,000th story as at the first, and stories published while a client pages through appear
before its cursor, never as a repeat or a gap behind it.
"""

import base64
import binascii
import json

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from newsroom.input import LARGEST_ID, whole_number

DEFAULT_LIMIT = 20
MOST_LIMIT = 100
# A cursor is a few dozen characters; anything much longer is not one of ours.
LONGEST_CURSOR = 400


def _encode(values):
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor):
    """Return the list of values a cursor holds, or None if it is not one."""
    if len(cursor) > LONGEST_CURSOR or not cursor.isascii():
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError):
        return None
    return values if isinstance(values, list) else None


class KeysetPagination(BasePagination):
    """Page a list ordered by ``ordering`` (each field "name" or "-name", the last one unique).

    ``kinds`` says what each field holds ("datetime", "text" or "id"), so a cursor's values are
    checked before they reach a query.
    """

    ordering = ()
    kinds = ()
    cursor_query_param = "cursor"
    limit_query_param = "limit"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        limit = self._limit(request)
        after = self._after(request)
        rows = queryset.order_by(*self.ordering)
        if after is not None:
            rows = rows.filter(self._beyond(after))
        # One row more than the page says whether there is a next page.
        found = list(rows[: limit + 1])
        self.has_next = len(found) > limit
        self.page = found[:limit]
        return self.page

    def get_paginated_response(self, data):
        return Response({"results": data, "next": self.next_url()})

    def next_url(self):
        if not (self.has_next and self.page):
            return None
        last = self.page[-1]
        values = [self._dump(getattr(last, name.lstrip("-"))) for name in self.ordering]
        query = self.request.GET.copy()
        query[self.cursor_query_param] = _encode(values)
        return self.request.build_absolute_uri(f"{self.request.path}?{query.urlencode()}")

    def _limit(self, request):
        text = request.query_params.get(self.limit_query_param, "")
        if not text:
            return DEFAULT_LIMIT
        limit = whole_number(text, low=1, high=MOST_LIMIT)
        if limit is None:
            raise ValidationError(
                {self.limit_query_param: f"A whole number from 1 to {MOST_LIMIT}."}
            )
        return limit

    def _after(self, request):
        text = request.query_params.get(self.cursor_query_param, "")
        if not text:
            return None
        values = _decode(text)
        if values is None or len(values) != len(self.kinds):
            raise self._bad_cursor()
        return [self._load(kind, value) for kind, value in zip(self.kinds, values, strict=True)]

    def _bad_cursor(self):
        return ValidationError(
            {self.cursor_query_param: "Not a cursor this list gave out: use its “next” address."}
        )

    def _load(self, kind, value):
        if kind == "datetime" and isinstance(value, str) and len(value) <= 40:
            try:
                moment = parse_datetime(value)
            except ValueError:
                moment = None
            if moment is not None and moment.tzinfo is not None:
                return moment
        elif kind == "text" and isinstance(value, str) and len(value) <= 400:
            if "\x00" not in value:
                return value
        elif kind == "id" and type(value) is int and 0 < value <= LARGEST_ID:
            return value
        raise self._bad_cursor()

    @staticmethod
    def _dump(value):
        return value.isoformat() if hasattr(value, "isoformat") else value

    def _beyond(self, values):
        """Return the condition for rows after these sort values, in the list's order."""
        # The first field's bound, not strict, said on its own as well: the database reads it
        # as one range of the index to walk, where the ORs alone may make it scan.
        first = self.ordering[0]
        reach = "lte" if first.startswith("-") else "gte"
        bound = Q(**{f"{first.lstrip('-')}__{reach}": values[0]})
        beyond = Q(pk__in=[])
        for depth, field in enumerate(self.ordering):
            name = field.lstrip("-")
            lookup = "lt" if field.startswith("-") else "gt"
            same = {f.lstrip("-"): v for f, v in zip(self.ordering[:depth], values, strict=False)}
            beyond |= Q(**same, **{f"{name}__{lookup}": values[depth]})
        return bound & beyond

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Where the page starts: the cursor in the previous page's “next”.",
                "schema": {"type": "string"},
            },
            {
                "name": self.limit_query_param,
                "in": "query",
                "required": False,
                "description": f"How many rows a page holds: 1 to {MOST_LIMIT}, "
                f"{DEFAULT_LIMIT} if not given.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MOST_LIMIT},
            },
        ]

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results", "next"],
            "properties": {
                "results": schema,
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page's address; null on the last page.",
                },
            },
        }


class NewestFirst(KeysetPagination):
    """Articles and live entries: the newest first, ties broken by id."""

    ordering = ("-published_at", "-pk")
    kinds = ("datetime", "id")


class OldestFirst(KeysetPagination):
    """Comments: in the order they were written, as the article page shows them."""

    ordering = ("created_at", "pk")
    kinds = ("datetime", "id")


class ByName(KeysetPagination):
    """Topics and authors: in name order."""

    ordering = ("name", "pk")
    kinds = ("text", "id")
