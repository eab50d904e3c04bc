"""Page metadata: the Open Graph values and JSON-LD that describe a page to crawlers.

Everything here reads what the views have already loaded (``load_page_rows()`` reads the
byline and topics), so building the metadata runs no queries.
"""

from django.conf import settings
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags

LOGO = "img/logo.png"


def canonical_url(request, page=None, obj=None):
    """Return the page's absolute address without its query string; listings keep ``?page=N``.

    Give ``obj`` where the page may be rendered at another address: the comment form's
    errors show the article page at the comments' address.
    """
    url = request.build_absolute_uri(obj.get_absolute_url() if obj else request.path)
    number = getattr(page, "number", 1)
    if number > 1:
        url += f"?page={number}"
    return url


def _iso(value):
    return value.isoformat() if value else None


def _keywords(article):
    """Return the topic names, the primary topic first."""
    topics = article.topic_list
    primary = article.primary_topic
    if primary is not None:
        topics = [primary, *(topic for topic in topics if topic.pk != primary.pk)]
    return [topic.name for topic in topics]


def _social_image(article):
    """Return the lead image's 1200×630 rendition, or the original until it is made."""
    image = article.lead_image
    if image is None:
        return None
    return image.social_rendition() or image.original()


def default_social_image(request):
    """Return the site's default social image as ``(absolute url, width, height)``."""
    setting = settings.NEWSROOM_DEFAULT_SOCIAL_IMAGE
    url = setting["url"]
    if "://" not in url:
        url = static(url)
    return request.build_absolute_uri(url), setting["width"], setting["height"]


def _image_urls(request, article):
    """Return the lead image at the shapes crawlers choose from: social, 16:9, uncropped; the
    site's default picture for a story without one."""
    image = article.lead_image
    if image is None:
        return [default_social_image(request)[0]]
    widest = [
        picks[-1].url
        for picks in (image.renditions_for("16:9"), image.renditions_for(None))
        if picks
    ]
    urls = [_social_image(article).url, *widest]
    return [request.build_absolute_uri(url) for url in dict.fromkeys(urls)]


def article_open_graph(request, article):
    """Return the article page's ``(property, content)`` pairs beyond the ones every page has."""
    pairs = []
    social = _social_image(article)
    if social:
        pairs += [
            ("og:image", request.build_absolute_uri(social.url)),
            ("og:image:width", social.width),
            ("og:image:height", social.height),
            ("og:image:alt", article.lead_image.alt_text),
        ]
    else:
        url, width, height = default_social_image(request)
        pairs += [
            ("og:image", url),
            ("og:image:width", width),
            ("og:image:height", height),
            ("og:image:alt", settings.NEWSROOM_SITE_NAME),
        ]
    pairs += [
        ("article:published_time", _iso(article.published_at)),
        ("article:modified_time", _iso(article.modified_at)),
        ("article:section", article.section.name),
    ]
    pairs += [("article:tag", topic.name) for topic in article.topic_list]
    return [(name, content) for name, content in pairs if content not in (None, "")]


def _publisher(request):
    return {
        "@type": "Organization",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": request.build_absolute_uri(reverse("articles:front")),
        "logo": {"@type": "ImageObject", "url": request.build_absolute_uri(static(LOGO))},
    }


def _text(html):
    return " ".join(strip_tags(html).split())


def _live_blog(request, article, url):
    """Return what a live coverage adds to its ``LiveBlogPosting``: its times and the page's
    entries, each a ``BlogPosting`` at its own ``#entry-N``."""
    coverage = getattr(article, "live_coverage", None)
    entries = coverage.shown if coverage else []
    updates = []
    for entry in entries:
        update = {
            "@type": "BlogPosting",
            "headline": entry.title or _text(entry.body)[:110],
            "datePublished": _iso(entry.published_at),
            "dateModified": _iso(entry.updated_at),
            "url": f"{url}#entry-{entry.pk}",
            "articleBody": _text(entry.body),
        }
        if entry.author:
            update["author"] = {
                "@type": "Person",
                "name": entry.author.name,
                "url": request.build_absolute_uri(entry.author.get_absolute_url()),
            }
        updates.append(update)
    return {
        "coverageStartTime": _iso(article.published_at),
        "coverageEndTime": _iso(article.coverage_ended_at),
        "liveBlogUpdate": updates,
    }


def article_json_ld(request, article):
    """Return the article page's JSON-LD: a ``NewsArticle`` (a ``LiveBlogPosting`` for a live
    coverage) and its ``BreadcrumbList``."""
    url = canonical_url(request, obj=article)
    publisher = _publisher(request)
    news_article = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting" if article.is_live else "NewsArticle",
        "headline": article.headline,
        "description": article.standfirst,
        "image": _image_urls(request, article),
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(article.modified_at),
        "correction": [
            {
                "@type": "CorrectionComment",
                "text": note.text,
                "datePublished": _iso(note.published_at),
            }
            for note in getattr(article, "public_corrections", [])
            if note.kind == note.Kind.CORRECTION
        ],
        # A story without a byline is the publisher's own.
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(author.get_absolute_url()),
            }
            for author in article.byline
        ]
        or [publisher],
        "publisher": publisher,
        "articleSection": article.section.name,
        "keywords": _keywords(article),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": settings.LANGUAGE_CODE,
        **(_live_blog(request, article, url) if article.is_live else {}),
    }
    news_article = {key: value for key, value in news_article.items() if value not in (None, [])}
    crumbs = [
        (settings.NEWSROOM_SITE_NAME, request.build_absolute_uri(reverse("articles:front"))),
        (article.section.name, request.build_absolute_uri(article.section.get_absolute_url())),
        (article.headline, url),
    ]
    breadcrumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": item}
            for position, (name, item) in enumerate(crumbs, start=1)
        ],
    }
    return [news_article, breadcrumbs]


def website_json_ld(request):
    """Return the front page's ``WebSite``, with the search box crawlers may offer."""
    try:
        search = reverse("articles:search")
    except NoReverseMatch:  # The search page is being built alongside; this is its address.
        search = "/search/"
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": request.build_absolute_uri(reverse("articles:front")),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": request.build_absolute_uri(search) + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }
