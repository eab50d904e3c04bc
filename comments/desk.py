"""The moderation desk: the queues of comments and the decisions on them, inside the admin."""

from collections import defaultdict
from contextlib import suppress
from datetime import date

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from articles.models import Article, Section
from newsroom.input import LARGEST_ID, clean_text, parse_id, whole_number

from . import policy, services
from .models import (
    MODERATION_ACTIONS,
    STATUS_DONE,
    Comment,
    CommentDecision,
    Commenter,
    CommenterNote,
    CommentReport,
    DecisionReason,
    ReviewRequest,
    normalise_email,
)

PAGE_SIZE = 25
# The furthest a queue can be paged: its OFFSET and LIMIT must fit a 64-bit integer.
LAST_START = LARGEST_ID - PAGE_SIZE - 1
# Counting a million approved comments on every page load would be slow; above this a queue
# shows "999+".
COUNT_CAP = 999

QUEUES = {
    "pending": ("Pending", Q(status=Comment.Status.PENDING)),
    "reported": ("Reported", Q(is_reported=True)),
    "approved": ("Approved", Q(status=Comment.Status.APPROVED)),
    "rejected": ("Rejected", Q(status=Comment.Status.REJECTED)),
    "spam": ("Spam", Q(status=Comment.Status.SPAM)),
    # Refused comments whose authors asked for a second look: approving one reverses the
    # refusal, rejecting it again keeps it; either way the author is told.
    "review": ("Review asked", Q(reviews__outcome=ReviewRequest.Outcome.OPEN)),
}


def _queue_counts():
    counts = []
    for key, (label, condition) in QUEUES.items():
        if key in {"pending", "reported", "review"}:
            count = Comment.objects.filter(condition).count()
        else:
            count = Comment.objects.filter(condition)[: COUNT_CAP + 1].count()
        shown = f"{COUNT_CAP}+" if count > COUNT_CAP else str(count)
        counts.append({"key": key, "label": label, "count": shown})
    return counts


def _filtered(request, queue):
    """Return the queue's comments narrowed by the filters in the query string."""
    comments = Comment.objects.filter(QUEUES[queue][1])
    params = request.GET
    if section := parse_id(params.get("section", "")):
        comments = comments.filter(article__section_id=section)
    if article := parse_id(params.get("article", "")):
        comments = comments.filter(article_id=article)
    for name, lookup in [("from", "created_at__date__gte"), ("to", "created_at__date__lte")]:
        with suppress(ValueError):
            comments = comments.filter(**{lookup: date.fromisoformat(params.get(name, ""))})
    if query := clean_text(params.get("q", ""), limit=200):
        comments = comments.filter(
            Q(body__icontains=query)
            | Q(name__icontains=query)
            | Q(email_normalised=normalise_email(query))
        )
    oldest_first = params.get("order") == "oldest"
    order = ("created_at", "pk") if oldest_first else ("-created_at", "-pk")
    return comments.order_by(*order)


