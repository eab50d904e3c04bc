import ipaddress

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from articles.models import Article
from articles.views import render_article

from . import policy, ratelimit, services
from .forms import CommentForm
from .models import Comment
from .thread import NOTICE_SESSION_KEY, remember_pending


def _client_ip(request):
    try:
        return str(ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")))
    except ValueError:
        return None


def _rate_limited(data, ip_address):
    """Return the seconds to wait if this poster is over a limit, else 0."""
    limits = [("email", data["email"].lower(), settings.COMMENTS_RATE_LIMIT_PER_EMAIL)]
    if ip_address:
        limits.append(("ip", ip_address, settings.COMMENTS_RATE_LIMIT_PER_IP))
    waits = [
        ratelimit.hit(f"comment-{scope}", identity, limit=limit, window=window)
        for scope, identity, (limit, window) in limits
    ]
    return max(waits)


def _posted(request, comment):
    """Send the poster back to the article, at their comment when they can see it."""
    anchor = "comments"
    if comment.status == Comment.Status.APPROVED:
        notice = "Thank you. Your comment is published."
        anchor = f"comment-{comment.pk}"
    else:
        # Spam gets the same answer as a held comment: nothing tells a robot it was caught.
        notice = "Thank you. Your comment is awaiting moderation."
        if comment.status == Comment.Status.PENDING:
            remember_pending(request, comment)
            anchor = f"comment-{comment.pk}"
    request.session[NOTICE_SESSION_KEY] = notice
    response = HttpResponseRedirect(f"{comment.article.get_absolute_url()}#{anchor}")
    response.status_code = 303
    return response


@require_POST
def post_comment(request, article_id):
    article = get_object_or_404(Article.objects.published().for_page(), pk=article_id)
    if reason := policy.comments_closed_reason(article):
        context = {"article": article, "reason": reason, "text": request.POST.get("body", "")}
        return render(request, "comments/closed.html", context, status=403)

    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        return render_article(request, article, comment_form=form, status=400)
    data = form.cleaned_data
    if earlier := Comment.objects.filter(submission_token=data["token"]).first():
        return _posted(request, earlier)  # the same form sent twice: stored once

    ip_address = _client_ip(request)
    if wait := _rate_limited(data, ip_address):
        minutes = max(1, round(wait / 60))
        form.add_error(
            None,
            f"You are posting comments faster than we allow. Please wait about {minutes} "
            f"minute{'s' if minutes != 1 else ''} and post again: your comment is kept below.",
        )
        response = render_article(request, article, comment_form=form, status=429)
        response["Retry-After"] = str(wait)
        return response

    comment, _ = services.comment_submit(
        article=article,
        data=data,
        ip_address=ip_address,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    return _posted(request, comment)
