"""Applying the roles table (newsroom/roles.py) from a migration, as every role migration does."""

from django.contrib.auth.management import create_permissions

from newsroom import roles


def apply_roles(apps, schema_editor):
    # Permissions are normally made after every migration has run; make them now, so that a
    # fresh database gets its groups with their permissions in one `migrate`.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    roles.apply(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), granted_so_far=True
    )
