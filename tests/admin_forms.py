"""Submit admin forms the way a browser would: every field as the page rendered it."""

import lxml.html


def form_data(response, form_id):
    """Return the values the form with this id would send, as a dict of lists."""
    form = lxml.html.fromstring(response.content.decode()).get_element_by_id(form_id)
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return data


def change_form_data(client, article, **changes):
    """Open the article's change page and return its form's values with the given changes."""
    from django.urls import reverse

    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert page.status_code == 200
    data = form_data(page, "article_form")
    data.update(
        {name: [value] if isinstance(value, str) else value for name, value in changes.items()}
    )
    return data
