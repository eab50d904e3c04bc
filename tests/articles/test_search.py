"""Search finds published stories only, ranks them, highlights matches and survives odd input."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import search, views
from articles.models import Article
from tests.factories import (
    make_article,
    make_draft,
    make_scheduled,
    make_section,
    make_topic,
)
from tests.query_budgets import READERS

pytestmark = pytest.mark.django_db

URL = reverse("articles:search")


# One result as the page shows it: its headline's link, then its snippet.
RESULT = re.compile(
    r'<li class="search-result">.*?<a href="(?P<url>[^"]+)">.*?'
    r'<p class="search-result__snippet">(?P<snippet>.*?)</p>',
    re.DOTALL,
)


def _shown(response):
    """Return the results the reader sees, in order: (article, the snippet's HTML) each."""
    assert response.status_code == 200
    by_url = {article.get_absolute_url(): article for article in Article.objects.all()}
    return [(by_url[found["url"]], found["snippet"]) for found in RESULT.finditer(response.text)]


def _results(client, **params):
    return [article for article, _ in _shown(client.get(URL, params))]


def test_search_url_and_header_form(client):
    assert URL == "/search/"
    html = client.get(reverse("articles:front")).content.decode()
    assert '<form class="site-search" role="search" action="/search/"' in html
    assert '<label class="visually-hidden" for="site-search-q">Search</label>' in html


def test_empty_query_shows_the_form(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Type a word to search" in html
    assert '<meta name="robots" content="noindex">' in html


def test_word_in_body_finds_only_the_published_article(client):
    story = make_article(body="<p>The wombat crossed the road.</p>")
    make_article(body="<p>Nothing to see.</p>")
    make_draft(body="<p>A wombat draft.</p>")
    make_scheduled(body="<p>A wombat for later.</p>")
    assert _results(client, q="wombat") == [story]


def test_headline_match_ranks_above_body_match(client):
    in_body = make_article(body="<p>Talk of the pangolin went on.</p>")
    in_headline = make_article(
        headline="Pangolin spotted", published_at=timezone.now() - timedelta(days=3)
    )
    assert _results(client, q="pangolin") == [in_headline, in_body]


def test_newest_first_on_a_tie(client):
    older = make_article(body="<p>axolotl</p>", published_at=timezone.now() - timedelta(days=2))
    newer = make_article(body="<p>axolotl</p>", published_at=timezone.now() - timedelta(days=1))
    assert _results(client, q="axolotl") == [newer, older]


def test_topic_name_finds_the_article(client):
    story = make_article(topics=[make_topic(name="Quasars")])
    assert _results(client, q="quasars") == [story]


def test_topic_added_later_and_removed_is_indexed(client):
    story = make_article()
    topic = make_topic(name="Narwhals")
    story.topics.add(topic)
    assert _results(client, q="narwhals") == [story]
    story.topics.remove(topic)
    assert _results(client, q="narwhals") == []


def test_section_filter(client):
    sport, politics = make_section(slug="sport"), make_section(slug="politics")
    in_sport = make_article(section=sport, body="<p>marathon</p>")
    make_article(section=politics, body="<p>marathon</p>")
    assert _results(client, q="marathon", section="sport") == [in_sport]


def test_date_filter(client):
    now = timezone.now()
    old = make_article(body="<p>eclipse</p>", published_at=now - timedelta(days=40))
    recent = make_article(body="<p>eclipse</p>", published_at=now - timedelta(days=2))
    cutoff = (now - timedelta(days=10)).date().isoformat()
    assert _results(client, q="eclipse", **{"from": cutoff}) == [recent]
    assert _results(client, q="eclipse", to=cutoff) == [old]
    assert _results(client, q="eclipse", **{"from": "nonsense"}) == [recent, old]


def test_pagination_keeps_the_query(client):
    section = make_section(slug="news")
    for _ in range(21):
        make_article(section=section, body="<p>meerkat</p>")
    html = client.get(URL, {"q": "meerkat", "section": "news"}).content.decode()
    assert 'href="?q=meerkat&amp;section=news&amp;page=2"' in html
    assert len(_results(client, q="meerkat", section="news", page="2")) == 1
    assert client.get(URL, {"q": "meerkat", "page": "3"}).status_code == 404
    assert client.get(URL, {"q": "meerkat", "page": "x"}).status_code == 404


def test_snippet_marks_the_word_and_escapes_html(client):
    make_article(body="<p>The <b>&amp;</b> sign and the ocelot.</p>")
    ((_, snippet),) = _shown(client.get(URL, {"q": "ocelot"}))
    assert "<mark>ocelot</mark>" in snippet
    assert "&amp;" in snippet
    assert "<b>" not in snippet


def test_headline_script_is_escaped(client):
    make_article(headline="<script>alert(1)</script> Tapir news", standfirst="Plain.")
    html = client.get(URL, {"q": "tapir"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>Tapir</mark>" in html


def test_unicode_and_accents(client):
    story = make_article(body="<p>Ein Bericht aus Zürich über Straßen.</p>")
    assert _results(client, q="Zürich") == [story]
    assert _results(client, q="ZÜRICH") == [story]
    assert _results(client, q="zurich") == [story]


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("zelenskyy", "Zelenskyy"),
        ("dolmabahce", "Dolmabahçe"),
        ("sao paulo", "São Paulo"),
        ("malmo", "Malmö"),
        ("cafe", "a café-au-lait"),
    ],
)
def test_query_without_accents_finds_the_accented_word(client, query, text):
    story = make_article(body=f"<p>Talks were held at {text} on Monday.</p>")
    make_article(body="<p>Talks were held elsewhere.</p>")
    assert _results(client, q=query) == [story]


@pytest.mark.parametrize(
    ("query", "text"),
    [("Dolmabahçe", "Dolmabahce"), ("São Paulo", "Sao Paulo"), ("CAFÉ", "cafe")],
)
def test_query_with_accents_finds_the_unaccented_word(client, query, text):
    story = make_article(body=f"<p>Talks were held at {text} on Monday.</p>")
    assert _results(client, q=query) == [story]


def test_accent_folding_never_shows_a_draft(client):
    story = make_article(body="<p>The palace at Dolmabahçe.</p>")
    make_draft(body="<p>A draft about Dolmabahçe.</p>")
    make_draft(body="<p>A draft about Dolmabahce.</p>")
    make_scheduled(body="<p>Dolmabahçe, later.</p>")
    assert _results(client, q="dolmabahce") == [story]
    assert _results(client, q="Dolmabahçe") == [story]


def test_snippet_marks_the_accented_word_for_an_unaccented_query(client):
    make_article(standfirst="Plain.", body="<p>They met at Dolmabahçe.</p>")
    ((_, snippet),) = _shown(client.get(URL, {"q": "dolmabahce"}))
    assert "<mark>Dolmabahçe</mark>" in snippet


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "cat AND OR NOT dog",
        "-minus +plus",
        "pre*",
        "NEAR(a b)",
        "headline:body",
        "'; DROP TABLE articles_article; --",
        "!!!",
        "日本語 ニュース",
        "x" * 5000,
        "\x00null",
        "(((",
        "OR OR",
        "OR",
        "cat OR",
        "- -",
        "-",
        '""',
        '"',
        '-"',
        '-"-"',
        'cat -"',
        'x"y"z',
        'cat "dog\x00body"',
        "cat -dog OR -body",
        "cat ^dog body*",
        "headline: cat",
        "body:cat NEAR(cat dog, 2)",
        "cat \\ dog \\",
        "cat 'dog' ''",
        "-cat -dog",
        '"' * 201,
        "cat " + "OR " * 100,
    ],
)
def test_odd_queries_answer(client, query):
    make_article(body="<p>cat dog headline body</p>")
    assert client.get(URL, {"q": query}).status_code == 200


