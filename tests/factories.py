"""Small functions that make valid objects with unique, overridable defaults."""

import io
import itertools
import re
import time
from datetime import timedelta

from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image as PillowImage

from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    LiveEntry,
    RelatedLink,
    Section,
    Topic,
)
from images.models import Image
from images.tasks import make_renditions
from images.uploads import clean_upload
from newsroom import roles, two_factor

_numbers = itertools.count(1)


def _n():
    return next(_numbers)


def make_section(**kwargs):
    n = _n()
    kwargs.setdefault("name", f"Section {n}")
    kwargs.setdefault("slug", f"section-{n}")
    kwargs.setdefault("position", n)
    return Section.objects.create(**kwargs)


def make_author(**kwargs):
    n = _n()
    kwargs.setdefault("name", f"Author {n}")
    kwargs.setdefault("slug", f"author-{n}")
    kwargs.setdefault("role", "Correspondent")
    return Author.objects.create(**kwargs)


def make_topic(**kwargs):
    n = _n()
    kwargs.setdefault("name", f"Topic {n}")
    return Topic.objects.create(**kwargs)


def image_bytes(size=(1600, 900), colour="navy", fmt="JPEG", **save_options):
    buffer = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" else "RGB"
    PillowImage.new(mode, size, colour).save(buffer, fmt, **save_options)
    return buffer.getvalue()


def upload(name="photo.jpg", content=None, **image_options):
    """Return an uploaded file, as the browser would send it."""
    if content is None:
        content = image_bytes(**image_options)
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def make_image(*, size=(1600, 900), colour="navy", fmt="JPEG", renditions=True, **kwargs):
    """Make a library image as an upload would, with its renditions unless told otherwise."""
    n = _n()
    if "file" not in kwargs:
        extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt]
        kwargs["file"] = clean_upload(
            upload(f"picture-{n}.{extension}", size=size, colour=colour, fmt=fmt)
        )
    kwargs.setdefault("alt_text", f"Picture number {n}")
    image = Image.objects.create(**kwargs)
    if renditions:
        # The save queued the task for after commit, which a test transaction never reaches.
        make_renditions.call(image.pk)
        image.refresh_from_db()
    return image


def make_article(*, topics=(), authors=(), primary_topic=None, image=False, **kwargs):
    """Make a published article (an hour old) unless told otherwise."""
    n = _n()
    kwargs.setdefault("headline", f"Headline number {n}")
    kwargs.setdefault("slug", f"headline-number-{n}")
    kwargs.setdefault("standfirst", f"The standfirst of story {n}, which says what happened.")
    kwargs.setdefault("body", f"<p>Body of story {n}.</p>")
    kwargs.setdefault("status", Article.Status.PUBLISHED)
    if kwargs["status"] == Article.Status.PUBLISHED:
        # Each one a second older than the one before, all well inside the news sitemap's 48 hours.
        kwargs.setdefault("published_at", timezone.now() - timedelta(hours=1, seconds=n))
    if "section" not in kwargs:
        kwargs["section"] = make_section()
    if image:
        # Small, so that its renditions are quick to make: 320 and 640 wide, and the crops.
        kwargs.setdefault(
            "lead_image",
            make_image(size=(640, 360), alt_text=f"A picture for story {n}", credit="Photo: Staff"),
        )
        kwargs.setdefault("lead_image_caption", f"Caption {n}")
    article = Article.objects.create(primary_topic=primary_topic, **kwargs)
    if topics:
        article.topics.set(list(topics))
    for position, author in enumerate(authors, start=1):
        Byline.objects.create(article=article, author=author, position=position)
    return article


def make_draft(**kwargs):
    kwargs.setdefault("status", Article.Status.DRAFT)
    return make_article(**kwargs)


def make_scheduled(**kwargs):
    kwargs.setdefault("published_at", timezone.now() + timedelta(days=2))
    return make_article(**kwargs)


