"""Writing a graph by its difference: only the statements that change are removed and added.

The statistics (<graph/statistiek>, about 1,200 statements with the rankings' places) and the VoID
counts (<graph/void>, about 700) are written again at every publication, but a publication changes a
few dozen of their values. Replacing the whole graph removed and wrote every statement each time (and
made the snapshot's flush as large); writing the difference touches only the changed ones.
"""

from __future__ import annotations

import pyoxigraph as ox

from . import query_library as queries
from .loading import ParsedFile
from .store_api import Writer


def write_difference(writer: Writer, content: ParsedFile) -> None:
    """Make the graph `content.graph` hold exactly `content.quads`, changing only what differs."""
    graph = content.graph
    current = {ox.Quad(triple.subject, triple.predicate, triple.object, graph)
               for triple in writer.query(queries.get("all-triples").text, default_graph=[graph])}
    wanted = set(content.quads)
    removed, added = current - wanted, wanted - current
    if removed or added:
        writer.change_quads(removed, added)
