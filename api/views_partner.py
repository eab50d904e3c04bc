"""The partners' endpoints: the change feed, stories as ninjs, and ingest. Thin: each parses
the request, calls one QuerySet chain or service, and answers."""

from functools import wraps

from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from articles import cache_keys
from articles.models import Article
from caching.pages import MISSING, cache_for_readers, tag

from . import changes, ingest, ninjs
from .http import object_id, story_keys
from .models import ApiKey

CHANGES_PER_PAGE = 100
CHANGES_MAX_PAGE = 500


class FormatIsOurs(DefaultContentNegotiation):
    """JSON whatever ``?format=`` says: the change feed's ``format=ninjs`` picks what the
    changes carry, not one of DRF's renderers."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def format_is_ours(view):
    view.content_negotiation_class = FormatIsOurs
    return view


def _cursor(request):
    raw = request.query_params.get("since", "0").strip() or "0"
    if not raw.isdigit() or len(raw) > 18:
        raise ValidationError({"since": "A cursor is the number a change or a page gave out."})
    return int(raw)


def _limit(request):
    raw = request.query_params.get("limit", str(CHANGES_PER_PAGE)).strip()
    if not raw.isdigit() or not 1 <= int(raw) <= CHANGES_MAX_PAGE:
        raise ValidationError({"limit": f"A whole number from 1 to {CHANGES_MAX_PAGE}."})
    return int(raw)


def _format(request):
    wanted = request.query_params.get("format", "json")
    if wanted not in ("json", "ninjs"):
        raise ValidationError({"format": "Either json (the default) or ninjs."})
    return wanted


def _change(change, request, documents):
    entry = {
        "cursor": str(change.pk),
        "article": change.article_id,
        "event": change.event,
        "at": ninjs.timestamp(change.happened_at),
        "url": request.build_absolute_uri(change.path),
        "api_url": request.build_absolute_uri(f"/api/v1/articles/{change.article_id}/"),
        "tombstone": change.is_tombstone,
    }
    if documents is not None and not change.is_tombstone:
        # The story as it is now; None once it is no longer public (a later change says why).
        entry["ninjs"] = documents.get(change.article_id)
    return entry


@extend_schema(
    parameters=[
        OpenApiParameter("since", str, description="The cursor a change or a page gave out."),
        OpenApiParameter("limit", int, description=f"Changes a page, 1 to {CHANGES_MAX_PAGE}."),
        OpenApiParameter("format", str, enum=["json", "ninjs"], description="ninjs: embed it."),
    ],
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
@format_is_ours
def change_feed(request):
    """List every change to a story since the cursor, oldest first."""
    cursor, limit, wanted = _cursor(request), _limit(request), _format(request)
    page, more = changes.since(cursor, limit=limit)
    documents = None
    if wanted == "ninjs":
        ids = {change.article_id for change in page if not change.is_tombstone}
        absolute = request.build_absolute_uri
        articles = list(ninjs.articles_for_ninjs().filter(pk__in=ids))
        entries = ninjs.newest_entries(articles)
        documents = {
            article.pk: ninjs.article_document(
                article, absolute=absolute, entries=entries.get(article.pk, ())
            )
            for article in articles
        }
    next_cursor = str(page[-1].pk) if page else str(cursor)
    return Response(
        {
            "changes": [_change(change, request, documents) for change in page],
            "next": next_cursor,
            "more": more,
        },
        headers={"Cache-Control": "no-store"},
    )


def _missing_story(view):
    """Share a story's 404 like a page's, dropped when any story comes to exist (MISSING)."""

    @wraps(view)
    def tagged(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        return tag(response, MISSING) if response.status_code == 404 else response

    return tagged


def _missing_entry(view):
    """Never share an entry's 404: an entry coming to exist drops only its coverage's key,
    which a 404 for an unknown entry cannot carry."""

    @wraps(view)
    def private(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 404:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    return private


# Shared and purged as the pages are (caching/pages.py): an edit, a correction, a withdrawal
# drops the story's ninjs wherever it is kept.
@cache_for_readers
@_missing_story
@extend_schema(responses={200: OpenApiTypes.OBJECT, 404: None, 410: OpenApiTypes.OBJECT})
@api_view(["GET"])
def ninjs_article(request, pk):
    """Serve a public article as ninjs; a withdrawn or expired one as a canceled item."""
    pk = object_id(pk)
    found = ninjs.articles_for_ninjs().filter(pk=pk).first()
    if found is not None:
        entries = ninjs.newest_entries([found]).get(found.pk, ())
        document = ninjs.article_document(
            found, absolute=request.build_absolute_uri, entries=entries
        )
        authors = [byline.author for byline in found.bylines.all()]
        keys = story_keys(found, found.topics.all(), authors)
        keys += [cache_keys.live(found.pk)] if found.is_live else []
        return tag(Response(document), *keys)
    # Gone for good, as the article's page says with 410: withdrawn, or past its expiry.
    gone = Article.objects.filter(pk=pk, status=Article.Status.WITHDRAWN) | (
        Article.objects.expired().filter(pk=pk)
    )
    found = get_object_or_404(gone.values("withdrawn_at", "expires_at", "updated_at"))
    when = found["withdrawn_at"] or found["expires_at"] or found["updated_at"]
    canceled = Response(ninjs.canceled_document(pk, when=when), status=status.HTTP_410_GONE)
    return tag(canceled, cache_keys.article(pk))


@cache_for_readers
@_missing_entry
@extend_schema(responses={200: OpenApiTypes.OBJECT, 404: None})
@api_view(["GET"])
def ninjs_entry(request, pk):
    """Serve a public live-coverage entry as ninjs."""
    pk = object_id(pk)
    entry = get_object_or_404(ninjs.entries_for_ninjs(), pk=pk)
    document = ninjs.entry_document(entry, absolute=request.build_absolute_uri)
    keys = [cache_keys.article(entry.article_id), cache_keys.live(entry.article_id)]
    if entry.author_id:
        keys.append(cache_keys.author(entry.author_id))
    return tag(Response(document), *keys)


class MayIngest(BasePermission):
    message = "This API key is not granted ingest."

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiKey) and request.auth.can_ingest


@extend_schema(
    request=OpenApiTypes.OBJECT,
    responses={
        200: OpenApiTypes.OBJECT,
        201: OpenApiTypes.OBJECT,
        400: OpenApiTypes.OBJECT,
        409: OpenApiTypes.OBJECT,
    },
)
@api_view(["POST"])
@permission_classes([MayIngest])
def ingest_item(request):
    """Take a ninjs text item from a partner and make or update its draft in review."""
    try:
        outcome = ingest.ingest_item(payload=request.data, key=request.auth)
    except ingest.Refused as refused:
        return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
    return Response(outcome.answer(), status=outcome.status)