def test_resaved_article_is_found_by_its_new_word(client):
    story = make_article(headline="Capybara escapes")
    story.headline = "Flamingo escapes"
    story.save()
    assert _results(client, q="flamingo") == [story]
    assert _results(client, q="capybara") == []


def test_deleted_article_disappears(client):
    story = make_article(body="<p>okapi</p>")
    story.delete()
    assert _results(client, q="okapi") == []


@pytest.mark.parametrize("n", [5, 30])
def test_query_count_is_constant(client, django_assert_num_queries, n):
    section = make_section()
    for _ in range(n):
        make_article(section=section, body="<p>lemur</p>", topics=[make_topic()])
    with django_assert_num_queries(READERS["search"]):
        response = client.get(URL, {"q": "lemur"})
    assert len(_shown(response)) == min(n, 20)


def test_topic_match_ranks_above_body_match(client):
    in_body = make_article(body="<p>Talk of the tapir went on.</p>")
    in_topics = make_article(
        topics=[make_topic(name="Tapirs tapir")], published_at=timezone.now() - timedelta(days=3)
    )
    assert _results(client, q="tapir") == [in_topics, in_body]


def test_at_most_max_results_are_found_the_best_first(client, monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 2)
    monkeypatch.setattr(views, "MAX_RESULTS", 2)
    now = timezone.now()
    in_headline = make_article(headline="Gecko news", published_at=now - timedelta(days=3))
    newer = make_article(body="<p>gecko</p>", published_at=now - timedelta(days=1))
    make_article(body="<p>gecko</p>", published_at=now - timedelta(days=2))
    make_draft(headline="Gecko draft")
    make_scheduled(headline="Gecko later")
    response = client.get(URL, {"q": "gecko"})
    assert [article for article, _ in _shown(response)] == [in_headline, newer]
    assert 'rel="next"' not in response.text  # the two are all there is
    assert "2 or more stories found: these are the 2 that match best." in response.text


