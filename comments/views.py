import ipaddress

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from articles.models import Article
from articles.views import render_article
from newsroom import metrics, ratelimit

from . import policy, reporting, services
from .forms import CommentForm
from .models import Comment, normalise_email
from .thread import NOTICE_SESSION_KEY, comment_thread_url, remember_pending


def _client_ip(request):
    try:
        return str(ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")))
    except ValueError:
        return None


def _rate_limited(data, ip_address):
    """Return the seconds to wait if this poster is over a limit, else 0."""
    limits = [("email", normalise_email(data["email"]), settings.COMMENTS_RATE_LIMIT_PER_EMAIL)]
    if ip_address:
        limits.append(("ip", ip_address, settings.COMMENTS_RATE_LIMIT_PER_IP))
    waits = [
        ratelimit.hit(f"comment-{scope}", identity, limit=limit, window=window)
        for scope, identity, (limit, window) in limits
    ]
    return max(waits)


# What the comments metric calls each status a new comment gets from the policy.
OUTCOMES = {
    Comment.Status.APPROVED: "published",
    Comment.Status.PENDING: "held",
    Comment.Status.SPAM: "spam",
    Comment.Status.REJECTED: "rejected",
}


def _posted(request, comment):
    """Send the poster back to the article, at their comment when they can see it."""
    where = f"{comment.article.get_absolute_url()}#comments"
    if comment.status == Comment.Status.APPROVED:
        notice = "Thank you. Your comment is published."
        where = comment_thread_url(comment)
    else:
        # Spam gets the same answer as a held comment: nothing tells a robot it was caught.
        notice = "Thank you. Your comment is awaiting moderation."
        if comment.status == Comment.Status.PENDING:
            remember_pending(request, comment)
            where = comment_thread_url(comment)
    request.session[NOTICE_SESSION_KEY] = notice
    response = HttpResponseRedirect(where)
    response.status_code = 303
    return response


def _sent_from_elsewhere(request):
    """Return True if the browser says the form was sent from another site's page.

    Browsers name the sending page's site in Sec-Fetch-Site, or at least its origin in
    Origin, on every cross-site POST; a request with neither did not come from a browser
    tricked by another site.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in {"same-origin", "none"}
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    ours = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
    return origin not in ours


# Readers' pages are shared by the page cache, so the comment form carries no per-visitor
# CSRF token; the browser's own word on where the form came from stands in for it. Signed-in
# staff get pages of their own, with a token, and are checked as everywhere else.
@csrf_exempt
@require_POST
def post_comment(request, article_id):
    if request.user.is_authenticated:
        if refused := CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {}):
            metrics.comment_outcome("cross_site")
            return refused
    elif _sent_from_elsewhere(request):
        metrics.comment_outcome("cross_site")
        return render(request, "comments/elsewhere.html", status=403)
    article = get_object_or_404(Article.objects.published().for_page(), pk=article_id)
    if reason := policy.comments_closed_reason(article):
        metrics.comment_outcome("closed")
        context = {"article": article, "reason": reason, "text": request.POST.get("body", "")}
        return render(request, "comments/closed.html", context, status=403)

    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        metrics.comment_outcome("invalid")
        return render_article(request, article, status=400, extra_context={"comment_form": form})
    data = form.cleaned_data
    if earlier := services.comment_find_submitted(data):
        metrics.comment_outcome("duplicate")
        return _posted(request, earlier)  # the same form sent twice: stored once

    if until := policy.suspended_until(data["email"]):
        metrics.comment_outcome("suspended")
        form.add_error(
            None,
            f"Comments from this email address are suspended until "
            f"{date_format(localtime(until), 'DATETIME_FORMAT')}. Your comment is kept below.",
        )
        return render_article(request, article, status=403, extra_context={"comment_form": form})

    ip_address = _client_ip(request)
    if wait := _rate_limited(data, ip_address):
        metrics.comment_outcome("rate_limited")
        minutes = max(1, round(wait / 60))
        form.add_error(
            None,
            f"You are posting comments faster than we allow. Please wait about {minutes} "
            f"minute{'s' if minutes != 1 else ''} and post again: your comment is kept below.",
        )
        response = render_article(
            request, article, status=429, extra_context={"comment_form": form}
        )
        response["Retry-After"] = str(wait)
        return response

    comment, created = services.comment_submit(
        article=article,
        data=data,
        ip_address=ip_address,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    metrics.comment_outcome(OUTCOMES[comment.status] if created else "duplicate")
    return _posted(request, comment)


def _report_page(request, comment, form, status=200):
    context = {
        "comment": comment,
        "article": comment.article,
        "comment_url": comment_thread_url(comment),
        "form": form,
    }
    return render(request, "comments/report_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def report_comment(request, comment_id):
    comment = get_object_or_404(reporting.reportable_comments(), pk=comment_id)
    if request.method == "GET":
        return _report_page(request, comment, reporting.ReportForm())

    form = reporting.ReportForm(request.POST)
    if not form.is_valid():
        return _report_page(request, comment, form, status=400)

    ip_address = _client_ip(request)
    limit, window = settings.COMMENTS_REPORT_RATE_LIMIT
    # Readers without a usable address share one counter rather than going unlimited.
    if wait := ratelimit.hit("comment-report", ip_address or "unknown", limit=limit, window=window):
        minutes = max(1, round(wait / 60))
        form.add_error(
            None,
            f"You have sent more reports than we allow in a short time. Please wait about "
            f"{minutes} minute{'s' if minutes != 1 else ''} and send it again: what you typed "
            f"is kept below.",
        )
        response = _report_page(request, comment, form, status=429)
        response["Retry-After"] = str(wait)
        return response

    try:
        reporting.comment_report(
            comment=comment,
            reason=form.cleaned_data["reason"],
            text=form.cleaned_data["text"],
            ip_address=ip_address,
        )
    except Comment.DoesNotExist:  # a moderator took it down since the page was loaded
        raise Http404("No such comment.") from None
    request.session[NOTICE_SESSION_KEY] = reporting.NOTICE
    response = HttpResponseRedirect(comment_thread_url(comment))
    response.status_code = 303
    return response
