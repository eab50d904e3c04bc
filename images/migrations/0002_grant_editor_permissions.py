from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_image", "add_image", "change_image", "delete_image"]
# Writers upload pictures for their stories; removing one from the library is an editor's call.
WRITER_CODENAMES = ["view_image", "add_image", "change_image"]


def grant(apps, schema_editor):
    # As in articles.0002: make this app's permissions now, not after the whole migrate.
    app_config = apps.get_app_config("images")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="images", codename__in=CODENAMES)
    )
    writers, _ = Group.objects.get_or_create(name="Writers")
    writers.permissions.add(
        *Permission.objects.filter(content_type__app_label="images", codename__in=WRITER_CODENAMES)
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Writers"]):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="images", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("images", "0001_initial"),
        ("articles", "0006_workflow_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
