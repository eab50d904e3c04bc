"""Django's own user and group admins, with the checks every admin of ours has."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from .admin_input import CheckedInputAdmin

admin.site.unregister([User, Group])


@admin.register(User)
class CheckedUserAdmin(CheckedInputAdmin, UserAdmin):
    pass


@admin.register(Group)
class CheckedGroupAdmin(CheckedInputAdmin, GroupAdmin):
    pass
