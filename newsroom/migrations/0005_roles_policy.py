from django.db import migrations

from newsroom.migrations import _roles


class Migration(migrations.Migration):
    """The roles table again: the comment policy (Editors and Moderation leads change it,
    Moderators read it), and the new Moderation leads group."""

    dependencies = [
        ("newsroom", "0004_roles_with_the_outbox_and_tasks"),
        ("comments", "0010_moderation_policy"),
    ]

    operations = [migrations.RunPython(_roles.apply_roles, migrations.RunPython.noop)]
