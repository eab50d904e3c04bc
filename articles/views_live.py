"""The updates of a live story's page, which its script asks for while a reader has it open."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from caching.pages import cache_for_readers, tag
from newsroom.input import whole_number

from . import cache_keys, live
from .models import Article


@require_safe
@cache_for_readers
def live_updates(request, section, year, month, day, slug):
    """Answer with the count of entries newer than ``?after=<id>`` and their HTML.

    JSON with a fragment rendered by the page's own partial: the script needs the count for
    its notice and the ended flag to stop, and inserting the server's HTML means the entries
    look exactly as on a reload, with no template in JavaScript.
    """
    article = get_object_or_404(
        Article.objects.published().select_related("section"), slug=slug, is_live=True
    )
    if request.path != article.get_absolute_url() + "updates/":
        raise Http404("No live coverage at this address.")
    after = whole_number(request.GET.get("after", "0"))
    if after is None:
        raise Http404("“after” is the id of the newest entry the page shows.")
    count, entries = live.entries_after(article, after)
    html = render_to_string(
        "articles/_live_entries.html",
        {"entries": entries, "article": article, "request": request},
    )
    answer = {
        "ended": not article.is_live_now(),
        "ended_at": article.coverage_ended_at.isoformat() if article.coverage_ended_at else None,
        "count": count,
        "shown": len(entries),
        "newest": max((entry.pk for entry in entries), default=after),
        "html": html if entries else "",
    }
    response = JsonResponse(answer)
    response["X-Robots-Tag"] = "noindex"
    return tag(response, cache_keys.article(article.pk), cache_keys.live(article.pk))
