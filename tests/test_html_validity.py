"""Every kind of public page, rendered with realistic content, passes the Nu HTML checker (the
W3C's validator, vnu) without an error.

vnu.jar comes from npm (the vnu-jar package, installed by ./scripts/test) and runs on Java 17
or newer. A JVM takes seconds to start, so the pages are written to a folder and checked in
one run.
"""

import json
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from django.views import defaults

from articles import preview
from articles.models import Article, FrontPage, SectionPin, TopStory
from newsroom.outage import unavailable_response
from tests.factories import (
    comment_form_data,
    make_article,
    make_author,
    make_comment,
    make_correction,
    make_draft,
    make_image,
    make_live_entry,
    make_section,
    make_topic,
    relate,
)

REPOSITORY = Path(__file__).resolve().parent.parent
VNU_JAR = REPOSITORY / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = os.environ.get("NEWSROOM_JAVA", "java")
# Errors only, as JSON on standard output; the exit status is ours to decide from the messages.
VNU_OPTIONS = ["--format", "json", "--errors-only", "--exit-zero-always", "--stdout"]

STORY_BODY = """
<p>Talks between the two governments resumed on Monday in Geneva, a week after the ceasefire
was first proposed.</p>
<h2>What each side wants</h2>
<p>The negotiators met for six hours and agreed to meet again on Thursday.</p>
{figure}
<blockquote><p>“Nobody left the room, and that is already news,” said one diplomat.</p></blockquote>
<ul><li>Prisoner exchanges</li><li>A line of contact</li></ul>
<p>Neither side gave a date for the truce itself, <a href="https://example.org/">a source</a>
said.</p>
"""


def _vnu_command():
    """Return the command that runs vnu, or skip (fail under CI) saying what is missing."""
    missing = []
    if shutil.which(JAVA) is None:
        missing.append(
            f"Java 17 or newer as {JAVA!r} (apt-get install default-jre-headless, "
            "or set NEWSROOM_JAVA)"
        )
    if not VNU_JAR.exists():
        missing.append(f"vnu.jar at {VNU_JAR} (run ./scripts/test, or npm ci, here)")
    if missing:
        message = "the HTML validity check needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return [JAVA, "-jar", str(VNU_JAR)]


def _site(settings):
    """Make a site with one of everything a reader can meet; return the story and its peers."""
    settings.ARTICLES_PER_PAGE = 2  # listings and search run to several pages
    settings.COMMENTS_PER_PAGE = 2
    world = make_section(name="World", slug="world", description="News from every continent.")
    author = make_author(name="Lena Marsh", slug="lena-marsh", bio="Lena Marsh covers diplomacy.")
    talks = make_topic(name="Ceasefire talks")
    picture = make_image(size=(640, 360), alt_text="Delegates at the table")
    story = make_article(
        headline="Ceasefire talks resume in Geneva",
        section=world,
        topics=[talks, make_topic(name="Geneva")],
        primary_topic=talks,
        authors=[author],
        image=True,
        body=STORY_BODY.format(
            figure=f'<figure><img src="{picture.file.url}" alt="Delegates">'
            "<figcaption>The first session.</figcaption></figure>"
        ),
    )
    others = [
        make_article(
            headline=f"Ceasefire follow-up number {n}",
            section=world,
            topics=[talks],
            primary_topic=talks,
            authors=[author],
            image=n == 0,
        )
        for n in range(4)
    ]
    relate(story, *others[:2], urls=[("https://example.org/report", "The envoy's report")])
    make_correction(article=story, text="An earlier version gave the wrong day for the talks.")
    make_correction(article=story, kind="update", text="Adds the second session.")
    first = make_comment(
        article=story,
        name="Tomas Berg",
        website="https://example.org/tomas",
        body="Good to see them talking. More at https://example.org/analysis",
        featured_at=timezone.now(),  # shown first, under "Featured", too
    )
    make_comment(article=story, parent=first, name="Ines Duarte", body="Let us hope it lasts.")
    for n in range(3):
        make_comment(article=story, body=f"Comment {n} on the talks.\n\nA second paragraph.")
    # The editors' front page, with the breaking-news banner on every page.
    front = FrontPage.objects.create(
        pk=1, lead=others[1], banner_text="Live: the talks, as they happen", banner_article=story
    )
    TopStory.objects.create(front_page=front, article=others[2], position=1)
    SectionPin.objects.create(front_page=front, section=world, article=others[3], position=1)
    return story, others


