"""The top of a ranking and one organisation's rank, read in time that does not grow with the number of
organisations.

A ranking orders the organisations by their latest assessment: by average maturity, or within one
domain by maturity, then need (ties by name). Sorting every organisation for each page grows with them
(the whole ranking took 0.9-1.2 s at 10,000). So the statistics count the organisations at each place a
ranking can give (a few dozen averages; twelve pairs of maturity and need per domain), and each
organisation's kept graphs say which place counts it (odm:countedIn). The top reads the counts, then only
the organisations at the first places; a rank is one more than the organisations counted above. Where
the top ends inside a place, it takes that place's first in name order from the place's own order
graph (place_order.py): one range of the index, not a look-up for each organisation the place counts.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from .sparql import library as queries
from . import place_order
from .store_api import Reader


def _places(reader: Reader, domain: ox.NamedNode | None) -> list[dict[str, Any]]:
    if domain is None:
        return reader.select(queries.get("ranking-places").text)
    return reader.select(queries.get("domain-ranking-places").text, domain=domain)


MOST = 100  # the longest top (place-first.rq reads no more of a place)


def top(reader: Reader, size: int = 20, domain: ox.NamedNode | None = None) -> list[dict[str, Any]]:
    """The first `size` organisations of the ranking (of `domain`, or by average maturity), each row
    with its `rank` (organisations at the same place share one); the rows of ranking-at.rq or
    domain-ranking-at.rq. Where the top ends inside a place that counts more organisations than it
    still needs, it takes that place's first in name order (place_order.first), so it reads at most
    `size` organisations' values whatever the size of a place."""
    if not 0 < size <= MOST:
        raise ValueError(f"the top of a ranking is 1 to {MOST} organisations, not {size}")
    name = "ranking-at" if domain is None else "domain-ranking-at"
    rows, above = [], 0
    for place in _places(reader, domain):
        if above >= size:
            break
        wanted, counted = size - above, int(place["organisations"].value)
        if counted <= wanted:
            found = reader.select(queries.get(name).text, place=place["place"])
        else:
            found = _first_of(reader, place, wanted)
        rows += [{**row, "rank": above + 1} for row in found[:wanted]]
        above += counted
    return rows


def _first_of(reader: Reader, place: dict[str, Any], wanted: int) -> list[dict[str, Any]]:
    """The first `wanted` organisations of `place` in name order, as rows of ranking-at.rq (or of
    domain-ranking-at.rq: the place's maturity and need are theirs)."""
    first = place_order.first(reader, place["place"], wanted, int(place["organisations"].value))
    if not first:
        return []
    values = {row["organisation"]: row for row in reader.select(
        queries.get("ranked-organisations").text, organisation=first)}
    rows = []
    for organisation in first:
        found = values[organisation]
        shown = {"place": place["place"], "organisation": organisation, "name": found["name"]}
        if "maturity" in place:
            shown.update(maturity=place["maturity"], need=place["need"])
        else:
            shown.update(average=place["average"], date=found["date"])
        rows.append(shown)
    return rows


def rank_of(reader: Reader, organisation: ox.NamedNode,
            domain: ox.NamedNode | None = None) -> dict[str, Any] | None:
    """The organisation's rank in the ranking (of `domain`, or by average maturity), with what places it
    and how many are ranked (`rank`, `ranked` as integers); None when it is not ranked (no latest
    assessment, or the domain not scored)."""
    if domain is None:
        rows = reader.select(queries.get("organisation-rank").text, organisation=organisation)
    else:
        rows = reader.select(queries.get("organisation-domain-rank").text, organisation=organisation,
                             domain=domain)
    if not rows:
        return None
    return {**rows[0], "rank": int(rows[0]["rank"].value), "ranked": int(rows[0]["ranked"].value)}
