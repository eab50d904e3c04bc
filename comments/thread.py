"""The comments block of an article page: the thread, and the form."""

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Case, Count, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse

from articles import cache_keys
from caching.pages import Missing
from newsroom.input import parse_id, whole_number

from . import policy
from .forms import CommentForm
from .models import Comment

MOST_PAGES = 10**9 - 1
_SAMPLE_ID = 987654321
PENDING_SESSION_KEY = "comments_pending"
NOTICE_SESSION_KEY = "comments_notice"
FEATURED = Q(featured_at__isnull=False, status=Comment.Status.APPROVED)


def _has_session(request):
    # Only look in the session when the reader has one: reading it costs a query.
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def pending_ids(request):
    """Return the ids of the comments this reader posted that await moderation."""
    return request.session.get(PENDING_SESSION_KEY, []) if _has_session(request) else []


def pop_notice(request):
    """Return, once, the notice for a comment this reader has just posted."""
    return request.session.pop(NOTICE_SESSION_KEY, "") if _has_session(request) else ""


def remember_pending(request, comment):
    ids = [*request.session.get(PENDING_SESSION_KEY, []), comment.pk]
    request.session[PENDING_SESSION_KEY] = ids[-50:]


def comments_context(request, article, *, form=None):
    """Return the template context for the article's comments block.

    Two queries whatever the number of comments: this page's top-level comments, each row
    carrying the number of them that the page numbers need and the number of approved comments
    the heading shows (read here, not from the article's row, which readers' pages may have
    stored from before the last decision); then those threads, replies included, and on the
    first page the featured comments wherever their threads are (shown first). Two simple
    queries: as one, with the first inside the second, PostgreSQL read every comment of the
    article instead of looking the threads up by their index (twice the time).
    """
    # No thread has a billion pages; larger numbers would overflow the query's OFFSET.
    number = whole_number(request.GET.get("cpage", "1"), low=1, high=MOST_PAGES)
    if number is None:
        raise Http404("No such page.")
    per_page = settings.COMMENTS_PER_PAGE
    own = pending_ids(request)
    shown = Comment.objects.filter(article=article).shown_to(own)
    roots = shown.filter(depth=0)
    start = (number - 1) * per_page
    root_total = roots.order_by().values("article").annotate(n=Count("pk")).values("n")
    approved = Comment.objects.approved().filter(article=article).order_by()
    approved_total = approved.values("article").annotate(n=Count("pk")).values("n")
    page_roots = list(
        roots.order_by("created_at", "pk")
        .annotate(root_total=Subquery(root_total), approved_total=Subquery(approved_total))
        .values_list("pk", "root_total", "approved_total")[start : start + per_page]
    )
    ids = [pk for pk, _, _ in page_roots]
    in_threads, threads = Q(pk__in=ids) | Q(root__in=ids), shown
    if number == 1:
        # The featured comments come with the first page's threads, in the same query.
        in_threads |= FEATURED
        threads = threads.annotate(earlier_threads=_earlier_threads_if_featured())
    everything = list(threads.filter(in_threads).order_by("created_at", "pk")) if ids else []
    total, approved_count = page_roots[0][1:] if page_roots else (0, 0)
    try:
        # The rows are loaded already; the paginator only numbers the pages.
        page = Paginator(range(total), per_page).page(number)
    except InvalidPage:
        # It comes to exist when enough comments are approved: the thread's key drops it.
        raise Missing("No such page.", cache_keys.comments(article.pk)) from None
    children = {}
    for comment in everything:
        children.setdefault(comment.parent_id, []).append(comment)
    for comment in everything:
        comment.children = children.get(comment.pk, [])
    on_page = set(ids)
    roots = [comment for comment in children.get(None, []) if comment.pk in on_page]
    featured = [c for c in everything if getattr(c, "earlier_threads", None) is not None]
    for comment in featured:
        comment.thread_url = _in_thread(comment, comment.earlier_threads)

    closed = policy.comments_closed_reason(article)
    if closed:
        form = None
    elif form is None:
        target = _find(everything, request.GET.get("replytocom"))
        parent = target.pk if target and target.can_be_replied_to else None
        form = CommentForm(article=article, initial={"parent": parent})
    return {
        "comment_notice": pop_notice(request),
        "comment_total": approved_count or 0,
        "comments": roots,
        "featured": featured,
        "comments_page": page,
        "comment_form": form,
        "comments_closed": closed,
        "replying_to": _find(everything, form["parent"].value()) if form else None,
        "report_url": _report_url(),
    }


def _earlier_threads_if_featured():
    """Return, for a featured comment, the number of threads before its own (for the page its
    thread is on), and None for the others: the featured ones are linked to their thread."""
    start = Coalesce(OuterRef("root__created_at"), OuterRef("created_at"))
    start_pk = Coalesce(OuterRef("root_id"), OuterRef("pk"))
    earlier = (
        Comment.objects.approved()
        .filter(article_id=OuterRef("article_id"), depth=0)
        .filter(Q(created_at__lt=start) | Q(created_at=start, pk__lt=start_pk))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Case(When(FEATURED, then=Coalesce(Subquery(earlier), 0)), default=None)


def _in_thread(comment, earlier_threads):
    """Return the address of the comment in its thread, from the article's page."""
    page = earlier_threads // settings.COMMENTS_PER_PAGE + 1
    return f"{f'?cpage={page}' if page > 1 else ''}#comment-{comment.pk}"


def _report_url():
    """Return a function giving a comment's report address, the route reversed only once:
    a thread of fifty comments would otherwise resolve it fifty times."""
    sample = reverse("comments:report", args=[_SAMPLE_ID])
    before, after = sample.split(str(_SAMPLE_ID))
    return lambda pk: f"{before}{int(pk)}{after}"


def _find(comments, pk):
    """Return the comment with this id among those loaded, or None."""
    pk = parse_id(str(pk or ""))
    return next((comment for comment in comments if comment.pk == pk), None)


def comment_thread_url(comment):
    """Return the address of the comment in its thread, on the page of comments it is on.

    Threads run oldest first, so a new one is on the last page: the poster lands there.
    """
    root = comment.root or comment
    earlier_roots = (
        Comment.objects.approved()
        .filter(article_id=comment.article_id, depth=0)
        .filter(Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk))
        .count()
    )
    page = earlier_roots // settings.COMMENTS_PER_PAGE + 1
    query = f"?cpage={page}" if page > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#comment-{comment.pk}"
