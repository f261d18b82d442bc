"""Strict readings of text from a request (a query parameter, a path, a CSV cell), in one place.

Python's own tests are too kind for this: `"²".isdigit()` and `"٣".isalnum()` are True (int("²")
raises, int("٣") is 3), int() refuses more than 4,300 digits, and a NamedNode raises ValueError for
text that is no IRI. Each reading here says None for anything it does not take, so the caller answers
with a 4xx and a message instead of a 500.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
IDENTIFIER = re.compile(r"[A-Za-z0-9]{1,64}")


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
