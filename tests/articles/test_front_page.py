import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def _headlines_under(html, heading_id):
    """Return the headlines of the cards in the front page's block with this heading."""
    start = html.index(f'id="{heading_id}"')
    end = html.find('class="front-section"', start)
    block = html[start : end if end != -1 else len(html)]
    return re.findall(r"Story (\w+ \d)", block)


def test_each_section_shows_its_four_newest_stories_below_the_lead(reader):
    now = timezone.now()
    home, world = make_section(slug="home"), make_section(slug="world")
    for n in range(6):
        make_article(
            headline=f"Story home {n}", section=home, published_at=now - timedelta(hours=n + 1)
        )
        make_article(
            headline=f"Story world {n}",
            section=world,
            published_at=now - timedelta(hours=n + 1, minutes=30),
        )
    make_article(headline="Story home 9", section=home, status=Article.Status.DRAFT)
    make_article(headline="Story world 9", section=world, published_at=now + timedelta(hours=1))

    html = reader.get("/").content.decode()

    lead = html[html.index('class="front-lead"') : html.index('class="front-section"')]
    assert "Story home 0" in lead
    assert _headlines_under(html, "front-home") == ["home 1", "home 2", "home 3", "home 4"]
    assert _headlines_under(html, "front-world") == ["world 0", "world 1", "world 2", "world 3"]
    assert "Story home 9" not in html and "Story world 9" not in html