def test_many_headline_matches_leave_out_the_oldest(client, monkeypatch):
    monkeypatch.setattr(search, "MAX_RESULTS", 2)
    now = timezone.now()
    newest, newer = (
        make_article(headline=f"Heron news {n}", published_at=now - timedelta(days=n))
        for n in (1, 2)
    )
    make_article(headline="Heron news 3", published_at=now - timedelta(days=3))
    make_article(body="<p>heron</p>")
    assert _results(client, q="heron") == [newest, newer]


def test_excluded_word_in_the_body_excludes_a_headline_match(client):
    make_article(headline="Strikes ahead", body="<p>The housing plan.</p>")
    other = make_article(headline="Strikes ahead", body="<p>The rail plan.</p>")
    assert _results(client, q="strikes -housing") == [other]


# The query syntax: words, "phrases", OR and -word, the same on both databases.


def _ceasefire_stories():
    ukraine = make_article(
        headline="Russia and Ukraine to begin ceasefire talks",
        body="<p>Peace talks will start in Istanbul, the Kremlin said.</p>",
    )
    india = make_article(
        headline="India and Pakistan agree ceasefire after days of strikes",
        body="<p>Talks of peace followed the strikes.</p>",
    )
    return ukraine, india


def test_excluded_word_leaves_the_story_out(client):
    ukraine, _ = _ceasefire_stories()
    assert _results(client, q="ceasefire -india") == [ukraine]


def test_excluded_phrase_leaves_only_that_sequence_out(client):
    ukraine, india = _ceasefire_stories()
    assert _results(client, q='ceasefire -"india and pakistan"') == [ukraine]
    # The words of the phrase in another order leave nothing out.
    assert set(_results(client, q='ceasefire -"pakistan and india"')) == {ukraine, india}


def test_quoted_phrase_matches_only_the_exact_sequence(client):
    ukraine, india = _ceasefire_stories()
    assert _results(client, q='"peace talks"') == [ukraine]
    assert set(_results(client, q="peace talks")) == {ukraine, india}


