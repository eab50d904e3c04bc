"""Plain text: what sanitised HTML says without its markup, and text folded for matching."""

import functools
import html
import re
import unicodedata

# Tags of sanitised HTML. nh3 writes every attribute value in double quotes (a quote inside
# one as &quot;), so a ">" can only end a tag outside the quotes. Inline tags sit inside a
# word's run of text ("<em>body</em>."); every other tag separates words.
_INLINE_TAG = re.compile(r'</?(?:a|em|strong)\b(?:[^>"]|"[^"]*")*>')
_TAG = re.compile(r'<(?:[^>"]|"[^"]*")*>')


def plain_text(body):
    """Return sanitised HTML as plain text, with words in separate elements kept apart."""
    text = _TAG.sub(" ", _INLINE_TAG.sub("", body or ""))
    return " ".join(html.unescape(text).split())


def fold(text):
    """Return text as searches and word lists compare it: without case or accents."""
    # For ASCII, casefold() is lower() and NFKD changes nothing: most text needs no more.
    if text.isascii():
        return text.lower()
    # Words recur (a snippet folds each word it reads); whole comments do not.
    return _fold_word(text) if len(text) <= 40 else _fold(text)


def _fold(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_fold_word = functools.lru_cache(maxsize=8192)(_fold)
