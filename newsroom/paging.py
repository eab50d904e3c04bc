from django.core.paginator import Paginator
from django.http import Http404


def page_or_404(request, items, *, per_page, param="page"):
    """Return the page the query string asks for; a bad or out-of-range number is a 404."""
    paginator = Paginator(items, per_page)
    number = request.GET.get(param, "1")
    digits = number.lstrip("0") if number.isascii() and number.isdigit() else ""
    # Lengths first: Python refuses to read a number of more than 4300 digits (a 500, not a
    # 404), and no page number is longer than the number of pages.
    if (
        not digits
        or len(digits) > len(str(paginator.num_pages))
        or int(digits) > paginator.num_pages
    ):
        raise Http404("No such page.")
    return paginator.page(int(digits))
