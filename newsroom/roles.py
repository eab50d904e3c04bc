"""The staff roles: each group, and every permission it holds, in one table.

A role migration makes the groups match the table (newsroom/migrations/), and the tests build
the same groups from it (tests/factories.py), so the two cannot drift. A change of role, or a new
model to grant, is a change here plus a new migration that applies the table again.

Permissions are named "app_label.codename", as ``User.has_perm()`` takes them; this module
imports no app, so the table reads the same before and after the apps' code changes.
"""

ACTIONS = ("add", "change", "delete", "view")

# Everything editorial: every model of the publishing app.
EDITORIAL_MODELS = (
    "article",
    "articleredirect",
    "articlerevision",
    "author",
    "byline",
    "correction",
    "frontpage",
    "liveentry",
    "liveentryrevision",
    "relatedlink",
    "section",
    "sectionpin",
    "taggedarticle",
    "topic",
    "topstory",
)


def every_action(app_label, *models):
    return [f"{app_label}.{action}_{model}" for model in models for action in ACTIONS]


def some_actions(app_label, actions_by_model):
    return [
        f"{app_label}.{action}_{model}"
        for model, actions in actions_by_model.items()
        for action in actions
    ]


# Reader comments and their moderation: the desk, reports, commenters' records and notes.
# Comments are never deleted by staff: their decisions are the audit trail (erasure at the
# author's request keeps an anonymous record of them, comments/privacy.py).
MODERATION = [
    *some_actions("comments", {"comment": ("view", "change")}),
    "comments.moderate_comment",
    *some_actions(
        "comments",
        {
            "commentdecision": ("view",),
            "commentreport": ("view", "change"),
            "commenter": ("view", "add", "change"),
            "commenternote": ("view", "add"),
        },
    ),
]

# The comment policy (word lists, link limit, email domains, trust, auto-close,
# pre-moderation): every save is a new version, so there is nothing to add or delete by hand.
POLICY_READ = ["comments.view_policyversion"]
POLICY_EDIT = [*POLICY_READ, "comments.change_policyversion"]
# A commenter's data exported or erased by address from the admin (comments/admin_privacy.py),
# with its audit record: not every moderator's job.
PRIVACY_REQUESTS = ["comments.handle_privacy_requests"]

ROLES = {
    # Write articles, upload images, submit for review; publishing is an editor's decision.
    "Writers": [
        *some_actions(
            "articles",
            {
                "article": ("add", "change", "view"),
                "byline": ACTIONS,
                "relatedlink": ACTIONS,
                "taggedarticle": ACTIONS,
                "topic": ("add", "view"),
                "section": ("view",),
                "author": ("view",),
                "articlerevision": ("view",),
                "correction": ("view",),
                # A live coverage is a published story: its entries are an editor's to add.
                "liveentry": ("view",),
            },
        ),
        # Removing a picture from the library is an editor's call.
        *some_actions("images", {"image": ("add", "change", "view")}),
    ],
    # Everything editorial: publish, schedule, unpublish, withdraw, the whole library, and the
    # comments under the stories.
    "Editors": [
        *every_action("articles", *EDITORIAL_MODELS),
        "articles.publish_article",
        "articles.withdraw_article",
        *every_action("images", "image"),
        *MODERATION,
        *POLICY_EDIT,
        *PRIVACY_REQUESTS,
        # Partners' keys to the content API: made and revoked, never deleted (their use is
        # on record).
        *some_actions("api", {"apikey": ("add", "change", "view")}),
        # The outbox and the worker's tasks: what failed, and why; a failed email can go again.
        *some_actions("newsroom", {"outgoingemail": ("view", "change")}),
        "django_tasks_database.view_dbtaskresult",
    ],
    # Reader comments only; they may read the comment policy, not change it.
    "Moderators": [*MODERATION, *POLICY_READ],
    # Moderators who also set the comment policy and answer readers' privacy requests.
    "Moderation leads": [*MODERATION, *POLICY_EDIT, *PRIVACY_REQUESTS],
}


def apply(group_model, permission_model, *, granted_so_far=False):
    """Make each role's group exist and hold exactly the permissions of the table.

    Takes the models as arguments, so a migration can pass its historical ones. A migration
    also passes ``granted_so_far``: it grants what the models migrated so far have, since an
    earlier role migration reads the table as it is today, permissions of later models
    included; the latest role migration grants them all (tests/test_roles.py checks it).
    """
    wanted = {name for names in ROLES.values() for name in names}
    labels = {label.split(".")[0] for label in wanted}
    found = {
        f"{permission.content_type.app_label}.{permission.codename}": permission
        for permission in permission_model.objects.filter(
            content_type__app_label__in=labels
        ).select_related("content_type")
    }
    if (missing := wanted - set(found)) and not granted_so_far:
        raise LookupError(f"No such permissions: {', '.join(sorted(missing))}")
    for role, names in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.set([found[name] for name in names if name in found])
