"""A reader's page that forgets to load a related object fails its tests instead of running a
query per row in production."""

import pytest
from django.core.exceptions import FieldFetchBlocked

from articles.models import Article
from comments.models import Comment
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def test_a_lazy_load_from_a_readers_query_is_refused_in_tests():
    make_article()
    article = Article.objects.published().get()
    with pytest.raises(FieldFetchBlocked):
        article.section  # noqa: B018 (the attribute access is the test)
    assert Article.objects.published().for_listing().get().section.name


def test_comments_shown_to_readers_refuse_lazy_loads_too():
    comment = make_comment(article=make_article())
    shown = Comment.objects.filter(pk=comment.pk).shown_to([]).get()
    with pytest.raises(FieldFetchBlocked):
        shown.article  # noqa: B018


def test_production_loads_a_missing_relation_for_the_whole_list_at_once(
    settings, django_assert_num_queries
):
    settings.NEWSROOM_FETCH_MODE = "peers"
    for _ in range(5):
        make_article()
    articles = list(Article.objects.published())
    with django_assert_num_queries(1):
        assert len({article.section.pk for article in articles}) == 5
