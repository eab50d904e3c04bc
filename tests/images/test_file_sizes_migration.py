"""Migration 0004 records the size of every stored file, so no page asks the storage."""

import pytest
from django.core.files.base import ContentFile

from tests.factories import image_bytes
from tests.migrations import back_to_latest, migrate_to  # noqa: F401  (a fixture, used by name)

BEFORE = [("images", "0003_rendition_index")]
AFTER = [("images", "0004_file_sizes")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_existing_files_get_their_sizes_and_a_missing_one_none():
    old = migrate_to(BEFORE)
    Image, Rendition = old.get_model("images", "Image"), old.get_model("images", "Rendition")
    picture = image_bytes(size=(400, 200))
    image = Image(alt_text="A quay")
    image.file.save("quay.jpg", ContentFile(picture, name="quay.jpg"), save=False)
    image.save()
    made = {}
    for spec, content in [("w320", b"x" * 321), ("w200", b"y" * 5)]:
        rendition = Rendition(image=image, spec=spec, format="jpeg", width=320, height=160)
        rendition.file.save(f"quay-{spec}.jpg", ContentFile(content), save=False)
        rendition.save()
        made[spec] = rendition
    gone = made["w200"].file
    gone.storage.delete(gone.name)  # the row stays, its file is gone

    new = migrate_to(AFTER)
    image = new.get_model("images", "Image").objects.get()
    sizes = dict(new.get_model("images", "Rendition").objects.values_list("spec", "file_size"))
    assert image.file_size == len(picture)
    assert sizes == {"w320": 321, "w200": None}
    assert {entry["spec"]: entry["file_size"] for entry in image.rendition_index} == sizes
