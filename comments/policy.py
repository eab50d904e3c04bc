"""The moderation policy: a reader's submission in, the comment's first status and reasons out.

Each rule is a function ``rule_<name>(submission, now, values)`` that returns a Finding when
it fires and None otherwise: the status it would give the comment (spam, pending for a
moderator, or approved) and why. ``assess()`` runs every rule in RULES, keeps all the
findings, and ranks them into the policy's verdict: spam beats pending, pending beats trust,
trust beats pre-moderation. ``values`` are the lists, limits and switches of the policy in
force (policy_store.py, as saved in the admin), read once per assessment; a rule called
without them reads them itself.

The policy's verdict is the comment's first status; what moderators do with it afterwards are
their decisions (CommentDecision, services.comment_decide).
"""

import functools
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Article, CommentModeration
from richtext.plain import fold

from .models import Comment, Commenter, body_fingerprint, normalise_email
from .policy_store import current_policy

# What a finding can make of a comment: the statuses of Comment.Status.
SPAM = Comment.Status.SPAM
HOLD = Comment.Status.PENDING
APPROVE = Comment.Status.APPROVED

# "https://www.example.com" is one link, so a "www." right after "//" is not counted again.
LINK = re.compile(r"https?://|(?<![\w/])www\.", re.IGNORECASE)


@dataclass(frozen=True)
class Submission:
    article: Article
    name: str
    email: str
    website: str
    body: str
    ip_address: str | None = None
    honeypot: str = ""


@dataclass(frozen=True)
class Finding:
    rule: str
    status: str  # the Comment.Status this rule would give the comment
    reason: str
    words: tuple[str, ...] = ()

    @property
    def label(self):
        """Return the rule's name in moderators' words."""
        return RULE_LABELS[self.rule]


@dataclass(frozen=True)
class Verdict:
    """What the policy makes of a submission: the comment's first status, and every finding."""

    status: str
    findings: tuple[Finding, ...]

    @property
    def label(self):
        return Comment.Status(self.status).label

    def reasons(self):
        """Return the findings as JSON-ready dicts, for Comment.policy_reasons."""
        return [
            {"rule": f.rule, "status": f.status, "reason": f.reason, "words": list(f.words)}
            for f in self.findings
        ]


# Text helpers


def _fold(text):
    """Return text without case, accents or runs of whitespace, for matching list words."""
    return " ".join(fold(text).split())


@functools.lru_cache(maxsize=1024)
def _word_pattern(entry):
    """Return a regex matching the folded list entry as whole words."""
    # Look-arounds rather than \b, so entries that start or end with punctuation work too.
    return re.compile(rf"(?<!\w){re.escape(_fold(entry))}(?!\w)")


def find_words(text, words):
    """Return the list entries found as whole words in text, in list order, once each."""
    folded = _fold(text)
    found = []
    for entry in words:
        if entry not in found and _fold(entry) and _word_pattern(entry).search(folded):
            found.append(entry)
    return found


def highlight(text, words):
    """Return text as escaped HTML with the list entries found in it wrapped in <mark>."""
    tokens = [(m.start(), m.end(), _fold(m.group())) for m in re.finditer(r"\w+", text)]
    marked = set()
    for entry in words:
        wanted = _fold(entry).split()
        for i in range(len(tokens) - len(wanted) + 1):
            if wanted and [t[2] for t in tokens[i : i + len(wanted)]] == wanted:
                marked.add((tokens[i][0], tokens[i + len(wanted) - 1][1]))
    html, at = [], 0
    for start, end in sorted(marked):
        if start < at:  # overlapping matches: the first one is enough
            continue
        html += [escape(text[at:start]), "<mark>", escape(text[start:end]), "</mark>"]
        at = end
    html.append(escape(text[at:]))
    return mark_safe("".join(html))


def count_links(text):
    """Return how many links the text has, counted as the links rule counts them."""
    return len(LINK.findall(text))


def _find_in(texts, words):
    """Return the list entries found in any of the texts, in list order, once each."""
    # Searched one by one so a phrase can't match across the end of one field and the next.
    found = {entry for text in texts for entry in find_words(text, words)}
    return [entry for entry in dict.fromkeys(words) if entry in found]


