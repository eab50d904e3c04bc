"""The article list's filters: by section, topic and author (their slugs) and by publish time.

Each value is checked before it reaches a query: a bad one answers 400 with the parameter's
name and what it should be, never a 500 (NUL bytes, overlong text, impossible dates).
"""

import datetime
import re

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

LONGEST_SLUG = 200

SLUG_FILTERS = {
    # parameter: (lookup, what the parameter names)
    "section": ("section__slug", "A section's slug, as in its page's address."),
    "topic": ("topics__slug", "A topic's slug, as in its page's address /tag/<slug>/."),
    "author": ("bylines__author__slug", "An author's slug, as in /author/<slug>/."),
}
TIME_FILTERS = {
    "published_after": ("published_at__gt", "Only articles published after this time."),
    "published_before": ("published_at__lt", "Only articles published before this time."),
}
TIME_FORMAT = "an ISO 8601 date and time, such as 2026-05-19T14:30:00Z"
# An offset's "+" left unescaped in a query string arrives as a space: "…T14:30:00 02:00".
_LOST_PLUS = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")


def _slug(name, text):
    if "\x00" in text or len(text) > LONGEST_SLUG:
        raise ValidationError({name: f"A slug of at most {LONGEST_SLUG} characters."})
    return text


def parse_moment(name, text):
    """Return the aware datetime the text gives, in UTC; raise a 400 naming ``name`` if none.

    A time without an offset is read in the site's time zone, as editors enter them.
    """
    moment = None
    if len(text) <= 40 and "\x00" not in text:
        text = _LOST_PLUS.sub(r"\1+\2", text)
        try:
            moment = parse_datetime(text)
            if moment is None and (day := datetime.date.fromisoformat(text)):
                moment = datetime.datetime.combine(day, datetime.time())
            if moment is not None and timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            # Out here so that a time near year 1 or 9999 that UTC cannot hold is refused.
            moment = moment and moment.astimezone(datetime.UTC)
        except (ValueError, OverflowError):
            moment = None
    if moment is None:
        raise ValidationError({name: f"Give {TIME_FORMAT}."})
    return moment


class ArticleFilter(BaseFilterBackend):
    """Narrow the published articles by the query's section, topic, author and time range."""

    def filter_queryset(self, request, queryset, view):
        params = request.query_params
        for name, (lookup, _) in SLUG_FILTERS.items():
            if text := params.get(name, ""):
                # One row per article still: a topic, or an author, is on a story at most once.
                queryset = queryset.filter(**{lookup: _slug(name, text)})
        for name, (lookup, _) in TIME_FILTERS.items():
            if text := params.get(name, ""):
                queryset = queryset.filter(**{lookup: parse_moment(name, text)})
        return queryset

    def get_schema_operation_parameters(self, view):
        slugs = [
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": description,
                "schema": {"type": "string", "maxLength": LONGEST_SLUG},
            }
            for name, (_, description) in SLUG_FILTERS.items()
        ]
        times = [
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": f"{description} Give {TIME_FORMAT}; without an offset the "
                "site's time zone is meant.",
                "schema": {"type": "string", "format": "date-time"},
            }
            for name, (_, description) in TIME_FILTERS.items()
        ]
        return slugs + times