def make_correction(*, article, **kwargs):
    n = _n()
    kwargs.setdefault("kind", Correction.Kind.CORRECTION)
    kwargs.setdefault("text", f"Note {n}: an earlier version of this story gave the wrong figure.")
    kwargs.setdefault("published_at", timezone.now() - timedelta(minutes=n))
    return Correction.objects.create(article=article, **kwargs)


def make_live_entry(*, article, **kwargs):
    """Make a public entry of a live coverage, newer than every one made before it."""
    n = _n()
    kwargs.setdefault("body", f"<p>Update number {n}: what our reporter saw.</p>")
    return LiveEntry.objects.create(article=article, **kwargs)


def relate(article, *targets, urls=()):
    """Add editor-picked related links: articles first, then (url, title) pairs."""
    links = [RelatedLink(article=article, target=target) for target in targets]
    links += [RelatedLink(article=article, url=url, title=title) for url, title in urls]
    for position, link in enumerate(links, start=1):
        link.position = position
        link.save()
    return links


def make_user(*, group=None, **kwargs):
    n = _n()
    kwargs.setdefault("username", f"user{n}")
    kwargs.setdefault("email", f"user{n}@example.org")
    kwargs.setdefault("is_staff", group is not None)
    user = User.objects.create_user(password="a-long-test-passphrase", **kwargs)
    if group:
        ensure_role_groups()
        user.groups.add(Group.objects.get(name=group))
    return user


def turn_on_two_factor(user):
    """Give the account a confirmed authenticator app and recovery codes; return both."""
    app = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return app, two_factor.new_recovery_codes(user)


def app_code(app, steps=0):
    """Return the code the app shows now, or ``steps`` periods of 30 seconds from now."""
    app.refresh_from_db()  # the drift a sign-in may have adjusted
    totp = TOTP(app.bin_key, app.step, app.t0, app.digits, app.drift)
    totp.time = time.time() + steps * app.step
    return f"{totp.token():0{app.digits}d}"


def unused_app_code(app):
    """Return the first code of the app's not used yet: now's, or the next period's."""
    app.refresh_from_db()
    now = TOTP(app.bin_key, app.step, app.t0, app.digits, app.drift).t()
    return app_code(app, steps=max(0, app.last_t + 1 - now))


def log_in_verified(client, user, device):
    """Sign ``client`` in as ``user`` with a session that has given ``device``'s code."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def ensure_role_groups():
    """Make the Editors, Writers and Moderators groups as the role migration does, if missing.

    Live-server tests flush the database after each test, and the groups go with it; the
    permissions come back by themselves (post_migrate), the groups do not.
    """
    if Group.objects.filter(name__in=roles.ROLES).count() < len(roles.ROLES):
        roles.apply(Group, Permission)


def make_comment(*, article, status="approved", parent=None, **kwargs):
    """Make a comment straight in the database, as if the policy or a moderator had decided."""
    from comments.models import Comment

    n = _n()
    kwargs.setdefault("name", f"Reader {n}")
    kwargs.setdefault("email", f"reader{n}@example.org")
    kwargs.setdefault("body", f"Comment number {n}, with an opinion.")
    kwargs.setdefault("ip_address", "192.0.2.10")
    return Comment.objects.create(article=article, status=status, parent=parent, **kwargs)


def comment_form_data(client, article, **overrides):
    """Return a valid form submission, with the token the page gave out."""
    html = client.get(article.get_absolute_url()).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    data = {
        "name": "Maria Kovalenko",
        "email": "maria@example.org",
        "website": "",
        "body": "A thoughtful comment about the story.",
        "token": token,
        "parent": "",
        "homepage": "",
    }
    data.update(overrides)
    return data


def make_api_key(**kwargs):
    """Make a partner's API key; return (the row, the key as the partner holds it)."""
    from api.models import ApiKey

    n = _n()
    kwargs.setdefault("name", f"Partner {n}")
    api_key = ApiKey(**kwargs)
    key = api_key.issue()
    api_key.save()
    return api_key, key
