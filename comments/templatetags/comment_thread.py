from django import template

from ..thread import comments_context

register = template.Library()


@register.inclusion_tag("comments/_comments.html", takes_context=True)
def comments_block(context, article):
    """Render an article's comments block: its thread, and the reply form.

    {% comments_block article %} on the article page. A view that is showing a form's errors
    puts the form in the page's context as ``comment_form``.
    """
    request = context["request"]
    return {
        "article": article,
        "request": request,
        "user": context.get("user"),
        **comments_context(request, article, form=context.get("comment_form")),
    }
