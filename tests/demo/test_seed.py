"""`manage.py seed` loads a front page's worth of demo content, and a second run changes nothing."""

import json
import re
import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from articles.models import (
    Article,
    Author,
    Byline,
    FrontPage,
    LiveEntry,
    RelatedLink,
    Section,
    SectionPin,
    TaggedArticle,
    Topic,
    TopStory,
)
from comments.models import Comment
from demo.seed import load
from tests.factories import make_article

pytestmark = pytest.mark.django_db

REFERENCE = "trump-putin-agree-ukraine-ceasefire-talks"


def _seed():
    out = StringIO()
    call_command("seed", stdout=out)
    return out.getvalue()


def _snapshot():
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (
            *(Section, Author, Topic, Article, Byline, TaggedArticle, RelatedLink, Comment),
            *(LiveEntry, FrontPage, TopStory, SectionPin),
        )
    }


def test_seed_fills_a_news_site(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _seed()
    published = Article.objects.published()
    assert published.count() >= 20
    assert Section.objects.filter(articles__in=published).distinct().count() >= 4
    assert Topic.objects.filter(articles__in=published).distinct().count() >= 8
    assert Author.objects.count() >= 3
    # Stored with the row: loading an author would otherwise open the portrait to measure it,
    # a request per author on every page once the files are in object storage.
    assert not Author.objects.exclude(photo="").filter(photo_width=None).exists()
    assert Article.objects.filter(status=Article.Status.DRAFT).count() >= 1
    assert Article.objects.filter(published_at__gt=timezone.now()).count() >= 1
    for article in Article.objects.all():
        image = article.lead_image
        assert image and image.alt_text and image.credit, article.slug
        assert image.file.storage.exists(image.file.name)
        assert (image.width, image.height) == (1800, 1200)
        # Made once, when the seed's transaction committed: several widths, WebP and JPEG.
        assert len(image.renditions_for("16:9", "webp")) >= 4, article.slug
        assert image.social_rendition().width == 1200, article.slug
        assert article.primary_topic in article.topics.all(), article.slug
        assert article.byline, article.slug


def test_second_run_changes_nothing():
    _seed()
    before = _snapshot()
    output = _seed()
    assert output.startswith("Created nothing;")
    assert _snapshot() == before


def test_reference_story_has_the_whole_anatomy(client):
    _seed()
    story = Article.objects.get(slug=REFERENCE)
    html = client.get(story.get_absolute_url()).content.decode()
    assert '<a class="story__section" href="/world/">World News</a>' in html
    assert (
        f"<title>{story.headline} | Russia-Ukraine war News</title>".replace("'", "&#x27;") in html
    )
    assert "<h2>Diplomatic momentum</h2>" in html
    assert "<blockquote>" in html
    assert re.search(r"reporting from (Moscow|Washington)", html)
    topics = re.findall(
        r'<h3 class="related__headline"><a href="[^"]+">[^<]+\| ([^<]+) News</a>', html
    )
    assert topics == ["Russia-Ukraine war", "Health", "Migration", "Human Rights"]


def test_seed_adds_comments_of_every_kind(client):
    _seed()
    story = Article.objects.get(slug=REFERENCE)
    theirs = Comment.objects.filter(article=story)
    assert theirs.filter(status="approved", parent__isnull=False).exists()
    assert theirs.filter(status="approved", depth=2).exists()
    assert theirs.filter(status="pending").count() >= 2
    held = theirs.get(policy_status="pending")
    assert held.policy_reasons[0]["rule"] == "moderation_list"
    assert theirs.get(status="spam").policy_reasons[0]["rule"] == "block_list"
    assert Comment.objects.exclude(article=story).filter(status="approved").count() >= 5
    story.refresh_from_db()
    assert story.comment_count == theirs.filter(status="approved").count()
    html = client.get(story.get_absolute_url()).content.decode()
    assert f"{story.comment_count} Comments" in html
    assert "casino bonus" not in html


def test_reference_story_lead_image_is_a_responsive_focal_point_crop(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _seed()
    story = Article.objects.get(slug=REFERENCE)
    image = story.lead_image
    assert (image.focal_x, image.focal_y) == (0.55, 0.45)
    html = client.get(story.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="story__lead">(.*?)</figure>', html, re.S).group(1)

    webp = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', figure)
    img = re.search(r"<img ([^>]+)>", figure).group(1)
    jpeg = re.search(r'srcset="([^"]+)"', img).group(1)
    for srcset, extension in ((webp.group(1), "webp"), (jpeg, "jpg")):
        candidates = [item.split() for item in srcset.split(", ")]
        assert [width for _, width in candidates] == ["320w", "640w", "960w", "1280w", "1600w"]
        for url, _ in candidates:
            # A 16:9 crop of the 3:2 illustration, named for the focal point it was cut around.
            assert re.search(rf"-16x9-w\d+-f550-450\.{extension}$", url), url
            name = url.removeprefix(settings.MEDIA_URL)
            assert default_storage.exists(name), url
    assert 'width="1600" height="900"' in img
    assert f'alt="{image.alt_text}"' in img


def test_the_reference_story_was_last_changed_by_its_latest_note_not_by_loading_it(client):
    # Loaded today, the story still says what changed last and when: its update of 20 May 2025.
    _seed()
    story = Article.objects.get(slug=REFERENCE)
    response = client.get(story.get_absolute_url())
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.text)
    (data,) = [d for d in map(json.loads, blocks) if d["@type"] == "NewsArticle"]
    assert data["dateModified"] == "2025-05-20T10:15:00+00:00"
    assert response["Last-Modified"] == "Tue, 20 May 2025 10:15:00 GMT"


LIVE = "live-romania-presidential-runoff-results"


def test_seed_has_a_live_coverage_of_the_romanian_run_off(client):
    output = _seed()
    assert "15 live entries" in output
    assert "1 front page, 4 top stories, 2 pinned stories, 1 banner;" in output
    story = Article.objects.get(slug=LIVE)
    assert story.is_live_now() and story.section.slug == "world"
    entries = story.entries.all()
    assert entries.count() >= 12
    assert [e.title for e in entries.filter(is_key_event=True).order_by("published_at")] == [
        "Polls close",
        "Result: Nicușor Dan wins",
    ]
    assert entries.filter(is_pinned=True).count() == 1
    assert not entries.filter(author=None).exists()
    html = client.get(story.get_absolute_url()).content.decode()
    assert '"@type": "LiveBlogPosting"' in html and "53.6%" in html


def test_the_seeded_front_page_leads_with_the_reference_story(client):
    _seed()
    front = FrontPage.objects.get()
    assert front.lead.slug == REFERENCE
    # Newer stories exist, and the reference story leads all the same.
    assert Article.objects.published().filter(published_at__gt=front.lead.published_at).exists()
    html = client.get("/").content.decode()
    start = html.index('class="front-lead"')
    lead = html[start : html.index("</section>", start)]
    assert front.lead.get_absolute_url() in lead
    assert 2 <= TopStory.objects.count() <= 5 and 1 <= SectionPin.objects.count() <= 2
    # The live coverage heads the top stories, and the banner leads to it on every page.
    live = Article.objects.get(slug=LIVE)
    assert front.top_stories.first().article == live
    assert front.banner_article == live and front.banner_is_on()
    assert f'href="{live.get_absolute_url()}"' in client.get("/sport/").content.decode()


def test_a_front_page_slot_whose_story_is_missing_is_skipped_until_it_exists(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(settings.BASE_DIR / "seeds", seeds)
    (seeds / "articles" / f"28-{LIVE}.toml").unlink()
    load(seeds)
    front = FrontPage.objects.get()
    assert front.lead.slug == REFERENCE
    assert not TopStory.objects.filter(article__slug=LIVE).exists()
    assert front.banner_text == "" and not front.banner_is_on()
    # Once the story exists, the next seed adds its slots and leaves the rest as it was.
    live = make_article(slug=LIVE, headline="Live: Romania's run-off, the results")
    load(seeds)
    front.refresh_from_db()
    assert front.top_stories.first().article == live
    assert front.banner_article == live and front.banner_is_on()
