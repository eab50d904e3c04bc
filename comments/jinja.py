"""What the comments app gives the readers' Jinja2 templates: ``comments_block(article)``, the
article page's thread and form, and the ``comment_body`` filter."""

import re

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from jinja2 import pass_context
from jinja2.ext import Extension

from articles import cache_keys
from caching import fragments

from .thread import comments_context

# A web address up to the next space; trailing punctuation belongs to the sentence.
URL = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)


def _link(match):
    url = match.group(0)
    return f'<a href="{url}" rel="nofollow ugc noopener">{url}</a>'


def comment_body(text):
    """Return a reader's plain text as HTML: escaped, links clickable, line breaks kept."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    html = []
    for paragraph in paragraphs:
        # Escape first, then link: the address is matched in already-escaped text, so
        # nothing the reader typed can close the attribute or the tag.
        linked = URL.sub(_link, escape(paragraph))
        html.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(html))


@pass_context
def comments_block(context, article):
    """Render an article's comments block: its thread, and the reply form.

    {{ comments_block(article) }} on the article page. A view that is showing a form's errors
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
    keys = [cache_keys.comments(article.pk), cache_keys.COMMENT_POLICY]
    html = fragments.part(request, name, keys, render, share=share)
    return mark_safe(html)


class CommentsExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["comments_block"] = comments_block
        environment.filters["comment_body"] = comment_body
