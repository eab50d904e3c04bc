"""`manage.py seed` loads a front page's worth of demo content, and a second run changes nothing."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Author, Byline, RelatedLink, Section, TaggedArticle, Topic
from comments.models import Comment

pytestmark = pytest.mark.django_db

REFERENCE = "trump-putin-agree-ukraine-ceasefire-talks"


def _seed():
    out = StringIO()
    call_command("seed", stdout=out)
    return out.getvalue()


def _snapshot():
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Section, Author, Topic, Article, Byline, TaggedArticle, RelatedLink, Comment)
    }


def test_seed_fills_a_news_site():
    _seed()
    published = Article.objects.published()
    assert published.count() >= 20
    assert Section.objects.filter(articles__in=published).distinct().count() >= 4
    assert Topic.objects.filter(articles__in=published).distinct().count() >= 8
    assert Author.objects.count() >= 3
    assert Article.objects.filter(status=Article.Status.DRAFT).count() >= 1
    assert Article.objects.filter(published_at__gt=timezone.now()).count() >= 1
    for article in Article.objects.all():
        assert article.lead_image and article.lead_image_alt, article.slug
        assert article.lead_image.storage.exists(article.lead_image.name)
        assert (article.lead_image_width, article.lead_image_height) == (1600, 900)
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
