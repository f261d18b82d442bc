"""The first organisations of a ranking's place in name order, read in time that does not grow with
the place.

Where the top of a ranking ends inside a place, it shows that place's first organisations in name
order. Reading every organisation the place counts and sorting them (ranking-place-first.rq) grows
with the place: at 10,000 organisations the first place of domain 4 counts 2,707 (60 ms warm, 220 ms
on a worker's first request). A place that counts a share f of the register's N organisations has
its first `wanted` about wanted / f places into the register's name order, so for a large place the
register is read from its start, a stretch at a time (register-at.rq), and each organisation's own
observation or measurement looked up at the place (counted-in.rq), until enough are found.
Which way is cheaper is decided by the counts: a register position costs about twice what an
organisation of the place does, so the register is walked when the place counts more than about
sqrt(3 x wanted x N) organisations (780 at 10,000 for a top of 20); either way that is about the most
read, not the place's size (domain 4's top at 10,000: 247 -> 35 ms on a worker's first request).
"""

from __future__ import annotations

import math
from typing import Any

from . import vocab
from .sparql import library as queries
from .assessments.latest import average_measurement
from .vocab import integer
from .store_api import Reader

STRETCH = 400  # register positions read in one query at most


def register_size(reader: Reader) -> int:
    rows = reader.select(queries.get("register-size").text)
    return int(rows[0]["organisations"].value) if rows else 0


def walk_pays(counted: int, wanted: int, organisations: int) -> bool:
    """Whether walking the register finds a place's first `wanted` more cheaply than reading it all."""
    return counted * counted > 3 * wanted * organisations


def first_of_place(reader: Reader, place: dict[str, Any], wanted: int) -> list[dict[str, Any]]:
    """The place's first `wanted` organisations in name order, rows of ?place ?organisation ?position
    (as ranking-place-first.rq and domain-ranking-place-first.rq give them)."""
    counted, organisations = int(place["organisations"].value), register_size(reader)
    if not walk_pays(counted, wanted, organisations):
        name = "domain-ranking-place-first" if "maturity" in place else "ranking-place-first"
        return reader.select(queries.get(name).text, place=place["place"])[:wanted]
    found: list[dict[str, Any]] = []
    start = 1
    while len(found) < wanted and start <= organisations:
        # the stretch that should hold the rest, a quarter more for chance, within STRETCH
        expected = math.ceil((wanted - len(found)) * organisations / counted * 1.25) + 8
        stop = min(start + min(expected, STRETCH), organisations + 1)
        found += _counted_among(reader, place, reader.select(
            queries.get("register-at").text, position=[integer(n) for n in range(start, stop)]))
        start = stop
    return found[:wanted]


def _counted_among(reader: Reader, place: dict[str, Any], stretch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The organisations of a stretch of the register that `place` counts, in the stretch's order."""
    if not stretch:
        return []
    base = reader.base_uri
    counted = {(vocab.latest_observation(base, row["organisation"], place["domain"].value) if "maturity" in place
                else average_measurement(row["organisation"])): row for row in stretch}
    at = {row["counted"] for row in reader.select(queries.get("counted-in").text, counted=list(counted),
                                                  place=place["place"])}
    return [{"place": place["place"], **row} for node, row in counted.items() if node in at]
