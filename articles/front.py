"""The front page as readers get it: the editors' lead, their top stories, each section's
pinned stories and the newest of the rest, and the breaking-news banner on every page.

Every story comes through ``Article.objects.published()``, so one that is withdrawn,
unpublished, embargoed, expired or not yet due leaves its slot empty by itself, and the newest
stories fill in. No story shows twice: a story shown higher up is left out further down.

The front page takes the same four queries however many slots the editors fill: the front
page's row (with the banner's story), the slots' article ids, the navigation, and the stories.
"""

from dataclasses import dataclass, field

from django.db.models import IntegerField, OuterRef, Subquery, Value
from django.utils import timezone

from .models import Article, FrontPage, SectionPin, TopStory, pk_in_any

STORIES_PER_SECTION_ON_FRONT = 4
TOP_STORIES_LIMIT = 8


@dataclass
class Banner:
    text: str
    article: Article


@dataclass
class FrontPageBlocks:
    lead: Article | None = None
    top_stories: list = field(default_factory=list)
    sections: list = field(default_factory=list)  # (section, [articles]) in navigation order
    banner: Banner | None = None


def _front_page_row():
    """Return the front page's row with the banner's story, or None if nobody has set it."""
    return FrontPage.objects.select_related("banner_article__section").filter(pk=1).first()


def banner_of(front_page, *, now=None):
    """Return the banner readers see now, or None: it needs words, time left, and a story
    readers may open."""
    if front_page is None or not front_page.banner_is_on(now=now):
        return None
    article = front_page.banner_article
    if article is None or not article.is_published(now=now):
        return None
    return Banner(text=front_page.banner_text, article=article)


def current_banner():
    """Return the breaking-news banner readers see now, in one query, or None."""
    return banner_of(_front_page_row())


def banner_change():
    """Return when the banner ends by itself, if that is still to come (for caching.schedule)."""
    ends_at = (
        FrontPage.objects.filter(pk=1)
        .exclude(banner_text="")
        .values_list("banner_ends_at", flat=True)
        .first()
    )
    return ends_at if ends_at and ends_at > timezone.now() else None


def _slots():
    """Return the top stories' article ids in order, and the pins as (section id, article id)
    in each section's order, in one query."""
    top = TopStory.objects.filter(front_page_id=1).values_list(
        Value(None, output_field=IntegerField()), "position", "pk", "article_id"
    )
    pins = SectionPin.objects.filter(front_page_id=1).values_list(
        "section_id", "position", "pk", "article_id"
    )
    rows = sorted(
        top.order_by().union(pins.order_by(), all=True),
        key=lambda row: (row[0] is not None, row[0] or 0, row[1], row[2]),
    )
    top_ids = [article_id for section_id, _, _, article_id in rows if section_id is None]
    pinned = [(section_id, article_id) for section_id, _, _, article_id in rows if section_id]
    return top_ids, pinned


def front_page_blocks(nav_sections):
    """Return what the front page shows, in a fixed number of queries."""
    front_page = _front_page_row()
    top_ids, pinned = _slots()
    chosen = {pk for pk in [front_page and front_page.lead_id, *top_ids] if pk}
    chosen |= {article_id for _, article_id in pinned}
    published = Article.objects.published()
    # The newest of each section, past the stories the editors placed; one more than a block
    # holds, in case the newest story of all (the lead, when none is chosen) is one of them.
    rest = published.exclude(pk__in=chosen)
    picks = [
        rest.filter(section=section)
        .order_by("-published_at", "-pk")
        .values("pk")[: STORIES_PER_SECTION_ON_FRONT + 1]
        for section in nav_sections
    ]
    picks.append(published.order_by("-published_at", "-pk").values("pk")[:1])
    if chosen:
        # One more pick rather than an OR beside the others: with an OR, PostgreSQL filters
        # every published row against the picks instead of joining to them by primary key.
        picks.append(Article.objects.filter(pk__in=sorted(chosen)).values("pk"))
    stories = list(published.filter(pk_in_any(picks)).for_listing())
    by_pk = {story.pk: story for story in stories}

    blocks = FrontPageBlocks(banner=banner_of(front_page))
    lead_id = front_page and front_page.lead_id
    blocks.lead = by_pk.get(lead_id) or (stories[0] if stories else None)
    shown = {blocks.lead.pk} if blocks.lead else set()
    for pk in top_ids:
        if pk in by_pk and pk not in shown and len(blocks.top_stories) < TOP_STORIES_LIMIT:
            blocks.top_stories.append(by_pk[pk])
            shown.add(pk)
    for section in nav_sections:
        block = [
            by_pk[pk]
            for section_id, pk in pinned
            if section_id == section.pk and pk in by_pk and pk not in shown
        ][:STORIES_PER_SECTION_ON_FRONT]
        shown |= {story.pk for story in block}
        for story in stories:  # newest first
            if len(block) >= STORIES_PER_SECTION_ON_FRONT:
                break
            if story.section_id == section.pk and story.pk not in shown and story.pk not in chosen:
                block.append(story)
                shown.add(story.pk)
        if block:
            blocks.sections.append((section, block))
    return blocks


def pinned_in(section):
    """Return the section's pinned stories readers may see, in the editors' order, in one
    query."""
    pins = SectionPin.objects.filter(section=section, front_page_id=1)
    position = pins.filter(article=OuterRef("pk")).values("position")[:1]
    return (
        Article.objects.published()
        .filter(pk__in=pins.values("article_id"))
        .for_listing()
        .annotate(pin_position=Subquery(position))
        .order_by("pin_position", "pk")
    )


def unpinned_in(section):
    """Return the section's published stories that are not pinned to its top."""
    pins = SectionPin.objects.filter(section=section, front_page_id=1)
    return (
        Article.objects.published()
        .filter(section=section)
        .exclude(pk__in=pins.values("article_id"))
    )
