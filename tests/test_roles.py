"""The staff roles are one table (newsroom/roles.py): the migrations leave the groups exactly so."""

import pytest
from django.contrib.auth.models import Group, Permission

from newsroom import roles

pytestmark = pytest.mark.django_db


def _held(group):
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_the_migrated_groups_hold_exactly_the_permissions_of_the_table():
    # The test database was made by running every migration, as a new site's is.
    groups = {group.name: group for group in Group.objects.all()}
    assert set(groups) == set(roles.ROLES)
    for name, permissions in roles.ROLES.items():
        assert _held(groups[name]) == set(permissions), name


def test_applying_the_table_puts_a_changed_group_back():
    writers = Group.objects.get(name="Writers")
    writers.permissions.add(Permission.objects.get(codename="publish_article"))
    Group.objects.filter(name="Moderators").delete()
    roles.apply(Group, Permission)
    assert _held(Group.objects.get(name="Writers")) == set(roles.ROLES["Writers"])
    assert _held(Group.objects.get(name="Moderators")) == set(roles.ROLES["Moderators"])


def test_a_permission_missing_from_the_database_is_refused(monkeypatch):
    monkeypatch.setitem(roles.ROLES, "Writers", ["articles.fly_article"])
    with pytest.raises(LookupError, match=r"articles\.fly_article"):
        roles.apply(Group, Permission)


def test_the_roles_mean_what_the_readme_says():
    # Writers cannot publish; moderators touch nothing editorial; editors can do both jobs.
    assert "articles.publish_article" not in roles.ROLES["Writers"]
    assert all(name.startswith("comments.") for name in roles.ROLES["Moderators"])
    assert set(roles.ROLES["Moderators"]) <= set(roles.ROLES["Editors"])
    assert {"articles.publish_article", "articles.withdraw_article"} <= set(roles.ROLES["Editors"])
