"""The newsroom's side of the big-news storm (run by bench/storm.py with the site's settings).

    python bench/storm_newsroom.py setup RUN COMMENTS        prints the plan as JSON
    python bench/storm_newsroom.py changes PLAN LOG START SECONDS

"setup" makes an editor and a moderator, and COMMENTS pending comments on the reference
story, each with a marker no page shows yet. "changes" then, from the wall-clock time START
for SECONDS, posts a live entry every 5 s, approves one of those comments every 2 s and
corrects the lead story every 20 s, each through the code the admin and the moderation desk
run, and writes a JSON line per change: its marker and the time its transaction committed.
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import transaction  # noqa: E402

from articles import live, services  # noqa: E402
from articles.models import Article, Correction, FrontPage, LiveEntry  # noqa: E402
from comments.models import Comment  # noqa: E402
from comments.services import comment_decide  # noqa: E402

REFERENCE_SLUG = "trump-putin-agree-ukraine-ceasefire-talks"
LIVE_SLUG = "live-romania-presidential-runoff-results"

# Seconds between changes of each kind, and when in its period each kind starts: people who
# do not work together do not commit in the same instant.
EVERY = {"entry": 5.0, "comment": 2.0, "correction": 20.0}
PHASE = {"entry": 0.0, "comment": 0.5, "correction": 1.25}


def marker(run, kind, n):
    return f"storm-{run}-{kind}-{n}"


def staff(username, group):
    user, _ = User.objects.get_or_create(
        username=username, defaults={"is_staff": True, "email": f"{username}@example.org"}
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def setup(run, comments):
    reference = Article.objects.get(slug=REFERENCE_SLUG)
    coverage = Article.objects.get(slug=LIVE_SLUG)
    lead = FrontPage.objects.get().lead_id
    editor = staff("storm-editor", "Editors")
    moderator = staff("storm-moderator", "Moderators")
    # Oldest first, so they are approved (and shown) in this order, after the thread's own.
    approved_roots = Comment.objects.approved().filter(article=reference, depth=0).count()
    pending = [
        Comment.objects.create(
            article=reference,
            name=f"Storm reader {n}",
            email=f"storm-{run}-{n}@example.org",
            body=f"A reader's view of the talks, {marker(run, 'comment', n)}.",
            ip_address="127.0.0.1",
            status=Comment.Status.PENDING,
            policy_status=Comment.Status.PENDING,
        ).pk
        for n in range(1, comments + 1)
    ]
    # Threads run oldest first, so the approved comments fill page 1, then the next pages.
    per_page = settings.COMMENTS_PER_PAGE
    last_page = (approved_roots + comments - 1) // per_page + 1
    first_page = approved_roots // per_page + 1
    return {
        "run": run,
        "reference": {"id": reference.pk, "path": reference.get_absolute_url()},
        "lead_is_reference": lead == reference.pk,
        "live": {
            "id": coverage.pk,
            "path": coverage.get_absolute_url(),
            "newest": max(coverage.entries.public().values_list("pk", flat=True), default=0),
            "entries": coverage.entries.count(),
            "author": coverage.bylines.values_list("author_id", flat=True).first(),
        },
        "approved_roots_before": approved_roots,
        "comments_per_page": per_page,
        "comment_pages": list(range(first_page, last_page + 1)),
        "editor": editor.pk,
        "moderator": moderator.pk,
        "pending": pending,
    }


def committed(change):
    """Run the change in a transaction; return the times it committed and its purges ended,
    and the id of the row it made.

    The first on_commit callback runs before those the change registered (the page cache's
    flush, which purges Varnish), so it stamps the commit itself.
    """
    stamps = []
    with transaction.atomic():
        transaction.on_commit(lambda: stamps.append(time.time()))
        row = change()
    return stamps[0], time.time(), row.pk


def post_entry(plan, n, editor):
    entry = LiveEntry(
        article_id=plan["live"]["id"],
        author_id=plan["live"]["author"],
        body=f"<p>Another county has counted its votes, {marker(plan['run'], 'entry', n)}.</p>",
    )

    def save():
        live.entry_save(entry=entry, user=editor)
        return entry

    return committed(save)


def approve_comment(plan, n, moderator):
    comment = Comment.objects.get(pk=plan["pending"][n - 1])
    return committed(
        lambda: comment_decide(comment=comment, status=Comment.Status.APPROVED, moderator=moderator)
    )


def correct_lead(plan, n, editor):
    """Add a public correction to the lead story as the article's admin form saves one: the
    article and its inline rows saved by articles.services.article_save, in one transaction."""

    def save():
        article = Article.objects.get(pk=plan["reference"]["id"])
        before = Article(
            status=article.status,
            published_at=article.published_at,
            slug=article.slug,
            embargo_until=article.embargo_until,
            expires_at=article.expires_at,
        )
        note = Correction(
            article=article,
            created_by=editor,
            text=f"An earlier version gave the wrong date for the talks, "
            f"{marker(plan['run'], 'correction', n)}.",
        )
        services.article_save(
            article=article,
            user=editor,
            before=before,
            before_url=article.get_absolute_url(),
            save_rows=note.save,
        )
        return note

    return committed(save)


def schedule(seconds):
    """Return every change due in the storm, as (seconds after the start, kind, number)."""
    due = []
    for kind, every in EVERY.items():
        n, at = 1, PHASE[kind] + every
        while at < seconds:
            due.append((at, kind, n))
            n, at = n + 1, at + every
    return sorted(due)


def changes(plan, log, start, seconds):
    editor = User.objects.get(pk=plan["editor"])
    moderator = User.objects.get(pk=plan["moderator"])
    make = {"entry": post_entry, "comment": approve_comment, "correction": correct_lead}
    who = {"entry": editor, "comment": moderator, "correction": editor}
    with open(log, "w") as out:
        for at, kind, n in schedule(seconds):
            time.sleep(max(0.0, start + at - time.time()))
            began = time.time()
            commit, flushed, pk = make[kind](plan, n, who[kind])
            row = {
                "kind": kind,
                "marker": marker(plan["run"], kind, n),
                "id": pk,
                "due": start + at,
                "began": began,
                "commit": commit,
                "flushed": flushed,
            }
            out.write(json.dumps(row) + "\n")
            out.flush()


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "setup":
        print(json.dumps(setup(arguments[0], int(arguments[1]))))
    else:
        plan_file, log, start, seconds = arguments
        changes(json.loads(Path(plan_file).read_text()), log, float(start), float(seconds))
