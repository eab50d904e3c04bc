import pytest
from django.urls import reverse


@pytest.fixture
def upload_image(editor_client, django_capture_on_commit_callbacks):
    """Post the admin's add form as an editor; the renditions task runs as after a commit."""

    def post(file, **overrides):
        data = {
            "file": file,
            "alt_text": "Protesters outside parliament at dusk",
            "caption": "",
            "credit": "",
            "focal_x": "0.5",
            "focal_y": "0.5",
            **overrides,
        }
        with django_capture_on_commit_callbacks(execute=True):
            return editor_client.post(reverse("admin:images_image_add"), data)

    return post
