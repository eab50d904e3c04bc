"""The publishing app's models, one module for each part of the newsroom's work."""

from .front_page import FrontPage, SectionPin, TopStory
from .live import LiveEntry, LiveEntryRevision
from .stories import (
    EXCERPT_LENGTH,
    Article,
    ArticleRedirect,
    ArticleRevision,
    Byline,
    CommentModeration,
    Correction,
    RelatedLink,
    pk_in_any,
)
from .taxonomy import Author, Section, TaggedArticle, Topic

__all__ = [
    "EXCERPT_LENGTH",
    "Article",
    "ArticleRedirect",
    "ArticleRevision",
    "Author",
    "Byline",
    "CommentModeration",
    "Correction",
    "FrontPage",
    "LiveEntry",
    "LiveEntryRevision",
    "RelatedLink",
    "Section",
    "SectionPin",
    "TaggedArticle",
    "TopStory",
    "Topic",
    "pk_in_any",
]
