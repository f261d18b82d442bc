"""The organisations each place of a ranking counts, in name order, in a small graph of the place's own.

The top of a ranking ends inside a place that may count thousands of organisations (the first place of
domain 4 counts 2,707 at 10,000), and shows that place's first in name order. Looking up where the
register puts each of them, or walking the register and looking up which place counts each, is a read
of another block of the index for every organisation (IRIs are hashed): 30-55 ms on a worker's first
request at 10,000, against 2-3 ms at 300. So each place has a graph, <graph/plaatsvolgorde/{slice}/{key}>
beside its observation, that says of every organisation it counts its place in the register:

    GRAPH <graph/plaatsvolgorde/domeinrangschikking/4/3/2> { <org> odm:placeOrder 17 }

A place's organisations are then one range of the index, read in one go (place-first.rq).

Kept right by every write (kept_write.py, in the same atomic write): a write that replaces an
organisation's kept graphs (publishing, withdrawing, odmld statistics) moves it from the places it
left to those it came to, read from those graphs before and after; a write that sets the register
again (organisations added, renamed, removed: every position may move) sets every place order graph
again.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import pyoxigraph as ox

from . import vocab
from .sparql import library as queries
from .store_api import GraphName, NamedGraph, Reader
from .vocab import integer

Placed = set[tuple[ox.NamedNode, ox.NamedNode]]  # (organisation, place)


def placed_in(reader: Reader, graphs: Iterable[GraphName]) -> Placed:
    """Where the given graphs say the rankings place organisations (placed-in-graphs.rq)."""
    named = sorted((graph for graph in graphs if isinstance(graph, ox.NamedNode)), key=str)
    placed: Placed = set()
    for start in range(0, len(named), 1000):  # odmld statistics replaces every organisation's
        placed |= {(row["organisation"], row["place"]) for row in reader.select(
            queries.get("placed-in-graphs").text, graph=named[start:start + 1000])}
    return placed


def order_quad(base: str, organisation: ox.NamedNode, place: ox.NamedNode, position: int) -> ox.Quad:
    return ox.Quad(organisation, vocab.odm(base, "placeOrder"), integer(position), vocab.place_order_graph(place))


def changes(reader: Reader, before: Placed, after: Placed) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The statements of the place order graphs to remove and to add when the organisations' places
    go from `before` to `after` (the register as `reader` has it)."""
    left, came = before - after, after - before
    organisations = sorted({organisation for organisation, _ in left | came}, key=str)
    if not organisations:
        return [], []
    positions = {row["organisation"]: int(row["position"].value)
                 for row in reader.select(queries.get("register-at").text, organisation=organisations)}
    base = reader.base_uri
    return ([order_quad(base, o, p, positions[o]) for o, p in sorted(left, key=str) if o in positions],
            [order_quad(base, o, p, positions[o]) for o, p in sorted(came, key=str) if o in positions])


def every_file(reader: Reader) -> list[NamedGraph]:
    """Every place order graph as the store's places and register say now, and those it holds that no
    organisation is placed in any more, emptied."""
    base, quads = reader.base_uri, defaultdict(list)
    for row in reader.select(queries.get("place-order-sources").text):
        quad = order_quad(base, row["organisation"], row["place"], int(row["position"].value))
        quads[quad.graph_name].append(quad)
    held = {row["graph"] for row in reader.select(queries.get("place-order-graphs").text)}
    return [NamedGraph(graph=graph, quads=quads.get(graph, []))
            for graph in sorted(set(quads) | held, key=str)]


def first(reader: Reader, place: ox.NamedNode, wanted: int, counted: int) -> list[ox.NamedNode]:
    """The first `wanted` (at most 100) organisations of the `counted` the place counts, in name order.
    A store written before the order graphs has none until `odmld statistics` sets the register again:
    its place is then read whole and sorted (place-sorted.rq), as before them."""
    rows = reader.select(queries.get("place-first").text, order=vocab.place_order_graph(place))
    if len(rows) < min(wanted, counted):
        rows = reader.select(queries.get("place-sorted").text, place=place)
    return [row["organisation"] for row in rows[:wanted]]
