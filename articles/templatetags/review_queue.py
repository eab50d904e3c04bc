"""``{% waiting_for_review %}``: the stories in review, for the admin's home page."""

from django import template
from django.urls import reverse

from articles import review
from articles.revisions import author_name

register = template.Library()


@register.inclusion_tag("admin/articles/waiting_for_review.html")
def waiting_for_review():
    stories, total = review.waiting_for_review()
    return {
        "stories": [(article, author_name(article.submitted_by)) for article in stories],
        "total": total,
        "more": total - len(stories),
        "all_url": reverse("admin:articles_article_changelist") + "?state=review",
    }
