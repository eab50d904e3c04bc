import pytest

from tests.factories import make_user


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploaded and generated images go to a throwaway folder, never the working tree.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(db):
    return make_user(group="Editors")


@pytest.fixture
def moderator(db):
    return make_user(group="Moderators")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def reader():
    """A second, anonymous browser, for tests where ``client`` is logged in as staff."""
    from django.test import Client

    return Client()
