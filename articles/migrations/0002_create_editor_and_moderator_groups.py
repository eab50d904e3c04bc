from django.contrib.auth.management import create_permissions
from django.db import migrations

# Everything editorial: every model of the publishing app, and the right to publish.
EDITORIAL_MODELS = ["article", "section", "author", "topic", "taggedarticle", "byline", "relatedlink"]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; make them now so a fresh
    # database gets groups with their permissions in one `migrate`.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles", content_type__model__in=EDITORIAL_MODELS
        )
    )
    # Moderators work on reader comments only; the comments app grants those permissions.
    Group.objects.get_or_create(name="Moderators")


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Moderators"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
