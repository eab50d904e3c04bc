"""What the API reads, always from the public QuerySets, in a fixed number of queries.

Every article the API shows comes from ``Article.objects.published()``: drafts, scheduled,
embargoed, expired and withdrawn stories never reach a serializer.
"""

from django.db.models import Prefetch, prefetch_related_objects

from articles.models import Article, Byline, Correction, TaggedArticle
from comments.models import Comment

# A live story's detail shows its newest entries; the entries list pages through the rest.
ENTRIES_IN_DETAIL = 20


def articles():
    """Return the published articles with what an article shows: its section, primary topic
    and picture in the one query, then its bylines, topics and public notes in one each,
    however many articles."""
    taggings = TaggedArticle.objects.select_related("tag").order_by("tag__name")
    return (
        Article.objects.published()
        .for_listing()
        .prefetch_related(
            # The same attributes the article page loads (load_page_rows), so the model's
            # byline, topic_list and modified_at read them.
            Prefetch("bylines", queryset=Byline.objects.select_related("author")),
            Prefetch("taggedarticle_set", queryset=taggings, to_attr="taggings"),
            Prefetch(
                "corrections", queryset=Correction.objects.public(), to_attr="public_corrections"
            ),
        )
    )


def public_entries(article):
    """Return the live story's public entries, newest first, with their authors."""
    return article.entries.public().newest_first().select_related("author")


def with_entry_notes(entries):
    """Load each entry's public corrections, in one query for the lot."""
    prefetch_related_objects(
        entries,
        Prefetch("corrections", queryset=Correction.objects.public(), to_attr="public_notes"),
    )
    return entries


def newest_entries(article):
    """Return the live story's newest public entries, for its detail, with their notes."""
    return with_entry_notes(list(public_entries(article)[:ENTRIES_IN_DETAIL]))


def approved_comments(article):
    """Return the article's approved comments: only what its page shows readers."""
    # What a commenter gave only to the newsroom is not even read, so no serializer can show it.
    private = ("email", "email_normalised", "ip_address", "user_agent", "submission_token")
    return Comment.objects.approved().filter(article=article).defer(*private)
