"""The comment policy in force: its values, where they are kept, and how a change takes effect.

Editors and Moderation leads edit the policy in the admin (admin_policy.py). Each save adds a
PolicyVersion with every value; the newest is in force, and until the first save the
COMMENTS_* settings give the values. The rules (policy.py) read one PolicyValues from
``current_policy()``, kept in Django's cache so that a comment costs no query for it. A save
clears it, and every app server process reads the new version on its next comment.
"""

import hashlib
from dataclasses import dataclass, fields

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .models import PolicyVersion

# Used when settings.COMMENTS_DISPOSABLE_EMAIL_DOMAINS is None.
DISPOSABLE_EMAIL_DOMAINS = frozenset(
    {
        "10minutemail.com",
        "20minutemail.com",
        "33mail.com",
        "burnermail.io",
        "discard.email",
        "dispostable.com",
        "emailondeck.com",
        "fakeinbox.com",
        "getairmail.com",
        "getnada.com",
        "guerrillamail.biz",
        "guerrillamail.com",
        "guerrillamail.de",
        "guerrillamail.info",
        "guerrillamail.net",
        "guerrillamail.org",
        "guerrillamailblock.com",
        "mailcatch.com",
        "maildrop.cc",
        "mailinator.com",
        "mailnesia.com",
        "mintemail.com",
        "mohmal.com",
        "mytemp.email",
        "sharklasers.com",
        "spam4.me",
        "spamgourmet.com",
        "temp-mail.org",
        "tempail.com",
        "tempmail.com",
        "tempr.email",
        "throwawaymail.com",
        "trashmail.com",
        "trashmail.de",
        "yopmail.com",
        "yopmail.fr",
    }
)

# A read that raced a save (it read the old version, the save committed and cleared the cache,
# then the read stored what it had) is corrected after this long at the latest.
CACHE_SECONDS = 300
# What the cache holds while no version was ever saved: the settings decide, read each time.
_UNSAVED = "unsaved"

# The fields holding lists, kept one entry a line.
LISTS = ("moderation_words", "block_words", "blocked_email_domains", "disposable_email_domains")


def policy_cache_key():
    """Return the cache key of the policy in force: the one place it is named.

    It names the fields too, so that a release that adds one never reads an older release's
    entry (which it could not unpickle into the new PolicyValues).
    """
    shape = hashlib.sha256(" ".join(FIELD_NAMES).encode()).hexdigest()[:12]
    return f"comments:policy-in-force:{shape}"


@dataclass(frozen=True)
class PolicyValues:
    """Every value of the comment policy, as the rules read them."""

    moderation_words: tuple[str, ...]
    block_words: tuple[str, ...]
    max_links: int
    blocked_email_domains: tuple[str, ...]
    disposable_email_domains: tuple[str, ...]
    trusted_after: int
    close_after_days: int
    premoderate: bool

    @classmethod
    def from_settings(cls):
        """Return the policy the settings give: the first values, before any save."""
        disposable = settings.COMMENTS_DISPOSABLE_EMAIL_DOMAINS
        if disposable is None:
            disposable = sorted(DISPOSABLE_EMAIL_DOMAINS)
        return cls(
            moderation_words=tuple(settings.COMMENTS_MODERATION_WORDS),
            block_words=tuple(settings.COMMENTS_BLOCK_WORDS),
            max_links=settings.COMMENTS_MAX_LINKS,
            blocked_email_domains=tuple(settings.COMMENTS_BLOCKED_EMAIL_DOMAINS),
            disposable_email_domains=tuple(disposable),
            trusted_after=settings.COMMENTS_TRUSTED_AFTER,
            close_after_days=settings.COMMENTS_CLOSE_AFTER_DAYS,
            premoderate=settings.COMMENTS_PREMODERATE,
        )

    @classmethod
    def from_version(cls, version):
        """Return the values of a saved version (or of the settings for None)."""
        if version is None:
            return cls.from_settings()
        values = {name: getattr(version, name) for name in FIELD_NAMES}
        for name in LISTS:
            values[name] = tuple(values[name].splitlines())
        return cls(**values)

    def as_fields(self):
        """Return the values as a PolicyVersion's fields."""
        values = {name: getattr(self, name) for name in FIELD_NAMES}
        for name in LISTS:
            values[name] = "\n".join(values[name])
        return values


FIELD_NAMES = tuple(field.name for field in fields(PolicyValues))


def current_policy():
    """Return the PolicyValues in force: from the cache, or else the newest saved version."""
    stored = cache.get(policy_cache_key())
    if stored is None:
        newest = PolicyVersion.objects.first()
        stored = _UNSAVED if newest is None else PolicyValues.from_version(newest)
        cache.set(policy_cache_key(), stored, timeout=CACHE_SECONDS)
    # Read each time, so that a change of the settings (a test's) counts at once.
    return PolicyValues.from_settings() if stored == _UNSAVED else stored


def forget_current_policy():
    """Make the next comment read the policy again: now, and again once the save commits (a
    comment read in between would have put back the version before it)."""
    cache.delete(policy_cache_key())
    transaction.on_commit(lambda: cache.delete(policy_cache_key()))


def values_before(version):
    """Return the policy that was in force before this version was saved."""
    earlier = PolicyVersion.objects.filter(pk__lt=version.pk).first()
    return PolicyValues.from_version(earlier)


# The history, in the admin's words


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def _shown(name, value):
    if name in LISTS:
        return "\n".join(value) or "(empty)"
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def changes_between(before, after):
    """Return a Change for each value that differs between two PolicyValues, in form order."""
    return [
        Change(
            label=PolicyVersion._meta.get_field(name).verbose_name.capitalize(),
            before=_shown(name, getattr(before, name)),
            after=_shown(name, getattr(after, name)),
        )
        for name in FIELD_NAMES
        if getattr(before, name) != getattr(after, name)
    ]


@dataclass(frozen=True)
class HistoryRow:
    version: PolicyVersion
    changes: list


def history(limit=100):
    """Return the newest versions, newest first, each with what it changed; the oldest one is
    compared with the settings' values. One query, with who saved each."""
    versions = list(PolicyVersion.objects.select_related("saved_by")[: limit + 1])
    rows = []
    for i, version in enumerate(versions[:limit]):
        earlier = versions[i + 1] if i + 1 < len(versions) else None
        before, after = PolicyValues.from_version(earlier), PolicyValues.from_version(version)
        rows.append(HistoryRow(version, changes_between(before, after)))
    return rows
