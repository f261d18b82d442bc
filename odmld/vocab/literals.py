"""The typed literals odmld writes, made in one way."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox

from .namespaces import XSD_BOOLEAN, XSD_DATE, XSD_DATE_TIME, XSD_DECIMAL, XSD_INTEGER


@lru_cache(maxsize=4096)
def integer(value: int) -> ox.Literal:
    """An xsd:integer literal (terms are immutable, so the small ones every assessment uses are made once)."""
    return ox.Literal(str(value), datatype=XSD_INTEGER)


def decimal(value: Decimal) -> ox.Literal:
    return _decimal(str(value))  # by its text: Decimal("1.5") == Decimal("1.50"), but they print apart


@lru_cache(maxsize=1024)
def _decimal(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=XSD_DECIMAL)


def boolean(value: bool) -> ox.Literal:
    return ox.Literal("true" if value else "false", datatype=XSD_BOOLEAN)


def date(text: str) -> ox.Literal:
    """An xsd:date literal of `text` as given (YYYY-MM-DD; the shapes check it)."""
    return ox.Literal(text, datatype=XSD_DATE)


def date_time(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=XSD_DATE_TIME)
