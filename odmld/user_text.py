"""Strict readings of text from a request (a query parameter, a path, a CSV cell), in one place.

Python's own tests are too kind for this: `"²".isdigit()` and `"٣".isalnum()` are True (int("²")
raises, int("٣") is 3), int() refuses more than 4,300 digits, and a NamedNode raises ValueError for
text that is no IRI. Each reading here says None for anything it does not take, so the caller answers
with a 4xx and a message instead of a 500.
"""

from __future__ import annotations

import re
from datetime import date

import pyoxigraph as ox

WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
IDENTIFIER = re.compile(r"[A-Za-z0-9]{1,64}")
PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# what XML 1.0 cannot carry and no text needs: C0 and C1 controls but tab, CR and LF; U+FFFE, U+FFFF
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def whole_number(text: str | None) -> int | None:
    """A whole number written with ASCII digits (at most nine of them), else None."""
    if text is None or not WHOLE_NUMBER.fullmatch(text):
        return None
    return int(text)


def identifier(text: str | None) -> str | None:
    """An identifier as odmld mints them in IRIs (organisation, method): ASCII letters and digits."""
    if text is None or not IDENTIFIER.fullmatch(text):
        return None
    return text


def iri(text: str) -> ox.NamedNode | None:
    """The IRI `text` is, or None when it is not one."""
    try:
        return ox.NamedNode(text)
    except ValueError:
        return None


def plain_date(text: str) -> bool:
    """A calendar date written YYYY-MM-DD, and nothing else: no week date (2024-W01-1), no time, no
    time zone (rdflib's date parser reads all of those as dates, and normalises them before SHACL sees
    them, so the shapes' pattern alone cannot catch them)."""
    if not PLAIN_DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def has_control_character(text: str) -> bool:
    return CONTROL_CHARACTER.search(text) is not None
