"""Writing a graph by its difference: only the statements that change are removed and added.

The statistics (<graph/statistiek>, about 1,200 statements with the rankings' places) and the VoID
counts (<graph/void>, about 700) are written again at every publication, but a publication changes a
few dozen of their values. Replacing the whole graph removed and wrote every statement each time (and
made the snapshot's flush as large); writing the difference touches only the changed ones.
"""

from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox

from .sparql import library as queries
from .store_api import GraphName, NamedGraph, Reader, Writer


def write_difference(writer: Writer, content: NamedGraph) -> None:
    """Make the graph `content.graph` hold exactly `content.quads`, changing only what differs."""
    removed, added = graph_changes(writer, content.graph, content.quads)
    if removed or added:
        writer.change_quads(removed, added)


def graph_changes(reader: Reader, graph: GraphName, quads: Iterable[ox.Quad]) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """What to remove from and add to `graph` for it to hold exactly `quads`."""
    current = {ox.Quad(triple.subject, triple.predicate, triple.object, graph)
               for triple in reader.query(queries.get("all-triples").text, default_graph=[graph])}
    wanted = set(quads)
    return current - wanted, wanted - current
