from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles import cache_keys
from caching import fragments

from ..thread import comments_context

register = template.Library()


@register.simple_tag(takes_context=True)
def comments_block(context, article):
    """Render an article's comments block: its thread, and the reply form.

    {% comments_block article %} on the article page. A view that is showing a form's errors
    puts the form in the page's context as ``comment_form``. Readers who share the page share
    the block too, stored under the thread's own key: a decision on a comment makes this
    block again, not the rest of the page.
    """
    request = context["request"]

    def render():
        block = comments_context(request, article, form=context.get("comment_form"))
        return render_to_string("comments/_comments.html", {"article": article, **block}, request)

    # Each page of the thread, and each "reply to" link, is a block of its own.
    asked = sorted((key, request.GET.get(key, "")) for key in ("cpage", "replytocom"))
    name = f"{request.scheme}://{request.get_host()}/{article.pk}/comments?{asked}"
    share = context.get("comments_shared", False)
    html = fragments.part(request, name, [cache_keys.comments(article.pk)], render, share=share)
    return mark_safe(html)
