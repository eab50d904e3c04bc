from django.db import migrations

from newsroom.migrations import _roles


class Migration(migrations.Migration):
    """The roles table again, now granting privacy requests by address (Editors)."""

    dependencies = [
        ("newsroom", "0004_roles_with_the_outbox_and_tasks"),
        ("comments", "0011_privacy_featured_reports"),
    ]

    operations = [migrations.RunPython(_roles.apply_roles, migrations.RunPython.noop)]
