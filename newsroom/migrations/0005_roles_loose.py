from django.db import migrations

from newsroom.migrations import _roles


class Migration(migrations.Migration):
    """The roles table again: no role deletes comments any more (their decisions are the audit
    trail, which must outlive them)."""

    dependencies = [
        ("newsroom", "0004_roles_with_the_outbox_and_tasks"),
        ("comments", "0012_decisions_outlive_comments"),
    ]

    operations = [migrations.RunPython(_roles.apply_roles, migrations.RunPython.noop)]
