"""The Related Articles block: the editors' picks first, then the closest published stories."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import Count, Q

from .models import Article, RelatedLink

CARDS = 4


@dataclass(frozen=True)
class RelatedCard:
    headline: str
    url: str
    excerpt: str
    topic: str = ""
    section: str = ""
    image_url: str = ""
    image_width: int | None = None
    image_height: int | None = None
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
        image_url=article.lead_image.url if article.lead_image else "",
        image_width=article.lead_image_width,
        image_height=article.lead_image_height,
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
    """Return up to four cards for the article in two queries, however many links it has.

    Editor-picked links come first, in their order, skipping any article readers cannot see.
    The rest are the published articles sharing the most topics with this one, newest first;
    stories from the same section stand in when too few share a topic.
    """
    picked_targets = Article.objects.published()
    links = list(
        RelatedLink.objects.filter(article=article)
        .filter(Q(target__isnull=True) | Q(target__in=picked_targets))
        .select_related("target__section", "target__primary_topic")[:CARDS]
    )
    cards = [_link_card(link) if link.url else _article_card(link.target) for link in links]
    missing = CARDS - len(cards)
    if missing <= 0:
        return cards

    exclude = {article.pk} | {link.target_id for link in links if link.target_id}
    topic_ids = [topic.pk for topic in article.topics.all()]
    candidates = (
        Article.objects.published()
        .exclude(pk__in=exclude)
        .filter(Q(topics__in=topic_ids) | Q(section=article.section_id))
        .annotate(shared=Count("topics", filter=Q(topics__in=topic_ids), distinct=True))
        .select_related("section", "primary_topic")
        .order_by("-shared", "-published_at", "-pk")[:missing]
    )
    return cards + [_article_card(candidate) for candidate in candidates]
