"""Who may move an article from one state to another, and what a move does to readers.

Scheduled is not a state of its own: a published article whose publish time is still to come.
Visibility follows the publish time (``Article.objects.published()``), so nothing has to run
at that time for a scheduled article to appear.
"""

from django.utils import timezone
from django.utils.formats import date_format

from .models import Article

State = Article.Status
WRITE = "articles.change_article"
PUBLISH = "articles.publish_article"
WITHDRAW = "articles.withdraw_article"

# (from, to): the permission the move needs. Staying put is an edit (EDIT below).
MOVES = {
    (State.DRAFT, State.REVIEW): WRITE,
    (State.REVIEW, State.DRAFT): WRITE,
    (State.UNPUBLISHED, State.DRAFT): WRITE,
    (State.UNPUBLISHED, State.REVIEW): WRITE,
    (State.DRAFT, State.PUBLISHED): PUBLISH,
    (State.REVIEW, State.PUBLISHED): PUBLISH,
    (State.UNPUBLISHED, State.PUBLISHED): PUBLISH,
    (State.PUBLISHED, State.DRAFT): PUBLISH,
    (State.PUBLISHED, State.UNPUBLISHED): PUBLISH,
    (State.PUBLISHED, State.WITHDRAWN): WITHDRAW,
    # Reinstating a withdrawn article does not put it back in front of readers by itself.
    (State.WITHDRAWN, State.UNPUBLISHED): WITHDRAW,
}


# Editing without a move: a story in front of readers (or scheduled to be) is an editor's to
# change, and a withdrawn one is held for a legal or safety reason.
EDIT = {State.PUBLISHED: PUBLISH, State.WITHDRAWN: WITHDRAW}


def can_edit(user, current):
    return user.has_perm(WRITE) and user.has_perm(EDIT.get(current, WRITE))


def can_move(user, current, target):
    if current == target:
        return can_edit(user, current)
    permission = MOVES.get((current, target))
    return permission is not None and user.has_perm(permission)


def states_open_to(user, current):
    """Return the states the user may leave the article in, its current one first."""
    onward = [target for (source, target) in MOVES if source == current]
    return [current, *(target for target in onward if can_move(user, current, target))]


def consequences(before, after, *, before_url, after_url, time_cleared):
    """Return what saving ``after`` over ``before`` will do to readers, for changes that need a
    second look: taking a live article down, withdrawing it, clearing a publish time, or moving
    its address. An empty list means the save needs no confirmation.

    ``time_cleared`` says the editor emptied the publish time (``after`` may already hold
    "now" in its place: publishing without a time means now).
    """
    now = timezone.now()
    was_live = before.is_published(now=now)
    warnings = []
    if after.status == State.WITHDRAWN and before.status != State.WITHDRAWN:
        warnings.append(
            f"Withdraw it: {before_url} will answer “410 Gone” with a short notice, the article "
            "leaves every list, feed, sitemap, search result and related block at once, and its "
            "comments are hidden."
        )
    elif was_live and after.status in (State.DRAFT, State.REVIEW, State.UNPUBLISHED):
        warnings.append(
            f"Unpublish it: readers lose it at once. {before_url} will answer “not found”, and "
            "the article leaves the front page, its section and topic pages, feeds, sitemaps and "
            "search."
        )
    if time_cleared and before.published_at and before.status == State.PUBLISHED:
        if after.status == State.PUBLISHED:
            warnings.append(
                "Clear the publish time: the article will be published now"
                + (", not at its scheduled time." if not was_live else ", with today's date.")
            )
        else:
            warnings.append("Clear the publish time: the time it was scheduled for is forgotten.")
    if was_live and after.status == State.PUBLISHED:
        if after.is_embargoed(now=now):
            warnings.append(
                f"Embargo it: readers lose it at once, until {_when(after.embargo_until)}; "
                f"{before_url} will answer “not found” until then."
            )
        if after.is_expired(now=now):
            warnings.append(
                f"Expire it: readers lose it at once, and {before_url} will answer “410 Gone”."
            )
    if was_live and after.status == State.PUBLISHED and before_url != after_url:
        warnings.append(
            f"Move it: its address changes from {before_url} to {after_url}. Readers and search "
            "engines following the old address are sent to the new one (a permanent redirect)."
        )
    return warnings


def _when(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
