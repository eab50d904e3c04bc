"""Every page's number of SQL queries, pinned in one place.

Each test that counts a page's queries takes the number from here and pins it exactly, with
rows enough that one query per row would show (tests/articles/test_query_counts.py and the
tests beside each page). A page that needs one more query changes its number here, on purpose.

Readers' pages are counted for an anonymous reader with the page cache off. Staff pages count
the signed-in request's own queries too: the session (none when sessions are cached in Redis,
whose copy the sign-in wrote), the two-factor check, the user, and their permissions.
"""

from django.conf import settings


def _session_queries():
    return 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1


def _cache_is_a_table():
    return settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")


def policy_first_read():
    """Return the queries of reading the comment policy in force from an emptied cache, as
    each counted test begins (comments/policy_store.py): its newest version; and where the
    cache is a database table (no Redis), the table's own: the look-up, then storing the
    policy (a count, a savepoint, a look-up, the insert, the release)."""
    return 7 if _cache_is_a_table() else 1


def policy_cached_read():
    """Return the queries of reading the comment policy in force once it is in the cache:
    none from Redis, the look-up where the cache is a database table."""
    return 1 if _cache_is_a_table() else 0


READERS = {
    # Every page built on base.html reads the breaking-news banner: one query (the front page's
    # row with the banner's story), counted in each budget below. Feeds and sitemaps show no
    # banner.
    #
    # The front page, however many top stories and pins: the front page's row (its lead and
    # the banner's story), the slots' article ids, the navigation, and every story it shows
    # (the chosen ones and the newest of each section) in one query with their sections,
    # topics and pictures.
    "front": 4,
    # The section, its pinned stories, the page of the rest, the count for the page numbers,
    # the navigation and the banner.
    "section": 6,
    # Each listing: its subject, the page of stories (one query with their sections, topics
    # and pictures), the count for the page numbers, the navigation and the banner.
    "topic": 5,
    "author": 5,
    "corrections": 4,
    # The article, byline, topics, corrections, editors' picks, the related fill-up, this
    # page's top-level comments (with the counts) and their threads, the navigation and the
    # banner; and the comment policy in force, which says whether comments are still open.
    "article": 10 + policy_first_read(),
    # With four editors' picks there is no fill-up to look for.
    "article, picks only": 9 + policy_first_read(),
    # With the page cache on, after a comment is approved: the story's row with its bylines,
    # topics and notes, its parts, the navigation and the banner are stored; only this page
    # of comments is read (its top-level comments, then their threads).
    "article, new thread only": 2,
    # With the page cache on, after a new live entry: the live coverage's queries above (the
    # pinned entry, the count and page of the others, their corrections, the key events), for
    # its entries and its metadata; nothing else.
    "live coverage, new entry only": 5,
    # The article page's, and: the pinned entry, the count and page of the others, their
    # corrections, the key events.
    "live coverage": 15 + policy_first_read(),
    # The ids found, the page of them, the navigation and the banner.
    "search": 4,
    "feed": 3,
    "section feed": 4,
    "topic feed": 4,
    "author feed": 4,
    "sitemap index": 10,
    "sitemap": 2,
    # The content API (/api/v1/), which shows no banner or navigation. A page of articles:
    # the articles with their sections, primary topics and pictures, then their bylines,
    # topics and public notes, one query each.
    "api articles": 4,
    # The same four, and for a live story its newest entries and their notes.
    "api article": 4,
    "api live article": 6,
    # The story, the page of entries with their authors, their notes.
    "api entries": 3,
    # The story, the page of approved comments.
    "api comments": 2,
    "api sections": 1,
    "api topics": 1,
    "api authors": 1,
    "api section": 1,
    "api topic": 1,
    "api author": 1,
}


# Every signed-in request asks once whether its session is signed in as its account needs
# (newsroom/two_factor.py): the device the session gave a code with, or else whether the
# account has an authenticator app.
TWO_FACTOR_CHECK = 1


def staff(page):
    """Return a staff page's number of queries, its session's and two-factor check included."""
    return _session_queries() + TWO_FACTOR_CHECK + STAFF[page]


def sign_in(page):
    """Return a sign-in page's number of queries, its session's included."""
    return _session_queries() + SIGN_IN[page]


SIGN_IN = {
    # The account whose password this session checked, and whether it has an app.
    "code page": 2,
}


# Without the session: the user, their permissions (user and group), then the page's own.
STAFF = {
    "article list": 11,
    "comment list": 8,
    "image list": 8,
    "image picker": 5,
    "revision history": 6,
    "revision compare": 6,
    "revision restore": 9,
    # Each queue's count (review requests among them), the page of cards, their commenters,
    # and the comment policy in force, for the words to highlight.
    "moderation desk": 14 + policy_first_read(),
    # The admin's home page for an editor: the recent actions, and the stories waiting for
    # review with their sections and writers, in one query however many there are.
    "admin home": 5,
    # The user, their permissions, the policy in force (its newest version), then the
    # history's versions with who saved each, in one query however many.
    "comment policy": 5,
    # Privacy requests (issue 18). What is stored about an address: whether anything is,
    # then a count of each kind (comments, notes, standing, reply emails, emails).
    "privacy page": 9,
    # The page of records with who handled them, and the count for the page numbers (twice:
    # the filtered and the full count).
    "privacy request list": 6,
    # Two-factor sign-in (newsroom/admin_two_factor.py), for a Writer: the user and their
    # permissions; the key being set up is in the session, and whether the account has an app
    # was the check's question.
    "two-factor set-up": 3,
    # Once on: the same, and the recovery codes left.
    "two-factor status": 4,
}


# Queries of the comment policy's table (comments/policy_store.py), which the article page and
# every posted comment read: none once the policy in force is in the cache, one to read it
# after a save cleared it.
POLICY_READS = {
    "a comment, the policy cached": 0,
    "the first page or comment after a save": 1,
}


# The content API's partner endpoints (api/views_partner.py), for an anonymous reader; a key
# adds one query (its row), and one more once a minute to record its use.
API_PARTNER = {
    # The article with its section, topic and picture; its bylines; its topics.
    "ninjs article": 3,
    # A live coverage's, and its newest entries with their authors, in one query.
    "ninjs live coverage": 4,
    # The entry with its author, story and section.
    "ninjs entry": 1,
    # What has come due (none here), then the page of changes.
    "changes": 2,
    # The same, and the page's public articles as for "ninjs article".
    "changes, ninjs": 5,
    # With live coverages among them: and every coverage's newest entries, in one query.
    "changes, ninjs, live coverage": 6,
}


# The operators' addresses, answered above the page cache and the sessions (newsroom/probes.py),
# whatever the cache: Redis is asked no query, the cache table never.
OPERATORS = {
    # The process alone.
    "healthz": 0,
    # SELECT 1 on the primary, then the worker's last beat.
    "readyz": 2,
    # The tasks not finished, by queue and state, in one query; the worker's last beat.
    "metrics": 2,
}
