"""Parts of a page kept on their own, so a change re-renders only the part that shows it.

An article page is made of parts (the story, its live entries, the comment thread, the
related cards, the metadata), each stored under the surrogate keys of what it shows, like a
whole page, and checked by the same rule (store.py): a part is good while none of its keys
changed after the request that made it began. An approved comment drops the thread's key:
the next reader's page is made again from the stored story, cards and metadata, and a new
thread.

Only what anonymous readers share is stored: for staff, a reader with a session, a preview,
or with the page cache off, every part is made fresh.
"""

import hashlib

from django.conf import settings

from . import store
from .pages import keep_until, may_share

_NAME = "fragment:"


def shared(request):
    """Return True if this request's page may be made of stored parts."""
    return settings.PAGE_CACHE_ENABLED and may_share(request)


def part(request, name, keys, render, *, share=True):
    """Return the part called ``name``: stored, or made by ``render()`` and kept.

    ``render`` returns the part's HTML (or any picklable value); ``keys`` are what it shows,
    or a function of what render() returned that says so, or returns None for what must not
    be kept. Pass share=False where the part must be made fresh whatever the request (a
    preview).
    """
    if not (share and shared(request)):
        return render()
    name = _NAME + hashlib.sha256(name.encode()).hexdigest()
    entry = store.get(name)
    if entry is not None:
        return entry["content"]
    # What the part shows may have been read since the request began (the article itself).
    started = getattr(request, "page_cache_started", None) or store.clock()
    content = render()
    keys = keys(content) if callable(keys) else keys
    if keys is None:
        return content
    until = keep_until(request, started)
    entry = {"started": started, "until": until, "tags": sorted(keys), "content": content}
    store.put(name, entry, until=until)
    return content
