"""The links in the emails to commenters: confirm reply emails, mute one conversation, stop
them all; and ask for a review of a refused comment.

Each link opens a page with one button, and the button posts: mail scanners that open every
link in a message then confirm or stop nothing. The one exception is RFC 8058's one-click
unsubscribe, a POST that mail clients send to the same address with no cookie and no page.
The signed token in the address is the whole authority, so these POSTs need no CSRF token.
The review form is a reader's message like a comment, and is checked as the report form is.
"""

from django import forms
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import reasons, replies
from .forms import tidy_text

LINK_BROKEN = (
    "This link is damaged or has expired. If you copied it from an email, check that you "
    "copied all of it."
)


def _page(request, *, heading, text, button=None, status=200):
    context = {"heading": heading, "text": text, "button": button}
    return render(request, "comments/replies_link.html", context, status=status)


def _broken(request, extra=""):
    return _page(
        request, heading="This link does not work", text=f"{LINK_BROKEN}{extra}", status=400
    )


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    address = replies.address_for_confirmation(token)
    if address is None:
        return _broken(
            request, " To ask again, tick “Notify me of replies by email” with your next comment."
        )
    if request.method == "GET":
        return _page(
            request,
            heading="Confirm reply emails",
            text=f"Press Confirm to get an email at {address.email} when someone replies to "
            "your comments, for the comments where you ticked the box.",
            button="Confirm",
        )
    replies.address_confirm(address)
    return _page(
        request,
        heading="Reply emails confirmed",
        text=f"Thank you. We will email {address.email} when a reply to your comment is "
        "published, at most once an hour for each conversation. Every email has a link to stop.",
    )


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    address = replies.address_for_unsubscribe(token)
    if address is None:
        return _broken(request)
    if request.method == "GET":
        return _page(
            request,
            heading="Stop reply emails",
            text=f"Press Stop to send no more reply emails to {address.email}, from any "
            "conversation.",
            button="Stop all reply emails",
        )
    replies.address_unsubscribe(address)
    return _page(
        request,
        heading="Reply emails stopped",
        text=f"We will send no more reply emails to {address.email}. To have them again, tick "
        "“Notify me of replies by email” with a comment.",
    )


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def mute(request, token):
    address, thread = replies.thread_for_mute(token)
    if address is None:
        return _broken(request)
    headline = thread.article.headline
    if request.method == "GET":
        return _page(
            request,
            heading="Mute this conversation",
            text=f"Press Mute to stop emails to {address.email} about replies in this "
            f"conversation on “{headline}”. Your other conversations go on.",
            button="Mute this conversation",
        )
    replies.thread_mute(address, thread)
    return _page(
        request,
        heading="Conversation muted",
        text=f"We will send {address.email} no more emails about this conversation on "
        f"“{headline}”.",
    )


class ReviewForm(forms.Form):
    text = forms.CharField(
        label="Why should we look again? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_text(self):
        # The field refuses a NUL itself; tidying drops invisible format characters.
        return tidy_text(self.cleaned_data["text"], keep_newlines=True)


def _review_page(request, comment, form, *, status=200, done=""):
    review = comment.reviews.first() if not done else None
    context = {"comment": comment, "form": form, "review": review, "done": done}
    return render(request, "comments/review.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def review(request, token):
    comment = reasons.comment_for_review(token)
    if comment is None:
        return _broken(
            request, f" A review can be asked for within {reasons.review_days()} days of the email."
        )
    if request.method == "GET":
        return _review_page(request, comment, ReviewForm())
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _review_page(request, comment, form, status=400)
    try:
        reasons.review_request(comment=comment, text=form.cleaned_data["text"])
    except reasons.AlreadyAsked as refused:
        form.add_error(None, str(refused))
        return _review_page(request, comment, form, status=409)
    return _review_page(
        request,
        comment,
        None,
        done="Thank you. A moderator will look at your comment again, and we will email you "
        "the outcome.",
    )
