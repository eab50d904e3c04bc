from django.db import migrations

from newsroom.migrations import _roles


class Migration(migrations.Migration):
    """The roles table again, now granting partners' API keys (Editors)."""

    dependencies = [
        ("api", "0001_keys_change_log_ingest"),
        ("newsroom", "0002_roles_with_front_page_and_live_coverage"),
    ]

    operations = [migrations.RunPython(_roles.apply_roles, migrations.RunPython.noop)]
