"""Migration 0008 moves uploaded lead images into the image library, losing nothing."""

import pytest
from django.core.files.base import ContentFile

from tests.factories import image_bytes
from tests.migrations import back_to_latest, migrate_to  # noqa: F401  (a fixture, used by name)

BEFORE = [("articles", "0007_search_unaccent"), ("images", "0002_grant_editor_permissions")]
AFTER = [("articles", "0009_lead_image_drop_upload")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_uploaded_lead_images_become_library_images():
    old = migrate_to(BEFORE)
    section = old.get_model("articles", "Section").objects.create(name="World", slug="world")
    Article = old.get_model("articles", "Article")
    article = Article(
        headline="Ports reopen",
        slug="ports-reopen",
        standfirst="Ships move again.",
        section=section,
        lead_image_alt="Cranes over the harbour",
        lead_image_caption="The port at dawn.",
        lead_image_credit="Photo: Staff",
    )
    article.lead_image.save("harbour.jpg", ContentFile(image_bytes(size=(800, 450))), save=False)
    article.save()
    Article.objects.create(
        headline="No picture", slug="no-picture", standfirst="Text only.", section=section
    )

    new = migrate_to(AFTER)
    moved = new.get_model("articles", "Article").objects.get(slug="ports-reopen")
    image = new.get_model("images", "Image").objects.get()
    assert moved.lead_image_id == image.pk
    assert image.file.name == article.lead_image.name
    assert (image.alt_text, image.credit) == ("Cranes over the harbour", "Photo: Staff")
    assert (image.width, image.height) == (800, 450)
    assert moved.lead_image_caption == "The port at dawn."
    assert new.get_model("articles", "Article").objects.get(slug="no-picture").lead_image is None

    # And back again.
    back = migrate_to(BEFORE).get_model("articles", "Article")
    restored = back.objects.get(slug="ports-reopen")
    assert restored.lead_image.name == article.lead_image.name
    assert restored.lead_image_alt == "Cranes over the harbour"
