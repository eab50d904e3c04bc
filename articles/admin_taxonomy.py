"""The admin of what stories are filed under: sections, authors and topics."""

from django import forms
from django.contrib import admin
from django.db.models import Count

from newsroom.admin_input import CheckedInputAdmin

from .models import Author, Section, Topic


class SectionPositionForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The column heading is no label: each box says whose position it holds.
        self.fields["position"].widget.attrs["aria-label"] = f"Position of {self.instance}"


@admin.register(Section)
class SectionAdmin(CheckedInputAdmin, admin.ModelAdmin):
    list_display = ["name", "slug", "position", "article_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=SectionPositionForm, **kwargs)

    def get_queryset(self, request):
        # An explicit order: default ordering does not survive the GROUP BY of the count.
        return (
            super()
            .get_queryset(request)
            .annotate(article_total=Count("articles"))
            .order_by("position", "name")
        )

    @admin.display(description="articles", ordering="article_total")
    def article_count(self, section):
        return section.article_total


@admin.register(Author)
class AuthorAdmin(CheckedInputAdmin, admin.ModelAdmin):
    list_display = ["name", "role", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "role", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "photo":
            # The admin heads a file box with a <legend>, which names the group, not the box.
            field.widget.attrs["aria-label"] = field.label
        return field


@admin.register(Topic)
class TopicAdmin(CheckedInputAdmin, admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(article_total=Count("tagged_articles"))
            .order_by("name")
        )

    @admin.display(description="articles", ordering="article_total")
    def article_count(self, topic):
        return topic.article_total
