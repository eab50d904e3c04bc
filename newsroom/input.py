"""Numbers and text from an address or a form, read so that no value can break a query.

An id past a 64-bit integer overflows SQLite, thousands of digits are slow for int() (and more
than 4,300 are refused), a NUL is refused by PostgreSQL: each of these was a 500 once.
"""

# What an id column holds: BigAutoField is a signed 64-bit integer on SQLite and PostgreSQL.
LARGEST_ID = 2**63 - 1


def whole_number(text, *, low=0, high=LARGEST_ID):
    """Return the text as an int if it is ASCII digits for a number in low..high, else None.

    Leading zeros are allowed ("007" is 7).
    """
    if not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0") or "0"
    # Length first: no number in range is longer than high.
    if len(digits) > len(str(high)):
        return None
    number = int(digits)
    return number if low <= number <= high else None


def parse_id(text):
    """Return the id the text names, or None if no row can have it."""
    return whole_number(text, low=1)


def clean_text(text, *, limit):
    """Return the text stripped and cut to limit characters, or "" if it holds a NUL: no stored
    text has one, and PostgreSQL refuses one in a query."""
    return "" if "\x00" in text else text.strip()[:limit]
