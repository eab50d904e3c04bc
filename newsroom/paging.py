from django.core.paginator import Paginator
from django.http import Http404

from .input import whole_number


def page_or_404(request, items, *, per_page, param="page"):
    """Return the page the query string asks for; a bad or out-of-range number is a 404."""
    paginator = Paginator(items, per_page)
    number = whole_number(request.GET.get(param, "1"), low=1, high=paginator.num_pages)
    if number is None:
        raise Http404("No such page.")
    return paginator.page(number)
