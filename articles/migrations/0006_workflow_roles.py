from django.contrib.auth.management import create_permissions
from django.db import migrations

NEW_EDITORIAL_MODELS = ["articlerevision", "correction", "articleredirect"]
# Writers draft articles and submit them for review; publishing is an editor's decision.
WRITER_PERMISSIONS = {
    "article": ["add", "change", "view"],
    "byline": ["add", "change", "delete", "view"],
    "relatedlink": ["add", "change", "delete", "view"],
    "taggedarticle": ["add", "change", "delete", "view"],
    "topic": ["add", "view"],
    "section": ["view"],
    "author": ["view"],
    "articlerevision": ["view"],
    "correction": ["view"],
}


def _make_permissions(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None


def grant(apps, schema_editor):
    _make_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    articles = Permission.objects.filter(content_type__app_label="articles")

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *articles.filter(content_type__model__in=NEW_EDITORIAL_MODELS),
        *articles.filter(codename="withdraw_article"),
    )

    writers, _ = Group.objects.get_or_create(name="Writers")
    codenames = [
        f"{action}_{model}" for model, actions in WRITER_PERMISSIONS.items() for action in actions
    ]
    writers.permissions.set(articles.filter(codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Writers").delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_workflow_revisions_corrections")]

    operations = [migrations.RunPython(grant, revoke)]
