"""Partners' API keys in the admin: made by Editors, shown once, revoked, never shown again."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from newsroom.admin_input import CheckedInputAdmin

from .keys import keys_revoke
from .models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(CheckedInputAdmin, admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "state",
        "can_ingest",
        "rate_per_minute",
        "use_count",
        "last_used_at",
        "expires_at",
    ]
    list_filter = ["can_ingest", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    date_hierarchy = "created_at"
    actions = ["revoke"]
    fields = ["name", "rate_per_minute", "can_ingest", "expires_at"]
    readonly_fields = ["prefix", "use_count", "last_used_at", "revoked_at", "created_at"]

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else [*self.fields, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    @admin.display(description="state")
    def state(self, obj):
        if obj.is_revoked():
            return "Revoked"
        return "Expired" if obj.is_expired() else "Active"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            # Kept on the request only: the response that shows it is the one place it exists.
            request._issued_key = obj.issue()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        # The key is shown in the answer to the POST itself, not after a redirect: it never
        # goes into a message, a session or an address, and no cache may keep the page.
        response = TemplateResponse(
            request,
            "admin/api/apikey/key_issued.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "api_key": obj,
                "key": request._issued_key,
                "title": "Copy the new API key now",
            },
        )
        add_never_cache_headers(response)
        return response

    @admin.action(description="Revoke the selected keys", permissions=["change"])
    def revoke(self, request, queryset):
        count = keys_revoke(keys=queryset)
        self.message_user(request, f"Revoked {count} key(s) as of {timezone.now():%H:%M}.")
