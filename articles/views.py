import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from caching import fragments
from caching.pages import cache_for_readers, tag
from newsroom.paging import page_or_404

from . import cache_keys, front, live
from . import preview as preview_links
from .models import Article, ArticleRedirect, Author, Correction, Section, Topic
from .related import related_cards
from .search import MAX_QUERY_LENGTH, MAX_RESULTS, search_results, snippet_html


def _page(request, queryset):
    return page_or_404(request, queryset, per_page=settings.ARTICLES_PER_PAGE)


@require_safe
@cache_for_readers
def front_page(request):
    nav_sections = list(Section.objects.in_navigation())
    blocks = front.front_page_blocks(nav_sections)
    response = render(
        request,
        "articles/front_page.html",
        {
            "lead": blocks.lead,
            "top_stories": blocks.top_stories,
            "sections": blocks.sections,
            # The navigation and the banner reuse what this page has loaded anyway.
            "nav_sections": nav_sections,
            "breaking_news": blocks.banner,
        },
    )
    return tag(response, cache_keys.FRONT)


def _listing(request, template, *, articles, key, **context):
    """Render a page of these published articles, tagged with the listing's own key."""
    page = _page(request, articles.for_listing())
    return tag(render(request, template, {"page": page, **context}), key)


@require_safe
@cache_for_readers
def section_page(request, slug):
    section = get_object_or_404(Section, slug=slug)
    page = _page(request, front.unpinned_in(section).for_listing())
    # The editors' pins head the first page; the pages after it list the rest.
    pinned = list(front.pinned_in(section)) if page.number == 1 else []
    context = {"page": page, "pinned": pinned, "section": section, "current_section": slug}
    response = render(request, "articles/section_detail.html", context)
    return tag(response, cache_keys.section(section.pk))