def _email_domains(email):
    """Return the email's domain and its parent domains, most specific first."""
    _local, at, domain = normalise_email(email).rpartition("@")
    labels = domain.strip(".").split(".") if at else []
    return [".".join(labels[i:]) for i in range(len(labels)) if labels[i]]


def _listed(domains, entries):
    """Return the first list entry (as written) that matches one of the domains, or None."""
    wanted = set(domains)
    return next((entry for entry in entries if entry.strip().lower() in wanted), None)


def _standing(email):
    """Return the moderators' Commenter record for the email, or None."""
    return Commenter.objects.filter(email=normalise_email(email)).first()


def suspended_until(email, *, now=None):
    """Return when the commenter's suspension ends, or None if they are not suspended."""
    standing = _standing(email)
    suspended = standing and standing.standing == Commenter.Standing.SUSPENDED
    until = standing.suspended_until if suspended else None
    return until if until and until > (now or timezone.now()) else None


def _plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# Rules, in the order they are run and recorded.


def rule_honeypot(submission, now, values=None):
    """Return a spam finding if the field hidden from people was filled in."""
    if submission.honeypot:
        return Finding("honeypot", SPAM, "Filled in the hidden field that only robots see.")
    return None


def rule_block_list(submission, now, values=None):
    """Return a spam finding if the body, name or website contains blocked words."""
    texts = (submission.body, submission.name, submission.website)
    words = _find_in(texts, (values or current_policy()).block_words)
    if words:
        reason = f"Contains blocked words: {', '.join(words)}."
        return Finding("block_list", SPAM, reason, tuple(words))
    return None


def rule_email_domain(submission, now, values=None):
    """Return a spam finding if the email's domain is blocked or disposable."""
    values = values or current_policy()
    domains = _email_domains(submission.email)
    if blocked := _listed(domains, values.blocked_email_domains):
        reason = f"The email address is at {blocked}, on the blocked email domains list."
        return Finding("email_domain", SPAM, reason, (blocked,))
    if listed := _listed(domains, values.disposable_email_domains):
        reason = f"The email address is at {listed}, on the disposable email domains list."
        return Finding("email_domain", SPAM, reason, (listed,))
    return None


def rule_duplicate(submission, now, values=None):
    """Return a spam finding if the same text was posted recently, anywhere, by anyone."""
    hours = settings.COMMENTS_DUPLICATE_WINDOW_HOURS
    recent = Comment.objects.filter(
        body_fingerprint=body_fingerprint(submission.body),
        created_at__gte=now - timedelta(hours=hours),
    )
    if recent.exists():
        reason = f"The same text was posted in the last {_plural(hours, 'hour')}."
        return Finding("duplicate", SPAM, reason)
    return None


def rule_standing(submission, now, values=None):
    """Return the finding for what moderators decided about this commenter, if anything.

    Banned commenters' comments are spam, silently; always-pre-moderated and suspended
    commenters' comments wait for a moderator.
    """
    standing = _standing(submission.email)
    if standing is None:
        return None
    if standing.standing == Commenter.Standing.BANNED:
        return Finding("standing", SPAM, "The commenter is banned.")
    if standing.standing == Commenter.Standing.PREMODERATED:
        return Finding("standing", HOLD, "Moderators always check this commenter's comments.")
    if standing.standing == Commenter.Standing.SUSPENDED and (
        standing.suspended_until is None or standing.suspended_until > now
    ):
        return Finding("standing", HOLD, "The commenter is suspended.")
    return None


def rule_links(submission, now, values=None):
    """Return a hold finding if the body has more links than allowed."""
    allowed = (values or current_policy()).max_links
    count = count_links(submission.body)
    if count > allowed:
        reason = f"Contains {_plural(count, 'link')} (more than {allowed} allowed)."
        return Finding("links", HOLD, reason)
    return None


def rule_moderation_list(submission, now, values=None):
    """Return a hold finding if the body or name contains words on the moderation list."""
    listed = (values or current_policy()).moderation_words
    words = _find_in((submission.body, submission.name), listed)
    if words:
        reason = f"Contains words on the moderation list: {', '.join(words)}."
        return Finding("moderation_list", HOLD, reason, tuple(words))
    return None


