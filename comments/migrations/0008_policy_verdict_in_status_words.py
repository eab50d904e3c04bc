from django.db import migrations, models

# What the policy's findings said before, and the Comment.Status they meant.
STATUS_OF_ACTION = {"spam": "spam", "hold": "pending", "approve": "approved"}


def _reword(apps, old_key, new_key, words):
    """Rename each stored finding's ``old_key`` to ``new_key``, translating its value."""
    Comment = apps.get_model("comments", "Comment")
    changed = []
    for comment in Comment.objects.exclude(policy_reasons=[]).only("policy_reasons").iterator():
        reasons = comment.policy_reasons or []
        if not any(isinstance(r, dict) and old_key in r for r in reasons):
            continue
        comment.policy_reasons = [
            {
                **{key: value for key, value in r.items() if key != old_key},
                new_key: words.get(r[old_key], r[old_key]),
            }
            if isinstance(r, dict) and old_key in r
            else r
            for r in reasons
        ]
        changed.append(comment)
    Comment.objects.bulk_update(changed, ["policy_reasons"], batch_size=1000)


def findings_in_status_words(apps, schema_editor):
    _reword(apps, "action", "status", STATUS_OF_ACTION)


def findings_in_action_words(apps, schema_editor):
    _reword(apps, "status", "action", {status: a for a, status in STATUS_OF_ACTION.items()})


class Migration(migrations.Migration):
    """The policy's findings name the status they lead to (spam, pending, approved), in the
    words of Comment.Status, rather than an action of their own (spam, hold, approve)."""

    dependencies = [("comments", "0007_comment_article_index_in_thread_index")]

    operations = [
        migrations.AlterField(
            model_name="comment",
            name="policy_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("pending", "Pending"),
                    ("approved", "Approved"),
                    ("rejected", "Rejected"),
                    ("spam", "Spam"),
                ],
                editable=False,
                max_length=10,
                verbose_name="policy's verdict",
            ),
        ),
        migrations.RunPython(findings_in_status_words, findings_in_action_words),
    ]
