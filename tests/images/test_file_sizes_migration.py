"""Migration 0004 records the size of every stored file, so no page asks the storage."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import image_bytes

BEFORE = [("images", "0003_rendition_index")]
AFTER = [("images", "0004_file_sizes")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    yield
    # Whatever the test did, later tests get the database as the migrations leave it.
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_files_get_their_sizes_and_a_missing_one_none(back_to_latest):
    old = _migrate(BEFORE)
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

    new = _migrate(AFTER)
    image = new.get_model("images", "Image").objects.get()
    sizes = dict(new.get_model("images", "Rendition").objects.values_list("spec", "file_size"))
    assert image.file_size == len(picture)
    assert sizes == {"w320": 321, "w200": None}
    assert {entry["spec"]: entry["file_size"] for entry in image.rendition_index} == sizes
