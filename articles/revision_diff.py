"""Comparing revisions: which fields changed between two, and the change shown word by word.

The headline and standfirst are compared word by word; the body paragraph by paragraph, then
word by word inside a paragraph that changed; lists (topics, byline) item by item. Every piece
of the article's text is escaped before it is wrapped in <del> or <ins>.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from html.parser import HTMLParser

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .models import Article, ArticleRevision

# The fields a revision keeps, in the order a diff lists them, named as editors know them.
LABELS = {
    "headline": "Headline",
    "standfirst": "Standfirst",
    "body": "Body",
    "slug": "Address (slug)",
    "section": "Section",
    "topics": "Topics",
    "primary_topic": "Primary topic",
    "byline": "Byline",
    "status": "Status",
    "published_at": "Publish time",
    "embargo_until": "Embargoed until",
    "expires_at": "Expires at",
}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    html: str  # Safe: every piece of the article's text in it has been escaped.


def changed_fields(old_data, new_data):
    """Return the names of the fields that differ between two snapshots, in display order."""
    # A field missing from either snapshot (one kept before the field was) cannot be compared.
    return [
        field
        for field in LABELS
        if field in old_data
        and field in new_data
        and _comparable(field, old_data[field]) != _comparable(field, new_data[field])
    ]


def _comparable(field, value):
    # A section renamed since is still the same section.
    return value["id"] if field == "section" and value else value


def diff_revisions(old_data, new_data):
    """Return a Change for each field that differs, showing the edit with <del> and <ins>."""
    return [
        Change(field, LABELS[field], _RENDERERS[field](old_data[field], new_data[field]))
        for field in changed_fields(old_data, new_data)
    ]


@dataclass(frozen=True)
class HistoryRow:
    revision: ArticleRevision
    previous: ArticleRevision | None  # The revision before it, if kept.
    changed: list  # Labels of the fields changed since the previous one.


def history_rows(revisions):
    """Return a HistoryRow for each revision (given newest first), saying what it changed."""
    # An article saved outside the admin (the shell, an import) may have no revision at all.
    older = [*revisions[1:], None][: len(revisions)]
    return [
        HistoryRow(revision, previous, _labels(previous.data, revision.data) if previous else [])
        for revision, previous in zip(revisions, older, strict=True)
    ]


def _labels(old_data, new_data):
    return [LABELS[field] for field in changed_fields(old_data, new_data)]


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def _diff_words(old, new):
    runs = []
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        runs.append((tag == "equal", "".join(a[i1:i2]), "".join(b[j1:j2])))
    return _render_runs(_merge_slight(runs))


def _merge_slight(runs):
    """Fold a space, a comma or a short word left between two edits into them, so a rewritten
    phrase reads as one deletion and one insertion rather than a word-by-word patchwork."""
    merged = []
    for index, (same, old, new) in enumerate(runs):
        if same and 0 < index < len(runs) - 1 and _is_slight(old):
            same = False
        if not same and merged and not merged[-1][0]:
            _, before_old, before_new = merged.pop()
            old, new = before_old + old, before_new + new
        merged.append((same, old, new))
    return merged


def _is_slight(text):
    words = text.split()
    return len(words) == 0 or (len(words) == 1 and len(words[0]) <= 3)


def _render_runs(runs):
    parts = []
    for same, old, new in runs:
        if same:
            parts.append(escape(old))
            continue
        if old:
            parts.append(format_html("<del>{}</del>", old))
        if new:
            parts.append(format_html("<ins>{}</ins>", new))
    return mark_safe("".join(parts).replace("\n", "<br>"))  # newlines: see _text_html


def _diff_values(old, new):
    return format_html("{} → {}", _value(old, "del"), _value(new, "ins"))


def _value(value, tag):
    if value in (None, ""):
        return mark_safe('<span class="revision-none">none</span>')
    return format_html("<{}>{}</{}>", tag, value, tag)


def _diff_lists(old, new):
    items = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            items += [escape(name) for name in old[i1:i2]]
            continue
        items += [format_html("<del>{}</del>", name) for name in old[i1:i2]]
        items += [format_html("<ins>{}</ins>", name) for name in new[j1:j2]]
    return mark_safe(", ".join(items)) if items else _value(None, "ins")


def _diff_section(old, new):
    return _diff_values(old and old["name"], new and new["name"])


def _diff_status(old, new):
    labels = dict(Article.Status.choices)
    return _diff_values(labels.get(old, old), labels.get(new, new))


def _diff_times(old, new):
    return _diff_values(_when(old), _when(new))


def _when(iso):
    moment = parse_datetime(iso) if iso else None
    if moment is None:
        return iso
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_format(moment, "DATETIME_FORMAT")


# The body: compared paragraph by paragraph, then word by word inside a changed paragraph.

# Tags that start a new block of text; the kind of a block is the innermost one open.
_BLOCK_TAGS = {"p", "h2", "h3", "h4", "li", "blockquote", "figure", "figcaption", "ul", "ol", "div"}
_KINDS = {"h2": "heading", "h3": "heading", "h4": "heading", "li": "item", "figcaption": "caption"}
# Below this share of words in common, two paragraphs are shown as one removed, one added.
_SIMILAR = 0.4
# Unchanged paragraphs shown either side of a change, to place it in the story.
_CONTEXT = 1


class _TextBlocks(HTMLParser):
    """Read body HTML as (kind, text) blocks: paragraphs, headings, list items, captions."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.open, self.text, self.links = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _BLOCK_TAGS:
            self._end_block()
            self.open.append(tag)
        elif tag == "br":
            self.text.append("\n")
        elif tag == "img":
            # The file name too, so swapping one picture for another shows in the diff.
            name = (attrs.get("src") or "").rsplit("/", 1)[-1]
            self.text.append(f" [Image: {attrs.get('alt') or 'no description'}, {name}] ")
        elif tag == "a":
            self.links.append(attrs.get("href") or "")

    def handle_endtag(self, tag):
        if tag in _BLOCK_TAGS:
            self._end_block()
            if tag in self.open:
                del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]
        elif tag == "a" and self.links:
            # Shown after the link's words, so a changed address shows in the diff too.
            href = self.links.pop()
            if href:
                self.text.append(f" [{href}]")

    def handle_data(self, data):
        self.text.append(data)

    def close(self):
        super().close()
        self._end_block()
        return self.blocks

    def _end_block(self):
        lines = ("".join(self.text)).split("\n")
        text = "\n".join(" ".join(line.split()) for line in lines).strip()
        self.text = []
        if not text:
            return
        kind = next((_KINDS[tag] for tag in reversed(self.open) if tag in _KINDS), "paragraph")
        if kind == "paragraph" and "blockquote" in self.open:
            kind = "quote"
        self.blocks.append((kind, text))


