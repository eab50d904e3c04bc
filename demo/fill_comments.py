"""fill_database's comments: threads of replies on the published stories, a few reported."""

import itertools
from datetime import timedelta

from django.db import transaction

from comments.models import Comment, CommentReport, body_fingerprint, normalise_email

from .bulk import Inserter, pick, reserve_ids, utc
from .words import EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, USER_AGENTS

COMMENT_CHUNK = 20_000
COMMENT_STATUS_MIX = [("approved", 0.88), ("pending", 0.05), ("rejected", 0.04), ("spam", 0.03)]
REPORTED_SHARE = 0.012
REPLY_SHARE = 0.4


def add_comments(*, count, rng, prose, now, published, report):
    """Insert threads of comments on the published articles; return the ids of those with any."""
    if not count or not published:
        report.counts["comments"] = 0
        return []
    inserter, reports = Inserter(Comment), Inserter(CommentReport)
    # A few stories draw most of the comments: Pareto weights, capped so that one cannot take all.
    weights = [min(rng.paretovariate(1.2), 400) for _ in published]
    total = sum(weights)
    per_article = [int(count * w / total) for w in weights]
    cumulative = list(itertools.accumulate(weights))
    missing = count - sum(per_article)
    for index in rng.choices(range(len(published)), cum_weights=cumulative, k=missing):
        per_article[index] += 1
    commenters = _commenters(rng, max(50, count // 12))
    commenter_weights = list(
        itertools.accumulate(1 / (r + 1) ** 0.6 for r in range(len(commenters)))
    )
    statuses = [s for s, _ in COMMENT_STATUS_MIX]
    status_weights = list(itertools.accumulate(w for _, w in COMMENT_STATUS_MIX))
    made = {"comments": 0, "comment reports": 0}
    commented = []
    pending = []  # articles (index) whose comments go in the next chunk
    planned = 0
    for index, n in enumerate(per_article):
        if n:
            pending.append(index)
            planned += n
        if pending and (planned >= COMMENT_CHUNK or index == len(per_article) - 1):
            with transaction.atomic():
                ids = iter(reserve_ids(Comment, planned))
                rows, report_rows = [], []
                for article_index in pending:
                    article_id, published_ts = published[article_index]
                    commented.append(article_id)
                    _thread(
                        rng=rng,
                        prose=prose,
                        now=now,
                        article_id=article_id,
                        published_ts=published_ts,
                        size=per_article[article_index],
                        ids=ids,
                        commenters=commenters,
                        commenter_weights=commenter_weights,
                        statuses=statuses,
                        status_weights=status_weights,
                        rows=rows,
                        report_rows=report_rows,
                    )
                inserter.insert(rows)
                reports.insert(report_rows)
            made["comments"] += len(rows)
            made["comment reports"] += len(report_rows)
            pending, planned = [], 0
    report.counts.update(made)
    return commented


def _thread(
    *,
    rng,
    prose,
    now,
    article_id,
    published_ts,
    size,
    ids,
    commenters,
    commenter_weights,
    statuses,
    status_weights,
    rows,
    report_rows,
):
    """Append one article's comments: top-level ones and replies down to depth 2."""
    # Most comments come in the first hours after publication; none after now.
    span = now.timestamp() - published_ts
    times = sorted(
        published_ts + min(rng.expovariate(1 / 21600), span * rng.random()) for _ in range(size)
    )
    open_to_replies = []  # (id, depth, root id, name) of approved comments above depth 2
    for created_ts in times:
        pk = next(ids)
        name, email, ip_address, user_agent = pick(rng, commenters, commenter_weights)
        status = rng.choices(statuses, cum_weights=status_weights)[0]
        body = prose.comment()
        parent_id = root_id = None
        depth = 0
        if open_to_replies and rng.random() < REPLY_SHARE:
            # Replies favour the latest comments, as readers answer what they just read.
            parent_id, parent_depth, parent_root, parent_name = open_to_replies[
                -1 - min(int(rng.expovariate(0.3)), len(open_to_replies) - 1)
            ]
            depth, root_id = parent_depth + 1, parent_root or parent_id
            body = f"@{parent_name} {body}"
        created_at = utc(created_ts)
        decided = status != Comment.Status.PENDING
        reported = status == Comment.Status.APPROVED and rng.random() < REPORTED_SHARE
        report_count = rng.randint(1, 3) if reported else 0
        rows.append(
            {
                "id": pk,
                "article_id": article_id,
                "parent_id": parent_id,
                "root_id": root_id,
                "depth": depth,
                "name": name,
                "email": email,
                "email_normalised": normalise_email(email),
                "body": body,
                "body_fingerprint": body_fingerprint(body),
                "status": status,
                "created_at": created_at,
                "ip_address": ip_address,
                "user_agent": user_agent,
                "decided_at": (
                    min(now, created_at + timedelta(minutes=rng.uniform(1, 720)))
                    if decided
                    else None
                ),
                "version": 1 if decided else 0,
                "report_count": report_count,
                "is_reported": reported,
            }
        )
        for _ in range(report_count):
            report_rows.append(
                {
                    "comment_id": pk,
                    "reason": rng.choice(CommentReport.Reason.values),
                    "created_at": min(now, created_at + timedelta(hours=rng.uniform(0.1, 48))),
                }
            )
        if status == Comment.Status.APPROVED and depth < 2:
            open_to_replies.append((pk, depth, root_id, name))


def _commenters(rng, size):
    """Return (name, email, ip address, user agent) for a pool of readers, most active first."""
    pool = []
    for number in range(size):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = rng.choice((f"{first} {last}", f"{first} {last[0]}.", f"{first.lower()}{number}"))
        email = f"{first}.{last}{number}@{rng.choice(EMAIL_DOMAINS)}"
        # Documentation ranges only (RFC 5737, RFC 3849): never anyone's real address.
        if rng.random() < 0.7:
            network = rng.choice(("192.0.2", "198.51.100", "203.0.113"))
            ip_address = f"{network}.{rng.randint(1, 254)}"
        else:
            ip_address = f"2001:db8::{number >> 16:x}:{number & 0xFFFF:x}"
        # Some readers give their address in capitals, which email_normalised folds.
        if rng.random() < 0.05:
            email = email.upper()
        pool.append((name, email, ip_address, rng.choice(USER_AGENTS)))
    return pool
