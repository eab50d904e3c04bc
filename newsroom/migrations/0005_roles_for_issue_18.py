from django.db import migrations

from newsroom.migrations import _roles


class Migration(migrations.Migration):
    """The roles table again: the comment policy (Editors and the new Moderation leads change
    it, Moderators read it), privacy requests (Editors and Moderation leads), and no role
    deletes comments any more (their decisions are the audit trail)."""

    dependencies = [
        ("newsroom", "0004_roles_with_the_outbox_and_tasks"),
        ("comments", "0014_reasons_and_reviews"),
    ]

    operations = [migrations.RunPython(_roles.apply_roles, migrations.RunPython.noop)]
