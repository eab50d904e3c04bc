import re
from html import unescape

import pytest
from django.urls import reverse


def errors(response):
    """Return the form's error messages as the editor reads them."""
    html = response.content.decode()
    return [
        unescape(m) for m in re.findall(r'<ul class="errorlist[^"]*"[^>]*><li>(.*?)</li>', html)
    ]


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