def _commenters(emails):
    """Return per-email history, notes and standing for the cards, in three queries."""
    history = defaultdict(lambda: dict.fromkeys(Comment.Status.values, 0))
    for row in (
        Comment.objects.filter(email_normalised__in=emails)
        .values("email_normalised", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        history[row["email_normalised"]][row["status"]] = row["n"]
    notes = defaultdict(list)
    for note in CommenterNote.objects.filter(email__in=emails).select_related("author"):
        notes[note.email].append(note)
    standings = Commenter.objects.in_bulk(emails, field_name="email")
    people = {}
    for email in emails:
        counts = history[email]
        decided = counts["approved"] + counts["rejected"] + counts["spam"]
        refused = counts["rejected"] + counts["spam"]
        people[email] = {
            "counts": counts,
            "decided": decided,
            "refusal_rate": round(100 * refused / decided) if decided else None,
            "notes": notes[email][:3],
            "standing": standings.get(email),
        }
    return people


def _policy_words():
    """Return the words the policy in force looks for: blocked ones, then ones to check."""
    values = policy.current_policy()
    return [*values.block_words, *values.moderation_words]


def _cards(comments):
    moderation_words = _policy_words()
    people = _commenters(sorted({c.email_normalised for c in comments}))
    ids = [comment.pk for comment in comments]
    reports = defaultdict(list)
    for row in (
        CommentReport.objects.filter(comment__in=[c for c in comments if c.report_count])
        .values("comment", "reason")
        .annotate(n=Count("pk"))
        .order_by("comment", "-n")
    ):
        label = CommentReport.Reason(row["reason"]).label.lower()
        reports[row["comment"]].append(f"{label} ×{row['n']}")
    reviews = {
        review.comment_id: review
        for review in ReviewRequest.objects.filter(
            comment__in=[c for c in comments if c.status == Comment.Status.REJECTED],
            outcome=ReviewRequest.Outcome.OPEN,
        )
    }
    return [
        {
            "comment": comment,
            "person": people[comment.email_normalised],
            "body": policy.highlight(comment.body, moderation_words),
            "links": policy.count_links(comment.body),
            "reports": ", ".join(reports[comment.pk]),
            "review": reviews.get(comment.pk),
            # Where the desk goes after a decision on this card: the next one, or the one above.
            "following": (ids[i + 1 : i + 2] or ids[i - 1 : i] or [None])[0],
        }
        for i, comment in enumerate(comments)
    ]


def _last_decision(request):
    """Return the user's last decision if it can still be undone, else None."""
    pk = request.session.get("desk_last_decision")
    decision = (
        CommentDecision.objects.filter(
            pk=pk, moderator=request.user, undone_by__isnull=True, comment__isnull=False
        )
        .select_related("comment")
        .first()
        if pk
        else None
    )
    if decision and decision.comment.decisions.decisions().order_by("pk").last().pk == decision.pk:
        return decision
    return None


def desk_view(request, model_admin):
    queue = request.GET.get("queue", "pending")
    if queue not in QUEUES:
        queue = "pending"
    start = whole_number(request.GET.get("start", ""), high=LAST_START) or 0
    rows = list(
        _filtered(request, queue).select_related("article__section", "parent")[
            start : start + PAGE_SIZE + 1
        ]
    )
    comments, has_more = rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
    params = request.GET.copy()
    params.pop("start", None)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Moderation desk",
        "queue": queue,
        "queue_label": QUEUES[queue][0],
        "queues": _queue_counts(),
        "cards": _cards(comments),
        "reasons": DecisionReason.choices,
        "sections": Section.objects.in_navigation(),
        "filters": request.GET,
        "query_without_start": params.urlencode(),
        "start": start,
        "next_start": start + PAGE_SIZE if has_more else None,
        "previous_start": max(0, start - PAGE_SIZE) if start else None,
        "last_decision": _last_decision(request),
        "here": request.get_full_path(),
    }
    return TemplateResponse(request, "admin/comments/desk.html", context)


def _back(request, anchor=""):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("admin:comments_desk")
    # Not redirect(), which would take a "next" such as "0" for the name of a view.
    return HttpResponseRedirect(f"{target}#{anchor}" if anchor else target)


def _answer(request, ok, message, anchor="", status=200, **extra):
    """Answer the desk's script with JSON, and a plain form post with a redirect."""
    if request.headers.get("X-Desk") == "1":
        return JsonResponse({"ok": ok, "message": message, **extra}, status=status)
    (messages.success if ok else messages.error)(request, message)
    return _back(request, anchor)


def _describe(comment):
    return f"the comment by {comment.name} on “{comment.article.headline}”"


@require_POST
def decide_view(request, model_admin):
    action = request.POST.get("action", "")
    ids = [parse_id(value) for value in request.POST.getlist("comment")]
    if action not in MODERATION_ACTIONS or not ids or None in ids:
        return _answer(request, False, "Choose a comment and a decision.", status=400)
    reason = request.POST.get("reason", "") if action == "reject" else ""
    if reason and reason not in DecisionReason.values:
        return _answer(request, False, "Choose a reason from the list.", status=400)
    note = clean_text(request.POST.get("note", ""), limit=500)
    note_to_reader = clean_text(request.POST.get("note_to_reader", ""), limit=1000)
    comments = Comment.objects.select_related("article").in_bulk(ids)
    done, refused, last = [], [], None
    for pk in ids:
        comment = comments.get(pk)
        version = whole_number(request.POST.get(f"version-{pk}", ""))
        if comment is None or version is None:
            continue
        try:
            last = services.comment_decide(
                comment=comment,
                status=MODERATION_ACTIONS[action],
                moderator=request.user,
                expected_version=version,
                reason=reason,
                note=note,
                note_to_reader=note_to_reader,
            )
            done.append(comment)
        except services.AlreadyHandled as handled:
            refused.append(str(handled))
    if last:
        request.session["desk_last_decision"] = last.pk
    verb = STATUS_DONE[MODERATION_ACTIONS[action]].capitalize()
    one = len(done) == 1
    message = f"{verb} {_describe(done[0])}." if one else f"{verb} {len(done)} comments."
    if refused:
        message = " ".join([message if done else "", *refused]).strip()
    extra = {"undo": reverse("admin:comments_desk_undo", args=[last.pk]) if last else None}
    return _answer(
        request,
        bool(done),
        message,
        anchor=request.POST.get("following", ""),
        status=200 if done else 409,
        **extra,
    )


@require_POST
def undo_view(request, model_admin, decision_id):
    # A decision whose comment was erased stays on record, with nothing left to undo.
    decision = get_object_or_404(
        CommentDecision.objects.select_related("comment__article"),
        pk=decision_id,
        comment__isnull=False,
    )
    try:
        services.decision_undo(decision=decision, moderator=request.user)
    except services.AlreadyHandled as handled:
        return _answer(request, False, str(handled), status=409)
    request.session.pop("desk_last_decision", None)
    comment = decision.comment
    message = f"Undone: {_describe(comment)} is {decision.get_from_status_display().lower()} again"
    if decision.cleared_report:
        message += " and back in the Reported queue"
    return _answer(request, True, f"{message}.", anchor=f"card-{comment.pk}")


@require_POST
def reply_view(request, model_admin, comment_id):
    parent = get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)
    body = request.POST.get("body", "").strip()
    if not body or len(body) > 5000 or "\x00" in body:
        return _answer(request, False, "Write a reply of up to 5,000 characters.", status=400)
    if parent.status != Comment.Status.APPROVED:
        version = whole_number(request.POST.get(f"version-{parent.pk}", ""))
        try:
            services.comment_decide(
                comment=parent,
                status=Comment.Status.APPROVED,
                moderator=request.user,
                expected_version=-1 if version is None else version,
                note="Approved to answer it.",
            )
        except services.AlreadyHandled as handled:
            return _answer(request, False, str(handled), status=409)
    reply = services.comment_reply_as_newsroom(parent=parent, moderator=request.user, body=body)
    return _answer(
        request, True, f"Published the newsroom's reply to {parent.name}.", reply=reply.pk
    )


