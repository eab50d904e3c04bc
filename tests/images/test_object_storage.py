"""Uploads and renditions in S3-compatible object storage, served from MEDIA_URL.

Against moto's standalone S3 server on loopback (tests/images/conftest.py, ``s3_server``).
"""

import io
import re
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from lxml import html as lxml_html
from PIL import Image as PillowImage

from images.admin import body_image_url
from images.body import responsive_body
from images.models import Image
from richtext.sanitize import sanitize_body
from tests.admin_forms import form_errors as errors
from tests.factories import (
    image_bytes,
    make_article,
    make_author,
    make_comment,
    make_image,
    make_topic,
    upload,
)
from tests.query_budgets import READERS

pytestmark = pytest.mark.django_db

CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
FORMATS = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}


def _fetch(url):
    """Return the picture at an address on the S3 server, as a reader's browser gets it."""
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert answer.status == 200, url
        picture = PillowImage.open(io.BytesIO(answer.read()))
        picture.load()
        return picture


def _stored_names(image):
    return {image.file.name, *image.renditions.values_list("file", flat=True)}


def _local_files(settings):
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def _srcset(value):
    """Return (address, width) for each candidate of a srcset."""
    return [
        (address, int(width.removesuffix("w")))
        for address, width in (candidate.split() for candidate in value.split(","))
    ]


def _photo_with_gps():
    exif = PillowImage.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 30.0, 26.0)
    gps[3], gps[4] = "W", (0.0, 7.0, 39.0)
    return upload("Harbour.JPG", image_bytes(size=(1000, 500), exif=exif))


def _give_a_photo(author):
    # Named, as an upload is: Django then measures the picture before storing it.
    portrait = ContentFile(image_bytes(size=(300, 300), fmt="PNG"), name="portrait.png")
    author.photo.save(portrait.name, portrait)


def test_image_fields_follow_the_storage_setting(object_storage):
    from newsroom.s3_media import PublicS3Storage

    assert isinstance(Image._meta.get_field("file").storage, PublicS3Storage)
    image = make_image(size=(400, 200), renditions=False)
    assert isinstance(image.file.storage, PublicS3Storage)
    assert object_storage.names() == {image.file.name}


def test_an_upload_and_its_renditions_land_in_the_bucket(upload_image, object_storage, settings):
    response = upload_image(_photo_with_gps())
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.renditions.count() == 11  # 3 widths and 2 crops, in 2 formats; the social JPEG
    assert object_storage.names() == _stored_names(image)
    for name in object_storage.names():
        assert object_storage.content_type(name) == CONTENT_TYPES[name.rpartition(".")[2]]
    original = _fetch(image.file.url)
    assert image.file.url == f"{settings.MEDIA_URL}{image.file.name}"
    assert (original.format, original.size) == ("JPEG", (1000, 500))
    assert dict(original.getexif()) == {}
    assert image.file_size == len(image.file.open("rb").read())
    assert _local_files(settings) == []


def test_the_article_page_serves_every_picture_from_media_url(client, object_storage, settings):
    article = make_article(image=True)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = lxml_html.fromstring(response.content)
    (picture,) = page.xpath("//article//picture")
    # libxml2 does not know <source> is void, and may nest the <img> in it.
    (img,) = picture.xpath(".//img")
    (webp,) = picture.xpath(".//source[@type='image/webp']")
    candidates = [
        *((address, width, "JPEG") for address, width in _srcset(img.get("srcset"))),
        *((address, width, "WEBP") for address, width in _srcset(webp.get("srcset"))),
    ]
    assert img.get("src") in [address for address, _, _ in candidates]
    (og_image,) = page.xpath("//meta[@property='og:image']/@content")
    (og_width,) = page.xpath("//meta[@property='og:image:width']/@content")
    candidates.append((og_image, int(og_width), "JPEG"))
    for address, width, image_format in candidates:
        assert address.startswith(settings.MEDIA_URL)
        fetched = _fetch(address)
        assert (fetched.format, fetched.width) == (image_format, width), address
    # The browser may load them: the policy names the bucket's (the CDN's) origin.
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(settings.MEDIA_URL))
    policy = response.headers["Content-Security-Policy"]
    (img_src,) = [part for part in policy.split(";") if part.strip().startswith("img-src")]
    assert origin in img_src.split()


def test_a_body_picture_from_the_library_is_recognised_by_its_address(object_storage, settings):
    image = make_image(size=(1600, 900))
    address = body_image_url(image)
    assert address.startswith(settings.MEDIA_URL)
    body = sanitize_body(f'<figure><img src="{address}" alt="The port"></figure>')
    assert address in body  # the sanitiser keeps our own media
    made = lxml_html.fromstring(responsive_body(body))
    (webp,) = made.xpath("//picture/source/@srcset")
    assert all(url.startswith(settings.MEDIA_URL) for url, _ in _srcset(webp))


