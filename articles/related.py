"""The Related Articles block: the editors' picks first, then the closest published stories."""

import math
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import Case, FloatField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from .models import Article, RelatedLink, TaggedArticle, pk_in_any

CARDS = 4
# Candidates read into Python to break ties by text similarity.
SHORTLIST = 24
# Stories per shared topic considered, newest first: a reader looks for the latest on it.
PER_TOPIC = 50


@dataclass(frozen=True)
class RelatedCard:
    headline: str
    url: str
    excerpt: str
    topic: str = ""
    section: str = ""
    image: object = None  # a library Image
    article_id: int | None = None  # None for an outside link
    is_external: bool = False

    @property
    def title(self):
        """Return the card's heading: “Headline | Topic News”, as the page's own title."""
        return f"{self.headline} | {self.topic} News" if self.topic else self.headline


def _article_card(article):
    return RelatedCard(
        headline=article.headline,
        url=article.get_absolute_url(),
        excerpt=article.excerpt,
        topic=article.primary_topic.name if article.primary_topic else "",
        section=article.section.name,
        image=article.lead_image,
        article_id=article.pk,
    )


def _link_card(link):
    return RelatedCard(
        headline=link.title,
        url=link.url,
        excerpt="",
        section=urlsplit(link.url).hostname or "",
        is_external=True,
    )


def related_cards(article):
    """Return up to four cards for the article in at most two queries.

    Editor-picked links come first, in their order, skipping any article readers cannot see.
    The rest are ranked by the topics they share with this one, a rare topic counting more
    than a common one, then by how alike their headlines and standfirsts read, then by date;
    stories from the same section stand in when too few share a topic.
    """
    # Visibility is checked on the joined target row: "target in published()" would make the
    # database list every published article first.
    visible = Article.published_condition(via="target")
    links = list(
        RelatedLink.objects.filter(article=article)
        .filter(Q(target__isnull=True) | visible)
        .select_related("target__section", "target__primary_topic", "target__lead_image")[:CARDS]
    )
    cards = [_link_card(link) if link.url else _article_card(link.target) for link in links]
    missing = CARDS - len(cards)
    if missing <= 0:
        return cards

    exclude = {article.pk} | {link.target_id for link in links if link.target_id}
    weights = _topic_weights(article.topic_list)
    shortlist = list(
        Article.objects.published()
        .filter(pk_in_any(_candidates(article, weights)))
        .exclude(pk__in=exclude)
        .annotate(score=_score(weights))
        .select_related("section", "primary_topic", "lead_image")
        .order_by("-score", "-published_at", "-pk")[:SHORTLIST]
    )
    words = _words(article)
    shortlist.sort(
        key=lambda c: (round(c.score, 3), _similarity(words, _words(c)), c.published_at),
        reverse=True,
    )
    return cards + [_article_card(candidate) for candidate in shortlist[:missing]]


def _candidates(article, weights):
    """Return the stories worth scoring: the newest few hundred on each of the article's
    topics, and the newest in its section, each a short index walk however large the archive.
    """
    on_topics = [
        TaggedArticle.objects.filter(tag=pk)
        .order_by("-content_object")
        .values("content_object")[:PER_TOPIC]
        for pk in weights
    ]
    in_section = (
        Article.objects.published()
        .filter(section=article.section_id)
        .order_by("-published_at", "-pk")
        .values("pk")[:SHORTLIST]
    )
    return [*on_topics, in_section]


def _topic_weights(topics):
    """Return each topic's weight: the fewer stories carry it, the more it says."""
    return {topic.pk: 1 / math.log(2 + topic.article_count) for topic in topics}


def _score(weights):
    """Return the sum of the weights of the topics a candidate shares with the article.

    A subquery per candidate, not a join and GROUP BY: grouping would sort every candidate's
    whole row, body included.
    """
    if not weights:
        return Value(0.0, output_field=FloatField())
    shared = (
        TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag__in=list(weights))
        .order_by()
        .values("content_object")
        .annotate(
            score=Sum(
                Case(
                    *[When(tag=pk, then=Value(weight)) for pk, weight in weights.items()],
                    output_field=FloatField(),
                )
            )
        )
        .values("score")
    )
    return Coalesce(Subquery(shared), Value(0.0), output_field=FloatField())


def _words(article):
    text = f"{article.headline} {article.standfirst}".casefold()
    return set(re.findall(r"\w{4,}", text))


def _similarity(a, b):
    """Return the share of words two texts have in common (Jaccard), 0 to 1."""
    return len(a & b) / len(a | b) if a and b else 0.0
