import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_lead_image_from_library")]

    operations = [
        migrations.RemoveField(model_name="article", name="lead_image"),
        migrations.RemoveField(model_name="article", name="lead_image_width"),
        migrations.RemoveField(model_name="article", name="lead_image_height"),
        migrations.RemoveField(model_name="article", name="lead_image_alt"),
        migrations.RemoveField(model_name="article", name="lead_image_credit"),
        migrations.RenameField(model_name="article", old_name="library_image", new_name="lead_image"),
        migrations.AlterField(
            model_name="article",
            name="lead_image",
            field=models.ForeignKey(
                blank=True,
                help_text="From the image library: its alt text and credit come with it.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lead_of_articles",
                to="images.image",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="lead_image_caption",
            field=models.CharField(
                blank=True,
                help_text="What the picture shows in this story; leave empty for the library's "
                "caption.",
                max_length=300,
                verbose_name="caption",
            ),
        ),
    ]
