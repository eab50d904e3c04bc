from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [
    "view_commentdecision",
    "view_commentreport",
    "change_commentreport",
    "view_commenter",
    "add_commenter",
    "change_commenter",
    "view_commenternote",
    "add_commenternote",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="comments", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=["Moderators", "Editors"]):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="comments", codename__in=CODENAMES
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Moderators", "Editors"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_moderation_desk"),
        ("comments", "0002_grant_comment_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
