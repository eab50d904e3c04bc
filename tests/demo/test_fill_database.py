"""`manage.py fill_database` adds many realistic articles and comments in bulk, and the site
works with them: pages, search, comment counts and revisions are as if each had been saved."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.urls import reverse

from articles.models import Article, ArticleRevision, Section
from articles.revisions import snapshot
from articles.search import search_articles
from comments.models import Comment, body_fingerprint, normalise_email
from images.models import Image
from richtext.plain import plain_text
from richtext.sanitize import sanitize_body
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def _fill(**options):
    out = StringIO()
    options = {"articles": 60, "comments": 400, "seed": 1, "images": 2, **options}
    call_command("fill_database", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def filled():
    return _fill()


def test_counts_are_as_asked(filled):
    assert Article.objects.count() == 60
    assert Comment.objects.count() == 400
    assert "Added 60 articles" in filled
    assert "articles:" in filled and "comment counts:" in filled  # each phase reports its time


def test_articles_look_like_news(filled):
    published = Article.objects.published()
    assert published.count() > 45
    assert Section.objects.count() >= 4
    for article in Article.objects.prefetch_related("topics", "bylines"):
        topics = list(article.topics.all())
        assert 3 <= len(topics) <= 8
        assert article.primary_topic in topics
        assert article.bylines.all()
        assert 600 <= len(plain_text(article.body).split()) <= 1000
        assert "<h2>" in article.body and "<blockquote>" in article.body
        # Written in bulk, past save(): the body must already be what the sanitiser keeps.
        assert sanitize_body(article.body) == article.body
    assert published.filter(lead_image__isnull=False).exists()


def test_every_published_article_is_reachable(client, filled):
    for article in Article.objects.published().select_related("section"):
        assert client.get(article.get_absolute_url()).status_code == 200, article.slug


def test_front_page_and_section_pages_render(client, filled):
    response = client.get(reverse("articles:front"))
    assert response.status_code == 200
    assert '<section class="front-lead" aria-label="Top story">' in response.text  # a lead story
    for section in Section.objects.filter(articles__in=Article.objects.published()).distinct():
        assert client.get(section.get_absolute_url()).status_code == 200


def test_news_sitemap_has_fresh_stories(client, filled):
    response = client.get("/sitemap-news.xml")
    assert response.status_code == 200
    assert b"<news:news>" in response.content


def test_search_finds_words_of_the_body(client, filled):
    article = Article.objects.published().first()
    # A place name from the opening sentence: one word, in the body only.
    word = plain_text(article.body).split(" in ", 1)[1].split()[0]
    assert search_articles(word).filter(pk=article.pk).exists()
    assert client.get(reverse("articles:search"), {"q": word}).status_code == 200


def test_comment_count_matches_approved_comments(filled):
    articles = Article.objects.annotate(
        approved=Count("comments", filter=Q(comments__status=Comment.Status.APPROVED))
    )
    assert articles.filter(approved__gt=0).exists()
    for article in articles:
        assert article.comment_count == article.approved


def test_comments_form_threads_with_a_mix_of_statuses(filled):
    comments = Comment.objects.all()
    assert comments.filter(status=Comment.Status.APPROVED).count() > 300
    assert comments.exclude(status=Comment.Status.APPROVED).exists()
    assert comments.filter(depth=2).exists()
    assert not comments.filter(depth__gt=2).exists()
    for reply in comments.filter(parent__isnull=False).select_related("parent"):
        assert reply.article_id == reply.parent.article_id
        assert reply.depth == reply.parent.depth + 1
        assert reply.root_id == (reply.parent.root_id or reply.parent_id)
        assert reply.parent.status == Comment.Status.APPROVED
        assert reply.created_at >= reply.parent.created_at
    # Readers come back: fewer addresses than comments.
    assert comments.values("email_normalised").distinct().count() < 400
    for comment in comments[:50]:
        assert comment.body_fingerprint == body_fingerprint(comment.body)
        assert comment.email_normalised == normalise_email(comment.email)


def test_each_article_has_revision_one_as_the_admin_would_record_it(filled):
    assert ArticleRevision.objects.count() == 60
    for article in Article.objects.all():
        revision = article.revisions.get()
        assert (revision.version, article.version) == (1, 1)
        assert revision.data == snapshot(article)


def test_second_run_adds_more_without_collisions(filled):
    output = _fill()  # the same seed again
    assert "fill2-" in output
    assert Article.objects.count() == 120
    assert Comment.objects.count() == 800
    assert ArticleRevision.objects.filter(version=1).count() == 120
    new = Article.objects.published().filter(slug__startswith="fill2-").first()
    assert search_articles(new.headline).filter(pk=new.pk).exists()


def test_same_seed_makes_the_same_content():
    _fill(prefix="one")
    _fill(prefix="two")
    one = list(Article.objects.filter(slug__startswith="one-").values_list("headline", "body"))
    two = list(Article.objects.filter(slug__startswith="two-").values_list("headline", "body"))
    assert one == two


def test_refuses_a_database_with_real_articles_unless_forced(settings):
    settings.DEBUG = False
    make_article()
    with pytest.raises(CommandError, match="--force"):
        _fill()
    _fill(force=True)
    assert Article.objects.count() == 61


def test_generated_pictures_go_to_object_storage(
    object_storage, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _fill(articles=5, comments=10)
    images = Image.objects.prefetch_related("renditions")
    assert len(images) == 2
    renditions = {r.file.name for image in images for r in image.renditions.all()}
    assert renditions
    assert object_storage.names() == {image.file.name for image in images} | renditions
