from django.core.paginator import Paginator
from django.http import Http404


def page_or_404(request, items, *, per_page, param="page"):
    """Return the page the query string asks for; a bad or out-of-range number is a 404."""
    paginator = Paginator(items, per_page)
    number = request.GET.get(param, "1")
    if not (number.isascii() and number.isdigit()) or not 1 <= int(number) <= paginator.num_pages:
        raise Http404("No such page.")
    return paginator.page(int(number))