def text_blocks(html):
    """Return the body's text as a list of (kind, text) blocks, one per paragraph or heading."""
    parser = _TextBlocks()
    parser.feed(html or "")
    return parser.close()


def _diff_body(old_html, new_html):
    old, new = text_blocks(old_html), text_blocks(new_html)
    if old == new:
        return mark_safe(
            '<p class="revision-note">Only the formatting changed (bold, italics or line '
            "breaks); the words are the same.</p>"
        )
    rows = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [(kind, "same", _text_html(text)) for kind, text in new[j1:j2]]
        else:
            rows += _paired_rows(old[i1:i2], new[j1:j2])
    return _render_blocks(_with_context(rows))


def _paired_rows(old, new):
    """Match each replaced block with the most similar new one, in order, and word-diff the
    pairs; what finds no partner is shown as removed or added whole."""
    rows, start = [], 0
    for kind, text in old:
        match = _best_match(kind, text, new, start)
        if match is None:
            rows.append((kind, "removed", format_html("<del>{}</del>", _text_html(text))))
            continue
        rows += [_added(block) for block in new[start:match]]
        rows.append((kind, "changed", _diff_words(text, new[match][1])))
        start = match + 1
    rows += [_added(block) for block in new[start:]]
    return rows


def _added(block):
    kind, text = block
    return (kind, "added", format_html("<ins>{}</ins>", _text_html(text)))


def _text_html(text):
    # Line breaks inside a paragraph (<br>) come through as newlines.
    return mark_safe(escape(text).replace("\n", "<br>"))


def _best_match(kind, text, candidates, start):
    words, best, best_ratio = _words(text), None, _SIMILAR
    for index in range(start, len(candidates)):
        other_kind, other = candidates[index]
        if other_kind != kind:
            continue
        matcher = SequenceMatcher(None, words, _words(other), autojunk=False)
        if matcher.quick_ratio() >= best_ratio and matcher.ratio() >= best_ratio:
            best, best_ratio = index, matcher.ratio()
    return best


def _words(text):
    return [token for token in _TOKEN.findall(text) if not token.isspace()]


def _with_context(rows):
    """Keep changed blocks and their neighbours; count the unchanged blocks left out."""
    changed = [i for i, (_, state, _) in enumerate(rows) if state != "same"]
    shown = {j for i in changed for j in range(i - _CONTEXT, i + _CONTEXT + 1)}
    kept, hidden = [], 0
    for index, row in enumerate(rows):
        if index in shown:
            if hidden:
                kept.append(("gap", hidden))
                hidden = 0
            kept.append(row)
        else:
            hidden += 1
    if hidden:
        kept.append(("gap", hidden))
    return kept


def _render_blocks(rows):
    parts = []
    for row in rows:
        if row[0] == "gap":
            count = row[1]
            parts.append(
                format_html(
                    '<p class="revision-gap">{} unchanged {}</p>',
                    count,
                    "block" if count == 1 else "blocks",
                )
            )
        else:
            kind, state, html = row
            parts.append(
                format_html(
                    '<div class="revision-block revision-block--{} revision-block--{}">{}</div>',
                    kind,
                    state,
                    html,
                )
            )
    return format_html('<div class="revision-body">{}</div>', mark_safe("".join(parts)))


_RENDERERS = {
    "headline": _diff_words,
    "standfirst": _diff_words,
    "body": _diff_body,
    "slug": _diff_values,
    "section": _diff_section,
    "topics": _diff_lists,
    "primary_topic": _diff_values,
    "byline": _diff_lists,
    "status": _diff_status,
    "published_at": _diff_times,
    "embargo_until": _diff_times,
    "expires_at": _diff_times,
}
