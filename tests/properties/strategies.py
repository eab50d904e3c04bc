"""What a hostile or careless client can send: text, bytes and sizes, and how they travel.

Text is any Unicode a Python string can hold, lone surrogates included. A browser cannot send
a surrogate, but a client can send its UTF-8-style bytes (``%ED%A0%80``), which is not valid
UTF-8: ``wire()`` turns text into the bytes such a client sends, and ``percent()`` into the
form they take in a URL or a urlencoded body.
"""

from urllib.parse import quote_from_bytes

from hypothesis import example
from hypothesis import strategies as st

# Characters that have broken web apps before: NUL and other controls, bidirectional
# overrides and invisible format characters, a lone surrogate, the replacement character,
# characters that NFC normalisation turns into two or three (U+0958, U+FB2C, U+2ADC), emoji
# (outside the BMP) and combining marks, and the punctuation of HTML, URLs and SQL.
TRICKY = [
    "\x00",
    "\x01",
    "\x1b",
    "\x7f",
    "\r",
    "\n",
    "\t",
    "\u0085",
    "\u200b",
    "\u200e",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\ud800",
    "\udfff",
    "\ufffd",
    "\u0958",
    "\ufb2c",
    "\u2adc",
    "\u0301",
    "🙂",
    "\u200d",
    "\U0001f3fd",
    "ﷺ",
    "ß",
    "İ",
    "١",
    "<",
    ">",
    "&",
    '"',
    "'",
    "%",
    "+",
    "/",
    "\\",
    "?",
    "#",
    ";",
    "=",
    " ",
    "-",
    "_",
    ".",
]

PAYLOADS = [
    "\x00",
    "a\x00b",
    "\ud800",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "' OR 1=1 --",
    '"; DROP TABLE comments_comment; --',
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "../../etc/passwd",
    "%00",
    "%ED%A0%80",
    "\u202egnp.exe",
    "0",
    "-1",
    "1e3",
    "0x10",
    "1.0",
    "01",
    " 2",
    "2 ",
    "²",
    "١٢",
    "NaN",
    "9" * 30,
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "-0001-01-01",
]

# Any code point, surrogates too, with the tricky ones drawn more often.
any_char = st.one_of(st.sampled_from(TRICKY), st.characters(codec=None))
short_text = st.text(any_char, max_size=20)


@st.composite
def sized_text(draw, limits=()):
    """Return text from empty to very large, often just around the given length limits."""
    lengths = [0, 1, 2, 100, 4300, 4301, 20_000]
    for limit in limits:
        lengths += [limit - 1, limit, limit + 1]
    unit = draw(st.text(any_char, min_size=1, max_size=3))
    length = draw(st.sampled_from(lengths))
    return (unit * (length // len(unit) + 1))[:length]


# Numbers as text: 19 digits still fit a 64-bit integer, 20 do not; Python refuses to read
# more than 4300 digits as an int.
digits = st.one_of(
    st.text(st.sampled_from("0123456789"), max_size=12),
    st.builds(
        lambda digit, length: digit * length,
        st.sampled_from("0123456789"),
        st.sampled_from([19, 20, 30, 4300, 4301, 10_000]),
    ),
)

hostile_text = st.one_of(
    short_text,
    st.sampled_from(PAYLOADS),
    digits,
    sized_text(),
)


def wire(value):
    """Return the bytes a client sends for this text: UTF-8, surrogates as their raw bytes."""
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def received(value):
    """Return the text Django reads back from wire(value): invalid bytes become U+FFFD."""
    return wire(value).decode("utf-8", "replace")


def percent(value):
    """Return text or bytes percent-encoded, every byte outside A-Z a-z 0-9 -._~ escaped."""
    return quote_from_bytes(wire(value), safe="")


# Text or raw bytes, to be sent percent-encoded.
hostile_raw = st.one_of(hostile_text, st.binary(max_size=40))
hostile_value = hostile_raw.map(percent)

# Tried first on every test that takes a single value, whatever Hypothesis draws after:
# a random search finds a NUL or a 4301-digit number in a given parameter only now and then.
CLASSICS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "\u202e",
    "\ufeff",
    "\n",
    "<script>alert(1)</script>",
    "-1",
    "0",
    "１",
    "²",
    "9" * 30,
    "9" * 4301,
    "0" * 4301,
    "a" * 20_000,
    "😀",
    "../..",
    b"\xff\xfe",
    b"\xc0\x80",
    b"\xed\xa0\x80",
]


def with_classics(argument):
    """Add an explicit example of each classic hostile value for the given argument."""

    def decorate(test):
        for value in reversed(CLASSICS):
            test = example(**{argument: value})(test)
        return test

    return decorate


# Numbers at the edges of what a column or a date can hold: past a 64-bit id (the first two),
# the largest id, past a 32-bit integer, years past 9999 and past a C int, and 9999 itself,
# whose next year Python cannot make.
EDGE_NUMBERS = [
    "9" * 23,
    str(2**63),
    str(2**63 - 1),
    str(2**31),
    "99999999999",
    "10000",
    "9999",
    "0",
    "-1",
]
# Tried on every staff parameter, one at a time: past a 64-bit id, a year past a C int, the
# last year, year 0, a NUL (which PostgreSQL refuses in text), a digit int() refuses and one
# int() reads but that is not ASCII, and more digits than int() reads.
EDGE_VALUES = ["9" * 23, "99999999999", "9999", "0", "a\x00b", "²", "١", "9" * 4301]
edge_or_hostile = st.one_of(st.sampled_from([*EDGE_NUMBERS, *EDGE_VALUES]), hostile_raw)