@require_POST
def feature_view(request, model_admin, comment_id):
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)
    featured = request.POST.get("featured") != "off"
    try:
        services.comment_feature(comment=comment, moderator=request.user, featured=featured)
    except services.NotFeaturable as refused:
        return _answer(request, False, str(refused), anchor=f"card-{comment.pk}", status=409)
    done = "Featured" if featured else "Stopped featuring"
    return _answer(request, True, f"{done} {_describe(comment)}.", anchor=f"card-{comment.pk}")


def test_text_view(request, model_admin):
    """Tell a moderator what the policy would do with a text, storing nothing."""
    text = request.GET.get("text", "")[:5000]
    email = clean_text(request.GET.get("email", ""), limit=254)
    verdict = None
    if text.strip():
        article = Article(comment_moderation="site")
        verdict = policy.assess(
            policy.Submission(article=article, name="", email=email, website="", body=text)
        )
    words = _policy_words()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Test a text against the moderation policy",
        "text": text,
        "email": email,
        "verdict": verdict,
        "highlighted": policy.highlight(text, words) if text else "",
        "links": policy.count_links(text),
    }
    return TemplateResponse(request, "admin/comments/test_text.html", context)


def commenter_view(request, model_admin):
    email = normalise_email(
        clean_text(request.GET.get("email", request.POST.get("email", "")), limit=254)
    )
    if request.method == "POST":
        return _commenter_post(request, email)
    comments = list(
        Comment.objects.by_email(email).select_related("article").order_by("-created_at")[:100]
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"Commenter {email}",
        "email": email,
        "comments": comments,
        "person": _commenters([email])[email],
        "standings": Commenter.Standing.choices,
    }
    return TemplateResponse(request, "admin/comments/commenter.html", context)


def _commenter_post(request, email):
    back = f"{reverse('admin:comments_commenter')}?{urlencode({'email': email})}"
    if not email:
        messages.error(request, "No commenter given.")
        return redirect(reverse("admin:comments_desk"))
    if note := clean_text(request.POST.get("note", ""), limit=2000):
        CommenterNote.objects.create(email=email, author=request.user, text=note)
        messages.success(request, "Note added.")
        return redirect(back)
    standing = request.POST.get("standing", "")
    if standing not in Commenter.Standing.values:
        messages.error(request, "Choose how to treat this commenter.")
        return redirect(back)
    days = whole_number(request.POST.get("days", ""), low=1, high=3650)
    if standing == Commenter.Standing.SUSPENDED and days is None:
        messages.error(request, "Give a suspension of 1 to 3,650 days.")
        return redirect(back)
    commenter, rejected = services.commenter_set_standing(
        email=email,
        standing=standing,
        moderator=request.user,
        days=days,
        reject_all=request.POST.get("reject_all") == "on",
    )
    message = f"{email}: {commenter.get_standing_display().lower()}."
    if rejected:
        message += f" Rejected {rejected} of their comments."
    messages.success(request, message)
    return redirect(back)
