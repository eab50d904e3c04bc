"""Submit admin forms the way a browser would: every field as the page rendered it."""

import re
from html import unescape

import lxml.html
from django.urls import reverse


def form_data(response, form_id):
    """Return the values the form with this id would send, as a dict of lists."""
    form = lxml.html.fromstring(response.content.decode()).get_element_by_id(form_id)
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return data


def change_form_data(client, article, **changes):
    """Open the article's change page and return its form's values with the given changes."""
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert page.status_code == 200
    data = form_data(page, "article_form")
    data.update(
        {name: [value] if isinstance(value, str) else value for name, value in changes.items()}
    )
    return data


def form_errors(response):
    """Return the form's error messages as the editor reads them."""
    html = response.content.decode()
    return [
        unescape(m) for m in re.findall(r'<ul class="errorlist[^"]*"[^>]*><li>(.*?)</li>', html)
    ]