def test_quoted_phrase_folds_case_and_accents(client):
    story = make_article(body="<p>Talks were held in São Paulo on Monday.</p>")
    make_article(body="<p>Paulo went to Sao Tome.</p>")
    assert _results(client, q='"SAO PAULO"') == [story]


def test_or_finds_either(client):
    ukraine, india = _ceasefire_stories()
    make_article(body="<p>Nothing about either.</p>")
    assert set(_results(client, q="kremlin OR pakistan")) == {ukraine, india}


def test_or_joins_the_words_beside_it_only(client):
    ukraine, india = _ceasefire_stories()
    make_article(headline="The Kremlin said nothing")
    make_article(headline="Pakistan sets its budget")
    assert set(_results(client, q="ceasefire kremlin OR pakistan")) == {ukraine, india}


def test_or_between_phrases(client):
    ukraine, india = _ceasefire_stories()
    make_article(body="<p>Peace and talks, apart.</p>")
    assert set(_results(client, q='"peace talks" OR "talks of peace"')) == {ukraine, india}


def test_lowercase_or_is_a_word(client):
    story = make_article(body="<p>Now or never for the wombat.</p>")
    make_article(body="<p>A wombat, now.</p>")
    assert _results(client, q="wombat or never") == [story]


def test_excluded_word_folds_case_and_accents(client):
    make_article(body="<p>Talks in Zürich.</p>")
    elsewhere = make_article(body="<p>Talks in Geneva.</p>")
    assert _results(client, q="talks -ZURICH") == [elsewhere]


def _notes(response):
    notes = re.findall(r'<p class="search-note">(.*?)</p>', response.text)
    return " ".join(html.unescape(note) for note in notes)


def test_only_excluded_words_find_nothing_and_say_so(client):
    _ceasefire_stories()
    response = client.get(URL, {"q": "-india -pakistan"})
    assert _shown(response) == []
    assert "Nothing to leave “-india” and “-pakistan” out from" in _notes(response)
    assert "Nothing to leave “-india” and “-pakistan” out from" in response.text


def test_unbalanced_quote_is_ignored_and_said(client):
    ukraine, india = _ceasefire_stories()
    response = client.get(URL, {"q": '"peace talks'})
    assert {article for article, _ in _shown(response)} == {ukraine, india}
    assert "A quotation mark without its pair was ignored" in response.text


def test_misplaced_or_is_ignored_and_said(client):
    ukraine, _ = _ceasefire_stories()
    response = client.get(URL, {"q": "OR kremlin OR"})
    assert [article for article, _ in _shown(response)] == [ukraine]
    assert "“OR” was ignored: it goes between two words or phrases." in response.text


def test_pieces_without_letters_are_ignored_and_said(client):
    ukraine, _ = _ceasefire_stories()
    response = client.get(URL, {"q": "kremlin - !!!"})
    assert [article for article, _ in _shown(response)] == [ukraine]
    assert "“-” and “!!!” were ignored: they have no letters or digits." in response.text


def test_a_plain_query_says_nothing_was_ignored(client):
    _ceasefire_stories()
    response = client.get(URL, {"q": 'ceasefire -india "peace talks" kremlin OR moscow'})
    assert _notes(response) == ""
    assert 'class="search-note"' not in response.text


def test_snippet_marks_searched_words_not_excluded_ones(client):
    make_article(
        headline="Border news",
        standfirst="India and Pakistan agree a ceasefire.",
    )
    ((_, snippet),) = _shown(client.get(URL, {"q": 'ceasefire -"pakistan india"'}))
    assert "<mark>ceasefire</mark>" in snippet
    assert "<mark>India</mark>" not in snippet
    assert "<mark>Pakistan</mark>" not in snippet


def test_help_text_is_under_the_box(client):
    html = client.get(URL).content.decode()
    assert 'aria-describedby="search-help"' in html
    assert '<p class="search-help" id="search-help">' in html
    for example in ['"peace talks"', "kyiv OR moscow", "ceasefire -india"]:
        assert f"<kbd>{example}</kbd>" in html
