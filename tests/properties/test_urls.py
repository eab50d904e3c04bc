"""Property 1: whatever a client puts in an address, the site answers with a page or a 4xx."""

from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .conftest import rolled_back
from .helpers import answer
from .strategies import hostile_raw, hostile_value, percent, with_classics

pytestmark = pytest.mark.django_db

# Every public route (newsroom/urls.py, articles/urls.py, comments/urls.py), "{}" where the
# route reads a path segment.
ROUTES = [
    "/",
    "/{}",
    "/feed/",
    "/feed/atom/",
    "/tag/{}/",
    "/tag/{}/feed/",
    "/tag/{}/feed/atom/",
    "/author/{}/",
    "/search/",
    "/corrections/",
    "/preview/{}/",
    "/{}/",
    "/{}/feed/",
    "/{}/feed/atom/",
    "/{}/{}/{}/{}/{}/",
    "/comments/post/{}/",
    "/comments/report/{}/",
    "/robots.txt",
    "/sitemap.xml",
    "/sitemap-news.xml",
    "/sitemap-{}.xml",
]
# Everything the public views read from a query string (articles/views.py, newsroom/paging.py,
# comments/thread.py, Django's sitemap view), and any other name.
PARAMETERS = ["q", "page", "cpage", "replytocom", "section", "from", "to", "p"]

# Real values from the `site` fixture, so that hostile segments sit beside ones that match.
REAL = ["<section>", "<topic>", "<author>", "<article>", "<article-id>", "<comment-id>"]
segment = st.one_of(hostile_value, st.sampled_from(REAL), st.sampled_from(["2024", "1", "0"]))
parameter = st.tuples(st.one_of(st.sampled_from(PARAMETERS), hostile_value), hostile_value)
query_string = st.lists(parameter, max_size=5).map(
    lambda pairs: "&".join(f"{name}={value}" for name, value in pairs)
)


def _read(query):
    return parse_qsl(query, keep_blank_values=True, errors="replace")


def _real(site, value):
    article = site["article"]
    return {
        "<section>": "world",
        "<topic>": "climate",
        "<author>": "ada-reporter",
        "<article>": article.slug,
        "<article-id>": str(article.pk),
        "<comment-id>": str(site["comments"][0].pk),
    }.get(value, value)


@given(route=st.sampled_from(ROUTES), segments=st.lists(segment, min_size=5, max_size=5))
def test_any_path_segment_gets_a_page_or_a_4xx(site, route, segments):
    path = route.format(*(_real(site, value) for value in segments))
    for method in ["get", "head"]:
        answer(method, path)


@given(route=st.sampled_from(ROUTES), query=query_string)
def test_any_query_string_gets_a_page_or_a_4xx(site, route, query):
    path = route.format("world", "2024", "01", "02", site["article"].slug)
    if "sitemap-" in path:
        path = "/sitemap-articles.xml"
    answer("get", f"{path}?{query}")


@given(query=query_string)
def test_any_query_string_on_an_article_page_gets_a_page_or_a_4xx(site, query):
    answer("get", f"{site['article'].get_absolute_url()}?{query}")


@given(raw=st.binary(max_size=200))
def test_raw_bytes_in_the_query_string_get_a_page_or_a_4xx(site, raw):
    # Bytes as they arrive, not percent-encoded: invalid UTF-8, controls, NUL.
    for path in [site["article"].get_absolute_url(), "/search/", "/world/", "/sitemap.xml"]:
        answer("get", path, QUERY_STRING=raw.decode("iso-8859-1"))


@given(
    method=st.sampled_from(["post", "put", "patch", "delete", "options"]),
    route=st.sampled_from(ROUTES),
)
def test_other_methods_get_a_clear_answer(site, method, route):
    path = route.format("world", "2024", "01", "02", site["article"].slug)
    with rolled_back():
        answer(method, path)


@given(value=hostile_value)
def test_a_hostile_preview_token_is_refused(site, value):
    response = answer("get", f"/preview/{value}/")
    assert response.status_code in {301, 404, 410}, percent(value)


# Each route that reads a path segment, and each query parameter with the pages that read it,
# driven one at a time with the classic hostile values first.
SEGMENT_ROUTES = [route for route in ROUTES if "{}" in route]
READERS = {
    "q": ["/search/?"],
    "section": ["/search/?q=glacier&"],
    "from": ["/search/?q=glacier&"],
    "to": ["/search/?q=glacier&"],
    "page": ["/search/?q=glacier&", "/world/?", "/tag/climate/?", "/author/ada-reporter/?"],
    "cpage": ["<article>?"],
    "replytocom": ["<article>?"],
    "p": ["/sitemap-articles.xml?", "/sitemap-news.xml?"],
}


@pytest.mark.parametrize("route", SEGMENT_ROUTES)
@with_classics("value")
@given(value=hostile_raw)
def test_each_path_segment_gets_a_page_or_a_4xx(site, route, value):
    answer("get", route.format(*[percent(value)] * route.count("{}")))


@pytest.mark.parametrize("name", list(READERS))
@with_classics("value")
@given(value=hostile_raw)
def test_each_query_parameter_gets_a_page_or_a_4xx(site, name, value):
    for page in READERS[name]:
        page = page.replace("<article>", site["article"].get_absolute_url())
        answer("get", f"{page}{name}={percent(value)}")
