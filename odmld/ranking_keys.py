"""Where the rankings place an organisation: the keys of the observations that count the organisations
at each place (odmld.assessments.statistics keeps the counts; each organisation's kept graphs link to the
observation that counts it with odm:countedIn, odmld.assessments.latest)."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox

from . import vocab


def average_key(average: Decimal | str) -> str:
    """Where the ranking by average maturity places an organisation: its average to two decimals
    ("3.00"; the store gives a decimal back in its shortest form, "3")."""
    return str(Decimal(average).quantize(Decimal("0.01")))


def ranking_key(domain: str, maturity: int, need: int) -> str:
    """Where a domain's ranking places an organisation: "4/3/2" (domain 4, maturity 3, need 2)."""
    return f"{vocab.notation(domain)}/{maturity}/{need}"


def ranking_observation(base: str, slice_name: str, key: str) -> ox.NamedNode:
    """The observation that counts the organisations at one place of a ranking: slice "rangschikking"
    (key: an average maturity, "2.91") or "domeinrangschikking" (key: see ranking_key)."""
    return vocab.current_observation(base, slice_name, key)