def _pages(client, rf, story, others):
    """Return {name: (response, expected status)} for every kind of public page."""
    world, talks, author = story.section, story.primary_topic, story.authors.get()
    url = story.get_absolute_url()
    first = story.comments.filter(parent=None).earliest("created_at")
    closed = make_article(section=world, comments_open=False)
    draft = make_draft(section=world, topics=[talks], authors=[author], image=True)
    withdrawn = make_article(
        section=world,
        status=Article.Status.WITHDRAWN,
        published_at=timezone.now() - timedelta(days=3),
        withdrawn_at=timezone.now() - timedelta(days=1),
        withdrawn_reason="A court order.",
    )
    post_url = reverse("comments:post", args=[story.pk])
    coverage = make_article(section=world, authors=[author], is_live=True)
    make_live_entry(article=coverage, title="Polls close", is_key_event=True, author=author)
    pinned = make_live_entry(article=coverage, title="Summary", is_pinned=True)
    make_correction(article=coverage, entry=pinned, text="The turnout was for noon.")
    make_live_entry(article=coverage, body="<p>No title, <em>some</em> words.</p>")
    ended = make_article(
        section=world, is_live=True, coverage_ended_at=timezone.now() - timedelta(hours=1)
    )
    make_live_entry(article=ended)

    # A reader whose reply awaits moderation sees it, and the notice, on their next visit.
    poster = Client()
    reply = comment_form_data(poster, story, body="My own view.", parent=first.pk)
    sent = poster.post(post_url, reply)
    assert sent.status_code == 303, sent
    pending = poster.get(url)
    assert b"comment--pending" in pending.content

    outage_post = rf.post(post_url, {"name": "Ana", "body": "Kept for later.", "token": "t"})
    outage_post.resolver_match = resolve(post_url)

    return {
        "front": (client.get("/"), 200),
        "section": (client.get(world.get_absolute_url()), 200),
        "section-page-2": (client.get(world.get_absolute_url(), {"page": 2}), 200),
        "topic": (client.get(talks.get_absolute_url()), 200),
        "author": (client.get(author.get_absolute_url()), 200),
        "article": (client.get(url), 200),
        "article-comments-page-2": (client.get(url, {"cpage": 2}), 200),
        "article-reply": (client.get(url, {"replytocom": first.pk}), 200),
        "article-pending-comment": (pending, 200),
        "article-form-errors": (
            client.post(post_url, comment_form_data(client, story, name="", email="nope")),
            400,
        ),
        "article-comments-closed": (client.get(closed.get_absolute_url()), 200),
        "live-coverage": (client.get(coverage.get_absolute_url()), 200),
        "live-coverage-ended": (client.get(ended.get_absolute_url()), 200),
        "related-article": (client.get(others[0].get_absolute_url()), 200),
        "search-results": (client.get("/search/", {"q": "ceasefire"}), 200),
        "search-results-page-2": (client.get("/search/", {"q": "ceasefire", "page": 2}), 200),
        "search-no-results": (client.get("/search/", {"q": "zanzibar"}), 200),
        "search-empty": (client.get("/search/"), 200),
        "corrections": (client.get(reverse("articles:corrections")), 200),
        "preview": (
            client.get(reverse("articles:preview", args=[preview.make_token(draft, hours=24)])),
            200,
        ),
        "preview-expired": (
            client.get(reverse("articles:preview", args=[preview.make_token(draft, hours=-1)])),
            410,
        ),
        "preview-invalid": (client.get(reverse("articles:preview", args=["not-a-token"])), 404),
        "withdrawn": (client.get(withdrawn.get_absolute_url()), 410),
        "not-found": (client.get("/no-such-page/"), 404),
        "outage": (unavailable_response(rf.get(url)), 503),
        "outage-comment": (unavailable_response(outage_post), 503),
        "server-error": (defaults.server_error(rf.get(url)), 500),
        "report": (client.get(reverse("comments:report", args=[first.pk])), 200),
        "report-errors": (client.post(reverse("comments:report", args=[first.pk]), {}), 400),
        "comments-closed": (
            client.post(reverse("comments:post", args=[closed.pk]), {"body": "Too late?"}),
            403,
        ),
        "sent-from-elsewhere": (
            client.post(post_url, {"body": "Hello"}, headers={"sec-fetch-site": "cross-site"}),
            403,
        ),
    }


def _vnu_errors(command, folder):
    """Run vnu once over every page in folder; return {page name: ["line N: message", …]}."""
    result = subprocess.run(
        [*command, *VNU_OPTIONS, *sorted(str(path) for path in folder.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    errors = {}
    for message in json.loads(result.stdout)["messages"]:
        name = Path(message.get("url", "?")).stem
        line = message.get("lastLine", message.get("firstLine", "?"))
        errors.setdefault(name, []).append(f"line {line}: {message['message']}")
    return errors


@pytest.mark.django_db
def test_every_public_page_passes_the_nu_html_checker(client, rf, settings, tmp_path):
    command = _vnu_command()
    pages = _pages(client, rf, *_site(settings))
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, (response, status) in pages.items():
        assert response.status_code == status, name
        (folder / f"{name}.html").write_bytes(response.content)

    errors = _vnu_errors(command, folder)

    report = "\n".join(f"{name}.html {error}" for name in sorted(errors) for error in errors[name])
    assert not errors, f"the Nu HTML checker found errors (pages in {folder}):\n{report}"