def test_a_page_asks_the_store_nothing(
    client, object_storage, monkeypatch, django_assert_num_queries
):
    import botocore.client

    # As the metadata's query test has it (tests/articles/test_metadata.py), in the bucket.
    topics = [make_topic() for _ in range(3)]
    author = make_author()
    _give_a_photo(author)
    article = make_article(topics=topics, authors=[author], image=True)
    make_comment(article=article)
    requests = []

    def refuse(client, operation, params):
        requests.append(operation)
        raise AssertionError(f"a page asked the object store: {operation}")

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", refuse)
    with django_assert_num_queries(READERS["article"]):
        assert client.get(article.get_absolute_url()).status_code == 200
    for address in [
        reverse("articles:front"),
        article.section.get_absolute_url(),
        author.get_absolute_url(),
        reverse("articles:feed"),
        reverse("api:article", args=[article.pk]),
    ]:
        assert client.get(address).status_code == 200, address
    assert requests == []
    # And the trap works: asking the storage about a file is a request.
    with pytest.raises(AssertionError):
        article.lead_image.file.storage.size(article.lead_image.file.name)


def test_refused_uploads_store_nothing(upload_image, object_storage, settings):
    response = upload_image(upload("notes.png", b"Meeting notes, not a picture.\n" * 20))
    assert errors(response) == [
        "“notes.png” is not an image we can read: upload a JPEG, PNG or WebP file."
    ]
    settings.IMAGES_MAX_UPLOAD_BYTES = 2_000
    response = upload_image(upload("big.jpg", size=(800, 600)))
    (message,) = errors(response)
    assert message.startswith("“big.jpg” is ") and "the largest file we accept is 2.0" in message
    assert not Image.objects.exists()
    assert object_storage.names() == set()


def test_moving_the_focal_point_stores_new_crops_and_deletes_the_old(
    editor_client, object_storage, django_capture_on_commit_callbacks
):
    image = make_image(size=(2400, 900))
    before = object_storage.names()
    whole = {name for name in before if re.search(r"-w\d+\.", name)}
    old_crops = before - whole - {image.file.name}
    assert old_crops
    data = {
        "alt_text": image.alt_text,
        "caption": "",
        "credit": "",
        "focal_x": "0.9",
        "focal_y": "0.5",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("admin:images_image_change", args=[image.pk]), data)
    assert response.status_code == 302
    after = object_storage.names()
    assert after == _stored_names(image)
    assert whole <= after
    assert not old_crops & after
    assert len(after - whole - {image.file.name}) == len(old_crops)


def test_deleting_an_image_deletes_its_objects(object_storage, django_capture_on_commit_callbacks):
    image = make_image(size=(700, 400))
    assert object_storage.names() == _stored_names(image)
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert object_storage.names() == set()


def test_a_rolled_back_delete_keeps_the_objects(object_storage, django_capture_on_commit_callbacks):
    image = make_image(size=(700, 400))
    names = object_storage.names()
    with django_capture_on_commit_callbacks(execute=False):
        image.delete()  # the transaction never commits
    assert object_storage.names() == names


def test_the_library_shows_thumbnails_from_media_url(editor_client, object_storage, settings):
    image = make_image(size=(700, 400))
    for address in [
        reverse("admin:images_image_changelist"),
        reverse("admin:images_image_pick"),
        reverse("admin:images_image_change", args=[image.pk]),
    ]:
        page = lxml_html.fromstring(editor_client.get(address).content)
        sources = page.xpath("//img[contains(@src, '/images/')]/@src")
        assert sources, address
        assert all(source.startswith(settings.MEDIA_URL) for source in sources), address
        assert _fetch(sources[0]).width > 0
    picker = lxml_html.fromstring(editor_client.get(reverse("admin:images_image_pick")).content)
    (picked,) = picker.xpath("//button[@data-url]/@data-url")
    assert picked == body_image_url(image)
    assert picked.startswith(settings.MEDIA_URL)


def test_make_renditions_fills_in_what_is_missing(object_storage):
    image = make_image(size=(700, 400), renditions=False)
    assert object_storage.names() == {image.file.name}
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    made = image.renditions.count()
    assert out.getvalue().strip() == f"Made {made} renditions for 1 image."
    assert object_storage.names() == _stored_names(image)
    image.refresh_from_db()
    for entry in image.stored_renditions():
        fetched = _fetch(entry.url)
        assert fetched.width == entry.width
        assert entry.file_size > 0


def test_an_authors_photo_is_stored_and_shown_from_media_url(client, object_storage, settings):
    author = make_author()
    _give_a_photo(author)
    assert object_storage.names() == {author.photo.name}
    assert object_storage.content_type(author.photo.name) == "image/png"
    make_article(authors=[author])
    page = lxml_html.fromstring(client.get(author.get_absolute_url()).content)
    (photo,) = page.xpath("//img[contains(@class, 'listing-header__photo')]/@src")
    assert photo == f"{settings.MEDIA_URL}{author.photo.name}"
    assert _fetch(photo).size == (300, 300)
