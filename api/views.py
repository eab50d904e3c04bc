"""The read API's endpoints: thin views over the public QuerySets (api/queries.py).

Every article endpoint starts from ``Article.objects.published()``, so what readers cannot see
on the site (drafts, scheduled, embargoed, expired or withdrawn stories) is not here either.
Each answer names the surrogate keys of what it shows (api/http.py).
"""

from django.shortcuts import render
from django.views.decorators.http import require_safe
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from articles import cache_keys
from articles.models import Article, Author, Section, Topic
from caching.pages import cache_for_readers

from . import docs, queries
from .filters import ArticleFilter
from .http import CachedForReaders, object_id, story_keys
from .pagination import ByName, NewestFirst, OldestFirst
from .serializers import (
    ArticleDetailSerializer,
    ArticleSerializer,
    AuthorSerializer,
    CommentSerializer,
    EntrySerializer,
    SectionSerializer,
    TopicSerializer,
)

BAD_INPUT = OpenApiResponse(description="A parameter is wrong; the answer names it and says why.")
NOT_FOUND = OpenApiResponse(description="Nothing public has this id.")
ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The object's id.")


def _public_article(pk, articles):
    """Return the article with this id from these published ones, or answer 404."""
    article = articles.filter(pk=object_id(pk)).first()
    if article is None:
        raise NotFound("No published article has this id.")
    return article


class KeyedList(CachedForReaders, generics.ListAPIView):
    """A list whose answer names each row it shows, and what else drops it (``list_keys``)."""

    list_keys = ()
    filter_backends = []

    def row_keys(self, row):
        return []

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.show(*self.list_keys, *(key for row in page for key in self.row_keys(row)))
        return page


@extend_schema(
    summary="List published articles",
    description="The newest first. Narrow the list by section, topic, author and publish "
    "time; page through it with the cursor in each page's “next”.",
    responses={200: ArticleSerializer, 400: BAD_INPUT},
    tags=["articles"],
)
class ArticleList(KeyedList):
    serializer_class = ArticleSerializer
    pagination_class = NewestFirst
    filter_backends = [ArticleFilter]
    # Any story published, changed or taken down drops the lists, as it drops the feeds.
    list_keys = (cache_keys.FEEDS,)

    def get_queryset(self):
        return queries.articles()

    def row_keys(self, article):
        return [cache_keys.article(article.pk)]


@extend_schema(
    summary="Get one published article",
    description="With its body, bylines, topics, picture and notes; a live story brings its "
    "state and its newest entries.",
    parameters=[ID],
    responses={200: ArticleDetailSerializer, 404: NOT_FOUND},
    tags=["articles"],
)
class ArticleDetail(CachedForReaders, generics.RetrieveAPIView):
    serializer_class = ArticleDetailSerializer

    def retrieve(self, request, pk):
        article = _public_article(pk, queries.articles())
        self.show(*story_keys(article, article.topic_list, article.byline))
        self.changed_at(article.modified_at)
        entries = []
        if article.is_live:
            entries = queries.newest_entries(article)
            self.show(cache_keys.live(article.pk))
            self.changed_at(max((entry.updated_at for entry in entries), default=None))
        context = {**self.get_serializer_context(), "entries": entries}
        return Response(ArticleDetailSerializer(article, context=context).data)


@extend_schema(
    summary="List a live story's entries",
    description="Its public entries, newest first, each with its own corrections.",
    parameters=[ID],
    responses={200: EntrySerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    tags=["articles"],
)
class ArticleEntries(KeyedList):
    serializer_class = EntrySerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        # The story's row and section: each entry's address is on its page.
        article = _public_article(self.kwargs["pk"], Article.objects.published().for_page())
        if not article.is_live:
            raise NotFound("This article is not live coverage: it has no entries.")
        self.show(cache_keys.article(article.pk), cache_keys.live(article.pk))
        return queries.public_entries(article)

    def paginate_queryset(self, queryset):
        return queries.with_entry_notes(super().paginate_queryset(queryset))

    def row_keys(self, entry):
        return [cache_keys.author(entry.author_id)] if entry.author_id else []


@extend_schema(
    summary="List an article's approved comments",
    description="Oldest first, as the article page shows them. Only comments a moderator (or "
    "the policy) approved; never a commenter's email or address.",
    parameters=[ID],
    responses={200: CommentSerializer, 400: BAD_INPUT, 404: NOT_FOUND},
    tags=["articles"],
)
class ArticleComments(KeyedList):
    serializer_class = CommentSerializer
    pagination_class = OldestFirst

    def get_queryset(self):
        article = _public_article(self.kwargs["pk"], Article.objects.published())
        self.show(cache_keys.article(article.pk), cache_keys.comments(article.pk))
        return queries.approved_comments(article)


@extend_schema(
    summary="List the sections",
    description="In the order of the site's navigation. Not paged: a site has a few dozen.",
    responses={200: inline_serializer("SectionList", {"results": SectionSerializer(many=True)})},
    tags=["sections"],
)
class SectionList(CachedForReaders, generics.ListAPIView):
    serializer_class = SectionSerializer
    pagination_class = None

    def get_queryset(self):
        return Section.objects.in_navigation()

    def list(self, request):
        sections = list(self.get_queryset())
        self.show(*(cache_keys.section(section.pk) for section in sections))
        return Response({"results": self.get_serializer(sections, many=True).data})


class KeyedDetail(CachedForReaders, generics.RetrieveAPIView):
    """One section, topic or author, by id, tagged with its own key."""

    key = None

    def get_object(self):
        found = self.get_queryset().filter(pk=object_id(self.kwargs["pk"])).first()
        if found is None:
            raise NotFound("Nothing has this id.")
        self.show(self.key(found.pk))
        return found


@extend_schema(
    summary="Get one section", parameters=[ID], responses={200: SectionSerializer, 404: NOT_FOUND}
)
class SectionDetail(KeyedDetail):
    serializer_class = SectionSerializer
    queryset = Section.objects.all()
    key = staticmethod(cache_keys.section)


@extend_schema(
    summary="List the topics",
    description="In name order, paged with a cursor.",
    responses={200: TopicSerializer, 400: BAD_INPUT},
    tags=["topics"],
)
class TopicList(KeyedList):
    serializer_class = TopicSerializer
    pagination_class = ByName
    queryset = Topic.objects.all()
    # A topic made, renamed or deleted drops every list (articles/signals.py).
    list_keys = (cache_keys.FEEDS,)


@extend_schema(
    summary="Get one topic", parameters=[ID], responses={200: TopicSerializer, 404: NOT_FOUND}
)
class TopicDetail(KeyedDetail):
    serializer_class = TopicSerializer
    queryset = Topic.objects.all()
    key = staticmethod(cache_keys.topic)


@extend_schema(
    summary="List the authors",
    description="In name order, paged with a cursor.",
    responses={200: AuthorSerializer, 400: BAD_INPUT},
    tags=["authors"],
)
class AuthorList(KeyedList):
    serializer_class = AuthorSerializer
    pagination_class = ByName
    queryset = Author.objects.all()
    # As for topics: an author's change drops every list.
    list_keys = (cache_keys.FEEDS,)


@extend_schema(
    summary="Get one author", parameters=[ID], responses={200: AuthorSerializer, 404: NOT_FOUND}
)
class AuthorDetail(KeyedDetail):
    serializer_class = AuthorSerializer
    queryset = Author.objects.all()
    key = staticmethod(cache_keys.author)


@require_safe
@cache_for_readers
def documentation(request):
    """Render the API's reference page from its own OpenAPI schema."""
    return render(request, "api/docs.html", {"api": docs.reference()})
