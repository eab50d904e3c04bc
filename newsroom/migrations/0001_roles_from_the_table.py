from django.contrib.auth.management import create_permissions
from django.db import migrations

from newsroom import roles


def apply_roles(apps, schema_editor):
    # Permissions are normally made after every migration has run; make them now, so that a
    # fresh database gets its groups with their permissions in one `migrate`.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    roles.apply(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    """The groups as newsroom/roles.py says, in place of what the earlier role migrations of
    articles, comments and images granted one by one (the same permissions)."""

    dependencies = [
        ("articles", "0011_search_summary_vector"),
        ("comments", "0008_policy_verdict_in_status_words"),
        ("images", "0003_rendition_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Going back leaves the groups as they are: the earlier migrations granted the same.
    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
