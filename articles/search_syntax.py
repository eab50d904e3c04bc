"""The reader's search syntax: one parse, rendered as FTS5 MATCH text and as a PostgreSQL tsquery.

A query is words, each of which must match; "a quoted phrase", matching that exact sequence;
OR between two of those, matching either (it joins only its neighbours: ``ceasefire kyiv OR
moscow`` needs "ceasefire" and one of the other two); and ``-word`` or ``-"phrase"``, leaving
out the stories that match it. Anything else is text: FTS5 operators, column filters, ``*``
and ``^`` are read as words and separators, never as syntax. What the parse had to leave out
(a quotation mark without its pair, an OR with nothing on one side, a piece without letters,
exclusions with nothing to exclude from) is kept as notes for the results page.

Each term is handed to the database as the reader typed it, quoted, so that the tokenizer that
built the index splits it into words: "anti-doping" or "São Paulo" become phrases there, folded
as the index folds them, on SQLite (unicode61) and on PostgreSQL (its parser, then unaccent).
"""

import functools
import re
from dataclasses import dataclass

# Letters and digits, as FTS5's unicode61 tokenizer splits words (the underscore separates).
WORD = re.compile(r"[^\W_]+")
# A quoted phrase, with any minus signs in front, or a run of anything but spaces and quotes.
TOKEN = re.compile(r'(?P<minus>-*)"(?P<phrase>[^"]*)"|[^\s"]+')


@dataclass(frozen=True)
class Term:
    """A word or phrase of the query: its text without quotes, and as the reader typed it."""

    text: str
    shown: str

    @property
    def words(self):
        return WORD.findall(self.text)

    @property
    def is_one_word(self):
        return WORD.fullmatch(self.text) is not None


@dataclass(frozen=True)
class ParsedQuery:
    """What a query asks for: one term of each group, none of the excluded ones."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]
    notes: tuple[str, ...]

    @property
    def words(self):
        """Return the words the reader searched for (not the ones they left out)."""
        return [word for group in self.groups for term in group for word in term.words]

    @property
    def has_phrases(self):
        """Return True if a term to find may be several words as a database's tokenizer reads it."""
        return any(not term.is_one_word for group in self.groups for term in group)

    def fts5_match(self):
        """Return the query as FTS5 MATCH text, every term a quoted string."""

        def any_of(terms):
            strings = ['"' + term.text.replace('"', '""') + '"' for term in terms]
            return strings[0] if len(strings) == 1 else "(" + " OR ".join(strings) + ")"

        match = " AND ".join(any_of(group) for group in self.groups)
        if self.excluded:
            match = f"({match}) NOT {any_of(self.excluded)}"
        return match

    def pg_tsquery(self):
        """Return the query as to_tsquery() text, every term a quoted lexeme."""

        def any_of(terms):
            lexemes = ["'" + t.text.replace("\\", "\\\\").replace("'", "''") + "'" for t in terms]
            return lexemes[0] if len(lexemes) == 1 else "(" + " | ".join(lexemes) + ")"

        tsquery = " & ".join(any_of(group) for group in self.groups)
        if self.excluded:
            tsquery = f"{tsquery} & !{any_of(self.excluded)}"
        return tsquery


def _listed(pieces):
    quoted = [f"“{piece}”" for piece in dict.fromkeys(pieces)]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _pieces(query):
    """Yield (kind, Term) for each piece: "find", "exclude", "OR", or "ignore" (no letters)."""
    for token in TOKEN.finditer(query):
        if token["phrase"] is not None:
            minus, text = token["minus"], " ".join(token["phrase"].split())
            term = Term(text, f'{minus}"{text}"')
        elif token.group() == "OR":
            yield "OR", None
            continue
        else:
            minus = token.group().startswith("-")
            term = Term(token.group().lstrip("-"), token.group())
        if not WORD.search(term.text):
            yield "ignore", term
        else:
            yield ("exclude" if minus else "find"), term


@functools.lru_cache(maxsize=256)
def parse_query(query):
    """Return a reader's query as a ParsedQuery."""
    # A NUL would end FTS5's reading of the text mid-string, and PostgreSQL refuses one.
    query = query.replace("\x00", " ")
    notes = []
    if query.count('"') % 2:
        # The last quotation mark has no pair: read what follows it as words.
        head, _, tail = query.rpartition('"')
        query = f"{head} {tail}"
        notes.append("A quotation mark without its pair was ignored.")
    pieces = list(_pieces(query))
    ignored = [term.shown for kind, term in pieces if kind == "ignore"]
    pieces = [(kind, term) for kind, term in pieces if kind != "ignore"]
    kinds = [kind for kind, _ in pieces]
    groups, excluded, misplaced_or = [], [], False
    for index, (kind, term) in enumerate(pieces):
        if kind == "exclude":
            excluded.append(term)
        elif kind == "find":
            if kinds[max(0, index - 2) : index] == ["find", "OR"]:
                groups[-1].append(term)
            else:
                groups.append([term])
        elif kinds[max(0, index - 1) : index + 2] != ["find", "OR", "find"]:
            misplaced_or = True
    if misplaced_or:
        notes.append("“OR” was ignored: it goes between two words or phrases.")
    if ignored:
        were, they = ("was", "it has") if len(set(ignored)) == 1 else ("were", "they have")
        notes.append(f"{_listed(ignored)} {were} ignored: {they} no letters or digits.")
    if excluded and not groups:
        shown = _listed(term.shown for term in excluded)
        notes.append(f"Nothing to leave {shown} out from: add a word to search for.")
    return ParsedQuery(tuple(map(tuple, groups)), tuple(excluded), tuple(notes))
