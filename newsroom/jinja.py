"""The readers' templates' Jinja2 environment: Django's static files, addresses and dates.

The apps add their own functions through the extensions named in settings.TEMPLATES
(``images.jinja``, ``articles.jinja``, ``comments.jinja``), so no module here imports an app.
The admin, the emails and the sitemaps stay Django templates.
"""

import html

import jinja2
from django.template import defaultfilters
from django.template.backends import jinja2 as django_jinja2
from django.templatetags.static import static
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.timezone import template_localtime
from markupsafe import Markup


def url(name, *args, **kwargs):
    """Return the address of the named URL, as ``{% url %}`` does."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def date(value, format=None):
    """Format a date or time as Django's ``date`` filter does, in the current time zone."""
    # Django templates convert an aware datetime to the current time zone before a filter
    # that expects local time (``date`` does) sees it; called from here, it would not.
    return defaultfilters.date(template_localtime(value), format)


def linebreaksbr(value):
    """Escape plain text and turn its line breaks into <br>, as Django's filter does."""
    return defaultfilters.linebreaksbr(value, autoescape=True)


def escape(value):
    """Escape what a template prints as Django templates do.

    MarkupSafe writes ``&#39;`` and ``&#34;`` where Django writes ``&#x27;`` and ``&quot;``;
    escaping here first keeps each page's bytes whichever engine made it.
    """
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape(str(value)))


def environment(**options):
    """Return the Jinja2 environment of the readers' templates."""
    options.setdefault("finalize", escape)
    # Django templates keep a template's last newline; Jinja2 drops it unless told.
    options.setdefault("keep_trailing_newline", True)
    env = jinja2.Environment(**options)
    env.globals.update(static=static, url=url)
    env.filters.update(
        date=date,
        default_if_none=defaultfilters.default_if_none,
        linebreaksbr=linebreaksbr,
        pluralize=defaultfilters.pluralize,
        # Django's: Jinja2's own also unescapes entities and folds whitespace.
        striptags=defaultfilters.striptags,
        truncatewords=defaultfilters.truncatewords,
    )
    return env


class Jinja2(django_jinja2.Jinja2):
    """Django's Jinja2 backend, with the view's context over the context processors'.

    Django templates give a view's own variables precedence; Django's Jinja2 backend lets the
    context processors overwrite them. The front page hands over the navigation and the
    banner it has read already, which would otherwise be read again.
    """

    def __init__(self, params):
        super().__init__(params)
        self.processors = [import_string(path) for path in self.context_processors]
        self.context_processors = []  # run by Template.render() below instead

    def from_string(self, template_code):
        return Template(self.env.from_string(template_code), self)

    def get_template(self, template_name):
        return Template(super().get_template(template_name).template, self)


class Template(django_jinja2.Template):
    def render(self, context=None, request=None):
        if request is not None:
            processed = {}
            for processor in self.backend.processors:
                processed.update(processor(request))
            context = {**processed, **(context or {})}
        return super().render(context, request)
