"""What staff pages read from an address or a form, checked before it reaches the database.

Django's admin turns a changelist's query string into lookups on any field of the model and
leaves the values to the database: an id past a 64-bit integer (SQLite raises OverflowError),
a year past 9999 (Python cannot make the date), a NUL (PostgreSQL refuses it in text) were
each a 500. ``CheckedInputAdmin`` goes first in the bases of every ModelAdmin of ours, and
answers such an address with a 400 page that says what to do instead.
"""

from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import EmptyResultSet, ValidationError
from django.template.response import TemplateResponse

from .input import LARGEST_ID

# As long as the readers' search reads: each word is a condition on every search field, so
# 20,000 characters made a query that took minutes, or that SQLite refused.
SEARCH_LENGTH = 200


def _fits(value):
    return not isinstance(value, int) or -LARGEST_ID - 1 <= value <= LARGEST_ID


def check_values(queryset):
    """Raise IncorrectLookupParameters if the database could not take the query's values.

    The query is compiled as the database would receive it: that is where values from the
    address meet the fields they filter, whichever filter, lookup or search put them there.
    """
    try:
        _sql, params = queryset.query.clone().get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return  # Django saw that no row can match (an id past its column's range): an empty list.
    except (OverflowError, ValueError) as error:
        # A year lookup makes its dates here: year 0, 10,000 or 99,999,999,999 cannot be made.
        raise IncorrectLookupParameters(error) from error
    if not all(_fits(value) for value in params):
        raise IncorrectLookupParameters("a number past any id")


class CheckedChangeList(ChangeList):
    """A changelist that refuses, as Django's IncorrectLookupParameters, what it cannot use."""

    def get_filters(self, request):
        # No stored text has a NUL, and PostgreSQL refuses one in a query (SQLite would only
        # find nothing): refused from the address, before a lookup hides it in JSON or a LIKE.
        values = self.get_filters_params().values()
        if any("\x00" in value for listed in values for value in listed):
            raise IncorrectLookupParameters("a NUL character")
        # The date hierarchy makes its range with datetime() and catches only part of what that
        # raises: a year past a C int overflows, and so does the year after 9999.
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        check_values(queryset)
        return queryset


class UnusableListAddress(Exception):
    pass


class CheckedInputAdmin:
    """Refuse, with a 400 page an editor can act on, what a ModelAdmin cannot look up."""

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except IncorrectLookupParameters as error:
            # Django would send the editor to the bare list ("?e=1") without a word.
            raise UnusableListAddress from error

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except UnusableListAddress:
            return self.refusal(
                request,
                "This list cannot be shown with the filters in its address",
                "One of them is not a filter of this list, or asks for something no item can "
                "have: a page past the last, a year outside 1 to 9999, a number too large to "
                "be an id, or a NUL character. Choose the filters in the panel beside the list "
                "instead.",
            )

    def response_action(self, request, queryset, **kwargs):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(_could_be(self.opts.pk, value) for value in selected):
            return self.refusal(
                request,
                "Some of the selected items do not exist",
                "The form named items by ids that no item can have. Select the items in the "
                "list and try again.",
            )
        return super().response_action(request, queryset, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        # Also what the image picker and the autocomplete widgets search with.
        if "\x00" in search_term:
            return queryset.none(), False  # No stored text has one; PostgreSQL refuses it.
        return super().get_search_results(request, queryset, search_term[:SEARCH_LENGTH])

    def lookup_allowed(self, lookup, value, request):
        # A pattern from the address would run in the database, which fails on a broken one.
        if lookup.rpartition("__")[2] in {"regex", "iregex"}:
            return False
        return super().lookup_allowed(lookup, value, request)

    def refusal(self, request, title, message):
        """Return a 400 page inside the admin, with a link back to the whole list."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "message": message,
            "list_url": request.path,
        }
        return TemplateResponse(request, "admin/refusal.html", context, status=400)


def _could_be(field, value):
    try:
        return _fits(field.to_python(value))
    except ValidationError:
        return False