@require_safe
@cache_for_readers
def topic_page(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    return _listing(
        request,
        "articles/topic_detail.html",
        articles=Article.objects.published().filter(topics=topic),
        key=cache_keys.topic(topic.pk),
        topic=topic,
    )


@require_safe
@cache_for_readers
def author_page(request, slug):
    author = get_object_or_404(Author, slug=slug)
    return _listing(
        request,
        "articles/author_detail.html",
        articles=Article.objects.published().filter(authors=author),
        key=cache_keys.author(author.pk),
        author=author,
    )


@require_safe
@cache_for_readers
def article_detail(request, section, year, month, day, slug):
    # Editors may open drafts and scheduled articles at their future address; readers only
    # ever see what published() lets through.
    is_editor = request.user.has_perm("articles.change_article")
    articles = Article.objects.exclude(status=Article.Status.WITHDRAWN)
    if not is_editor:
        articles = articles.published()

    def story():
        found = articles.for_page().filter(slug=slug).first()
        if found is not None:
            found.load_page_rows()
        return found

    def shows(found):
        # No story there (moved, gone) is not kept.
        return [cache_keys.article(found.pk)] if found is not None else None

    # Readers share the story's row and its bylines, topics and notes, like the page's parts:
    # a part made again (a new live entry, a comment) reads none of them.
    article = fragments.part(request, f"article:{slug}", shows, story)
    if article is None:
        return _moved_or_gone(request, slug)
    if request.path != article.get_absolute_url():
        # An old section or date in the address: send readers to where the story lives now.
        moved = redirect(article, permanent=article.is_published())
        return tag(moved, cache_keys.article(article.pk))
    return render_article(request, article)


def _moved_or_gone(request, slug):
    """Answer for an article address that shows no article: moved, withdrawn or expired (410
    Gone), or never there."""
    moved = ArticleRedirect.objects.filter(old_path=request.path).select_related("article").first()
    if moved and moved.article.is_published():
        return tag(redirect(moved.article, permanent=True), cache_keys.article(moved.article_id))
    at_slug = Article.objects.filter(slug=slug)
    gone = (at_slug.filter(status=Article.Status.WITHDRAWN) | at_slug.expired()).first()
    if gone is not None:
        response = render(request, "articles/gone.html", {"article": gone}, status=410)
        return tag(response, cache_keys.article(gone.pk))
    raise Http404("No article at this address.")


def render_article(
    request, article, *, status=200, preview=False, preview_until=None, extra_context=None
):
    """Render the article page from its parts, each stored under what it shows.

    Other apps' blocks on the page take what they need from ``extra_context``: the comments
    view passes the form it is showing the errors of.
    """
    # A preview, a story readers cannot see, or an answer with a form's errors is its own.
    share = not preview and status == 200 and article.is_published() and not extra_context
    parts = article_parts(request, article, share=share)
    context = {
        "article": article,
        "preview": preview,
        "preview_until": preview_until,
        "parts": parts,
        "current_section": article.section.slug,
        "comments_shared": share,
        **(extra_context or {}),
    }
    response = render(request, "articles/article_detail.html", context, status=status)
    if preview or not article.is_published():
        response["Cache-Control"] = "private, no-store"
    response["Last-Modified"] = http_date(parts["modified_at"].timestamp())
    return tag(response, *parts["keys"], cache_keys.comments(article.pk))


def article_parts(request, article, *, share):
    """Return the article page's parts (HTML), when it last changed, and the keys it shows."""
    own = cache_keys.article(article.pk)
    where = f"{request.scheme}://{request.get_host()}/{article.pk}"

    def story():
        article.load_page_rows()
        context = {"article": article}
        return {
            "story": render_to_string("articles/_story.html", context, request),
            "story_footer": render_to_string("articles/_story_footer.html", context, request),
            "modified_at": article.modified_at,
        }

    def related():
        cards = related_cards(article)
        html = render_to_string("articles/_related.html", {"cards": cards}, request)
        # The cards show other stories' headlines and pictures: their changes count too.
        return {
            "html": html,
            "keys": [cache_keys.article(c.article_id) for c in cards if c.article_id],
        }

    parts = fragments.part(request, f"{where}/story", [own], story, share=share)
    shown = fragments.part(request, f"{where}/related", [own], related, share=share)
    keys = [own, *shown["keys"]]
    # A live story's entries, and its metadata that lists them, come a page at a time.
    page = request.GET.get("page", "1") if article.is_live else ""
    head_keys = [own, cache_keys.live(article.pk)] if article.is_live else [own]
    live_html = ""
    if article.is_live:

        def entries():
            # metadata.py reads the page's entries from here for the LiveBlogPosting.
            article.live_coverage = live.coverage(request, article)
            context = {"article": article, "poll_seconds": settings.NEWSROOM_LIVE_POLL_SECONDS}
            return render_to_string("articles/_live_coverage.html", context, request)

        live_html = fragments.part(request, f"{where}/live?{page}", head_keys, entries, share=share)
        keys.append(cache_keys.live(article.pk))

    def head():
        article.load_page_rows()
        if article.is_live and not hasattr(article, "live_coverage"):
            article.live_coverage = live.coverage(request, article)
        context = {"article": article}
        return render_to_string("includes/meta_article.html", context, request)

    head_html = fragments.part(request, f"{where}/head?{page}", head_keys, head, share=share)
    return {
        "story": mark_safe(parts["story"]),
        "story_footer": mark_safe(parts["story_footer"]),
        "live": mark_safe(live_html),
        "related": mark_safe(shown["html"]),
        "head": mark_safe(head_html),
        "modified_at": parts["modified_at"],
        "keys": keys,
    }


@require_safe
def shared_preview(request, token):
    """Show an article to someone holding a signed, unexpired preview link."""
    try:
        article_id, expires = preview_links.read_token(token)
    except signing.BadSignature:
        response = render(request, "articles/preview_invalid.html", status=404)
    except preview_links.PreviewLinkExpired as expired:
        response = render(
            request, "articles/preview_invalid.html", {"expired": expired.args[0]}, status=410
        )
    else:
        article = (
            Article.objects.exclude(status=Article.Status.WITHDRAWN)
            .for_page()
            .filter(pk=article_id)
            .first()
        )
        if article is None:
            response = render(request, "articles/preview_invalid.html", status=404)
        else:
            response = render_article(request, article, preview=True, preview_until=expires)
    return preview_links.no_index_no_store(response)


@require_safe
@cache_for_readers
def corrections(request):
    """The public record of corrections and updates, newest first."""
    notes = (
        Correction.objects.public()
        .filter(article__in=Article.objects.published())
        .select_related("article__section")
        .order_by("-published_at", "-pk")
    )
    response = render(request, "articles/corrections.html", {"page": _page(request, notes)})
    return tag(response, cache_keys.CORRECTIONS)


def _date_param(request, name):
    try:
        return datetime.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return None


@require_safe
@cache_for_readers
def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    filters = {
        "section": request.GET.get("section", "").strip(),
        "date_from": _date_param(request, "from"),
        "date_to": _date_param(request, "to"),
    }
    page = None
    results = []
    notes = ()
    if query:
        found = search_results(query, **filters)
        page = _page(request, found)
        results = [(article, snippet_html(article, query)) for article in page]
        notes = found.notes
    # The page links keep the query and filters; only the page number changes.
    kept = {
        "q": query,
        "section": filters["section"],
        "from": filters["date_from"] or "",
        "to": filters["date_to"] or "",
    }
    response = render(
        request,
        "articles/search.html",
        {
            "query": query,
            "filters": kept,
            "page": page,
            "results": results,
            "notes": notes,
            "page_query": urlencode({key: value for key, value in kept.items() if value}),
            "max_results": MAX_RESULTS,
        },
    )
    return tag(response, cache_keys.SEARCH)
