"""Inline tables whose boxes a screen reader can name, shared by the article's and the front
page's admin."""

from django import forms
from django.utils.text import capfirst


class RowNamedFormSet(forms.BaseInlineFormSet):
    """Name each box of a table row after its column and row ("Position of byline 2"): the
    column headings are not labels, so without this a screen reader has no name to read."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        noun = self.model._meta.verbose_name
        for name, field in form.fields.items():
            if field.widget.is_hidden:
                continue
            what = "Delete" if name == "DELETE" else f"{capfirst(field.label)} of"
            # In the admin's "+" wrapper, the wrapped widget renders with its own attrs.
            attrs = getattr(field.widget, "widget", field.widget).attrs
            if index is None:
                # The blank row that "Add another" copies; js/admin_names.js numbers each copy.
                attrs["aria-label"] = f"{what} the new {noun}"
                attrs["data-row-label"] = f"{what} {noun} {{n}}"
            else:
                attrs["aria-label"] = f"{what} {noun} {index + 1}"
