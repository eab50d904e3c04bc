"""The surrogate keys of the articles app's pages, one function for each kind of key.

Views tag their pages with these, signals.py drops them when a change touches them, and
other apps (comments) use them for the article pages they change. The page cache itself
(caching/) only stores, matches and purges the strings.
"""

# Pages that list articles whatever their section, topic or author.
FRONT = "front"
FEEDS = "feeds"
SITEMAPS = "sitemaps"
SEARCH = "search"
CORRECTIONS = "corrections"
EVERY_LIST = (FRONT, FEEDS, SITEMAPS, SEARCH, CORRECTIONS)


def article(article_id):
    """The article's own page, and the pages whose related cards show it."""
    return f"article-{article_id}"


def section(section_id):
    return f"section-{section_id}"


def topic(topic_id):
    return f"topic-{topic_id}"


def author(author_id):
    return f"author-{author_id}"


def comments(article_id):
    """The article's comment thread."""
    return f"comments-{article_id}"


# Every article's comment block, for what the comment policy shows readers there (whether
# comments have closed by themselves, so many days after publication).
COMMENT_POLICY = "comment-policy"


def live(article_id):
    """The entries of the article's live coverage."""
    return f"live-{article_id}"