def rule_rejection_history(submission, now, values=None):
    """Return a hold finding if too many of the commenter's recent comments were refused."""
    since = now - timedelta(days=settings.COMMENTS_REJECTION_WINDOW_DAYS)
    theirs = Comment.objects.by_email(submission.email)
    if submission.ip_address:
        theirs |= Comment.objects.filter(ip_address=submission.ip_address)
    refused = [Comment.Status.REJECTED, Comment.Status.SPAM]
    counts = (
        theirs.filter(status__in=[Comment.Status.APPROVED, *refused])
        # The policy decides at posting time and leaves decided_at empty; moderators set it.
        .alias(decided_on=Coalesce("decided_at", "created_at"))
        .filter(decided_on__gte=since)
        .aggregate(decided=Count("pk"), refused=Count("pk", filter=Q(status__in=refused)))
    )
    decided, bad = counts["decided"], counts["refused"]
    enough = decided and decided >= settings.COMMENTS_REJECTION_MIN_DECIDED
    if enough and bad / decided > settings.COMMENTS_REJECTION_RATIO:
        reason = f"{bad} of their last {decided} decided comments were rejected or spam."
        return Finding("rejection_history", HOLD, reason)
    return None


def rule_trusted(submission, now, values=None):
    """Return an approve finding if enough comments from this email were approved."""
    needed = (values or current_policy()).trusted_after
    if needed <= 0:
        return None
    approved = Comment.objects.by_email(submission.email).approved().count()
    if approved >= needed:
        reason = f"This email address already has {_plural(approved, 'approved comment')}."
        return Finding("trusted", APPROVE, reason)
    return None


def rule_premoderation(submission, now, values=None):
    """Return a hold finding if every comment on the article waits for a moderator."""
    moderation = submission.article.comment_moderation
    if moderation == CommentModeration.PRE:
        where = "article"
    elif moderation == CommentModeration.SITE and (values or current_policy()).premoderate:
        where = "site"
    else:
        return None
    return Finding("premoderation", HOLD, f"Every comment waits for a moderator on this {where}.")


RULES = (
    rule_honeypot,
    rule_block_list,
    rule_email_domain,
    rule_duplicate,
    rule_standing,
    rule_links,
    rule_moderation_list,
    rule_rejection_history,
    rule_trusted,
    rule_premoderation,
)


# Each rule's name as the desk and its "test a text" page show it.
RULE_LABELS = {
    "honeypot": "Robot trap",
    "block_list": "Blocked words",
    "email_domain": "Email domain",
    "duplicate": "Posted before",
    "standing": "Commenter's record",
    "links": "Links",
    "moderation_list": "Words to check",
    "rejection_history": "Refused before",
    "trusted": "Trusted commenter",
    "premoderation": "Pre-moderation",
}


def _status(findings):
    """Return the Comment.Status the findings lead to."""
    statuses = {f.status for f in findings if f.rule != "premoderation"}
    if SPAM in statuses:
        return SPAM
    if HOLD in statuses:
        return HOLD
    # Trust lets a known commenter skip pre-moderation, but not the rules above.
    if APPROVE in statuses:
        return APPROVE
    if any(f.rule == "premoderation" for f in findings):
        return HOLD
    return APPROVE


def assess(submission, *, now=None):
    """Return the policy's Verdict on a submission: its status and every finding, in RULES order.

    A comment that no rule holds is approved with no findings. Findings that did not decide
    the status are kept too (a trusted commenter's spam, pre-moderation under trust), so
    moderators see every reason.
    """
    now = now or timezone.now()
    values = current_policy()
    findings = tuple(f for rule in RULES if (f := rule(submission, now, values)) is not None)
    return Verdict(status=_status(findings), findings=findings)


def comments_closed_reason(article, *, now=None):
    """Return why readers may not comment on the article, or None if they may."""
    now = now or timezone.now()
    if not article.is_published(now=now):
        return "Comments open when the article is published."
    if not article.comments_open:
        return "The editors have closed comments on this article."
    days = current_policy().close_after_days
    if days > 0 and now >= article.published_at + timedelta(days=days):
        return f"Comments closed automatically {_plural(days, 'day')} after publication."
    return None
