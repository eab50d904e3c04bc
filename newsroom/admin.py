"""Django's own user and group admins, with the checks every admin of ours has."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from . import mail
from .admin_input import CheckedInputAdmin
from .admin_two_factor import TwoFactorResetMixin
from .models import OutgoingEmail

admin.site.unregister([User, Group])
# django-otp's own device admins would show any superuser a colleague's secret key, QR code and
# unused recovery codes, enough to copy their second factor; a lost phone is handled from the
# user's page instead ("Reset two-factor sign-in").
admin.site.unregister([TOTPDevice, StaticDevice])


@admin.register(User)
class CheckedUserAdmin(CheckedInputAdmin, TwoFactorResetMixin, UserAdmin):
    pass


@admin.register(Group)
class CheckedGroupAdmin(CheckedInputAdmin, GroupAdmin):
    pass


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(CheckedInputAdmin, admin.ModelAdmin):
    """What the site has sent or will send: a failed email shows its error and can go again."""

    list_display = ["subject", "to", "kind", "status", "attempts", "created_at", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = [
        "kind",
        "to",
        "subject",
        "body",
        "headers",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Erasure goes through the privacy page, which keeps its own record.
        return False

    @admin.action(description="Send the selected emails again", permissions=["change"])
    def send_again(self, request, queryset):
        count = mail.send_again(queryset)
        self.message_user(request, f"{count} queued to be sent again; sent ones are left alone.")


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(CheckedInputAdmin, DBTaskResultAdmin):
    """The worker's tasks as django-tasks-db shows them (read-only), a failed one with its
    traceback; with our checks on what the address asks for."""
