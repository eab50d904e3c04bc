from django.db import migrations

from newsroom.migrations import _roles


class Migration(migrations.Migration):
    """The roles table again, now granting the front page and live coverage (Editors)."""

    dependencies = [
        ("newsroom", "0001_roles_from_the_table"),
        ("articles", "0012_embargo_expiry_front_page_live_coverage"),
    ]

    operations = [migrations.RunPython(_roles.apply_roles, migrations.RunPython.noop)]
