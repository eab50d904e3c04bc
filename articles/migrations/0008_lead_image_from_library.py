import django.db.models.deletion
from django.db import migrations, models


def move_to_library(apps, schema_editor):
    """Give each article's uploaded lead image a place in the image library, same file."""
    Article = apps.get_model("articles", "Article")
    Image = apps.get_model("images", "Image")
    for article in Article.objects.exclude(lead_image="").exclude(lead_image__isnull=True):
        image = Image(
            alt_text=article.lead_image_alt or article.headline,
            caption=article.lead_image_caption,
            credit=article.lead_image_credit,
            width=article.lead_image_width or 0,
            height=article.lead_image_height or 0,
        )
        image.file.name = article.lead_image.name
        image.save()
        article.library_image = image
        article.save(update_fields=["library_image"])


def back_to_uploads(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.exclude(library_image=None).select_related("library_image"):
        image = article.library_image
        article.lead_image = image.file.name
        article.lead_image_alt = image.alt_text
        article.lead_image_credit = image.credit
        article.lead_image_width, article.lead_image_height = image.width, image.height
        article.save()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_search_unaccent"),
        ("images", "0002_grant_editor_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="library_image",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="images.image",
            ),
        ),
        # Renditions are not made here; `manage.py make_renditions` makes them afterwards.
        migrations.RunPython(move_to_library, back_to_uploads),
        # The old columns go in 0009: PostgreSQL will not alter a table in the transaction
        # that has just written rows pointing at it.
    ]
