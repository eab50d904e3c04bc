"""Readers report a public comment: the form, and the service that puts it in the Reported queue."""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.db.models import F, Q

from articles.models import Article

from . import digest_schedule, services
from .forms import tidy_text
from .models import Comment, CommentReport

NOTICE = "Thank you. A moderator will look at this comment."


def reportable_comments():
    """Return the comments a reader may report: approved, on a published article."""
    return (
        Comment.objects.approved()
        .filter(article__in=Article.objects.published())
        .select_related("article__section")
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why should a moderator look at this comment?",
        choices=CommentReport.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Please choose a reason.",
            "invalid_choice": "Please choose one of the reasons listed.",
        },
    )
    text = forms.CharField(
        label="Tell us more",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Needed if you choose “Something else”. Up to 500 characters.",
    )

    def clean_text(self):
        text = tidy_text(self.cleaned_data["text"], keep_newlines=True)
        # Tidying can lengthen a text (NFC): what is stored must fit the column too.
        MaxLengthValidator(self.fields["text"].max_length)(text)
        return text

    def clean(self):
        data = super().clean()
        # "text" is missing from data when it already failed its own checks.
        if data.get("reason") == CommentReport.Reason.OTHER and data.get("text", None) == "":
            self.add_error("text", "Please tell us what is wrong with this comment.")
        return data


def _hidden_for_review(comment):
    """Return True if the readers' reports took the comment down and it awaits a moderator."""
    return comment.status == Comment.Status.PENDING and comment.is_reported


@transaction.atomic
def comment_report(*, comment, reason, text, ip_address):
    """Store a reader's report and put the comment in the Reported queue; return (report, created).

    An address that reported the comment since it last left the queue is not counted twice.
    Once COMMENTS_HIDE_AFTER_REPORTS different addresses have reported it, the comment is hidden
    (back to pending) until a moderator decides. Raise Comment.DoesNotExist if the comment
    stopped being public meanwhile.
    """
    # The row lock makes reports on one comment take turns: two at once neither hide it twice
    # nor lose one. A report that waited while the one before it hid the comment is kept.
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if locked.status != Comment.Status.APPROVED and not _hidden_for_review(locked):
        raise Comment.DoesNotExist("The comment is not public any more.")
    since = Q(created_at__gt=locked.decided_at) if locked.decided_at else Q()
    if locked.is_reported and ip_address:
        earlier = locked.reports.filter(since, ip_address=ip_address).last()
        if earlier:
            return earlier, False
    report = CommentReport.objects.create(
        comment=locked, reason=reason, text=text, ip_address=ip_address
    )
    # update(), not save(): Comment.save() recomputes derived fields this must not touch.
    Comment.objects.filter(pk=locked.pk).update(
        report_count=F("report_count") + 1, is_reported=True
    )
    # Work for the moderators: their digest must be on the worker's schedule.
    transaction.on_commit(digest_schedule.digest_schedule_start, robust=True)
    comment.report_count = locked.report_count + 1
    comment.is_reported = True
    if locked.status == Comment.Status.APPROVED:
        _hide_if_reported_enough(locked, since)
    return report, True


def _hide_if_reported_enough(comment, since):
    threshold = settings.COMMENTS_HIDE_AFTER_REPORTS
    if threshold <= 0:
        return
    readers = (
        comment.reports.filter(since, ip_address__isnull=False)
        .values("ip_address")
        .distinct()
        .count()
    )
    if readers >= threshold:
        services.comment_decide(
            comment=comment,
            status=Comment.Status.PENDING,
            moderator=None,
            note=f"Hidden after reports from {readers} different readers.",
            reported=True,
        )
