"""Property 3: a page number from the address shows one page's worth, or is a 404.

newsroom/paging.py documents the rule for every listing (section, topic, author, corrections,
search): ASCII digits naming a page that exists, else 404; comments/thread.py applies the
same rule to the comment thread's ``cpage``.
"""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .conftest import PER_PAGE
from .helpers import answer
from .strategies import digits, hostile_text, percent, received

pytestmark = pytest.mark.django_db

page_number = st.one_of(st.integers(-2, 6).map(str), digits, hostile_text)

# Five stories in each listing, two a page: three pages.
LISTINGS = ["/world/", "/tag/climate/", "/author/ada-reporter/", "/search/?q=glacier&"]
STORIES_IN_LISTINGS = 5
SHOWN = {
    "/search/": re.compile(r'<li class="search-result">'),
    "other": re.compile(r'class="card__headline"'),
}


def expected_page(number, pages):
    """Return the page this text names in a listing of this many pages, or None (404)."""
    found = re.fullmatch(r"0*([1-9][0-9]{0,3})", number)
    return int(found.group(1)) if found and int(found.group(1)) <= pages else None


def _stories_shown(url, html):
    pattern = SHOWN["/search/"] if url.startswith("/search/") else SHOWN["other"]
    return len(pattern.findall(html))


def _url(listing, query):
    return f"{listing}{'' if listing.endswith('&') else '?'}{query}"


@given(listing=st.sampled_from(LISTINGS), number=page_number)
def test_a_page_number_shows_that_page_or_a_404(site, listing, number):
    url = _url(listing, f"page={percent(number)}")
    response = answer("get", url)
    expected = expected_page(received(number), pages=3)
    if expected is None:
        assert response.status_code == 404, url
        return
    assert response.status_code == 200, url
    html = response.content.decode()
    assert f"Page {expected} of 3" in html
    shown = _stories_shown(url, html)
    assert shown == min(PER_PAGE, STORIES_IN_LISTINGS - (expected - 1) * PER_PAGE), url


@pytest.mark.parametrize("listing", LISTINGS)
def test_the_pages_of_a_listing_show_each_story_once(client, site, listing):
    shown = []
    for number in [1, 2, 3]:
        html = client.get(_url(listing, f"page={number}")).content.decode()
        shown += re.findall(r'<h2[^>]*><a href="([^"]+)"', html)
    assert sorted(shown) == sorted(story.get_absolute_url() for story in site["stories"])
    assert client.get(_url(listing, "page=4")).status_code == 404


@given(query=hostile_text, number=st.one_of(st.none(), page_number))
def test_search_never_shows_more_than_a_page(site, query, number):
    params = f"q={percent(query)}" + ("" if number is None else f"&page={percent(number)}")
    response = answer("get", f"/search/?{params}")
    words = " ".join(received(query).split())
    if not words or number is None or received(number) == "1":
        # Without a query there is no listing to page through; page 1 always exists.
        assert response.status_code == 200
    elif expected_page(received(number), pages=1000) is None:
        assert response.status_code == 404
    if response.status_code == 200:
        html = response.content.decode()
        assert _stories_shown("/search/", html) <= PER_PAGE
        # Drafts are in the index too; they are never found.
        assert "Glacier draft" not in html


@given(number=page_number)
def test_a_comment_page_number_shows_that_page_or_a_404(site, number):
    url = f"{site['article'].get_absolute_url()}?cpage={percent(number)}"
    response = answer("get", url)
    expected = expected_page(received(number), pages=3)
    if expected is None:
        assert response.status_code == 404, url
        return
    assert response.status_code == 200, url
    html = response.content.decode()
    assert f"Comments page {expected} of 3" in html
    assert len(re.findall(r'<li class="comment[ "]', html)) <= PER_PAGE
