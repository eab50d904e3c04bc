"""The readers' Jinja2 templates print what Django templates printed: the same escaping, dates
in the current time zone, and the view's own variables over the context processors'."""

import datetime

import pytest
from django.template import engines
from django.utils import timezone

from articles.models import Section

JINJA2 = engines["jinja2"]
DJANGO = engines["django"]
WHEN = datetime.datetime(2025, 5, 19, 21, 30, 5, 123456, tzinfo=datetime.UTC)


def _jinja(source, request=None, **context):
    return JINJA2.from_string(source).render(context, request)


def test_text_is_escaped_as_django_escapes_it():
    text = """It's "late" <b>&</b>"""
    shown = _jinja("{{ text }}", text=text)
    assert shown == DJANGO.from_string("{{ text }}").render({"text": text})
    assert shown == "It&#x27;s &quot;late&quot; &lt;b&gt;&amp;&lt;/b&gt;"


def test_safe_html_is_printed_as_it_is():
    assert _jinja("{{ html|safe }}", html="<p>Hi</p>") == "<p>Hi</p>"


@pytest.mark.parametrize("zone", ["UTC", "Europe/Kyiv", "America/New_York"])
def test_dates_are_shown_in_the_current_time_zone_as_django_shows_them(zone):
    with timezone.override(zone):
        shown = _jinja('{{ when|date("j M Y, H:i T") }}', when=WHEN)
        machine = _jinja("{{ when|machine_time }}", when=WHEN)
        django_shown = DJANGO.from_string('{{ when|date:"j M Y, H:i T" }}').render({"when": WHEN})
        local = timezone.localtime(WHEN)
    assert shown == django_shown
    assert machine == local.isoformat(timespec="seconds")
    assert "." not in machine  # no microseconds in <time datetime>


def test_a_missing_date_prints_nothing():
    assert _jinja('{{ when|date("j M Y") }}|{{ when|machine_time }}', when=None) == "|"


@pytest.mark.django_db
def test_the_views_context_wins_over_the_context_processors(rf, django_assert_num_queries):
    request = rf.get("/")
    sections = [Section(name="Mine", slug="mine")]
    with django_assert_num_queries(0):  # the navigation the view gave is not read again
        html = _jinja(
            "{{ site_name }}: {% for s in nav_sections %}{{ s.name }}{% endfor %}",
            request,
            site_name="Given",
            nav_sections=sections,
        )
    assert html == "Given: Mine"


def test_the_context_processors_fill_in_what_the_view_did_not_give(rf, settings):
    settings.NEWSROOM_SITE_NAME = "The Daily Test"
    assert _jinja("{{ site_name }}", rf.get("/")) == "The Daily Test"
