from django.db import migrations

from newsroom.migrations import _roles


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
    operations = [migrations.RunPython(_roles.apply_roles, migrations.RunPython.noop)]
