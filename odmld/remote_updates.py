"""What a write sends a SPARQL server: graphs replaced with SPARQL Update, big graphs with the Graph
Store Protocol, and the rebase as one DELETE/INSERT; every term written by pyoxigraph's serialiser.

Every SPARQL 1.1 server takes these, within the limits the most constrained one sets: Virtuoso refuses
blank nodes in INSERT DATA (SP031), so they are written as skolem IRIs (remote_protocol.skolemised);
its parser gives up on a block of about 5,000 triples ("memory exhausted") and on an update whose SQL
passes 10,000 lines (about 40,000 triples, or 500-1,000 graphs). So a block holds at most BLOCK_TRIPLES
triples and one request at most REQUEST_TRIPLES in at most REQUEST_GRAPHS graphs; a write that fits in
one request (every publication and withdrawal, a load of the bundled model) is one request, one
transaction on the server. A bigger write is sent as several requests in the same write lease, each
graph replaced within one of them; a graph too big for one request is replaced on its own with the
Graph Store Protocol (PUT, atomic for that graph).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

import pyoxigraph as ox

from .remote_protocol import skolemised
from .store_api import GraphName

BLOCK_TRIPLES = 4_000
REQUEST_TRIPLES = 20_000
REQUEST_GRAPHS = 200


@dataclass(frozen=True)
class Update:
    """A SPARQL update request."""
    text: str


@dataclass(frozen=True)
class GraphPut:
    """A Graph Store Protocol PUT: `graph` replaced with `body` (N-Triples)."""
    graph: ox.NamedNode
    body: bytes


def graph_clause(graph: GraphName) -> str:
    return "DEFAULT" if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph}"


def skolemised_triples(triples: Iterable[ox.Triple], genid: str) -> list[ox.Triple]:
    return [ox.Triple(skolemised(t.subject, genid), t.predicate, skolemised(t.object, genid))
            for t in triples]


def replacement_requests(triples_of: Mapping[GraphName, list[ox.Triple]],
                         genid: str) -> list[Update | GraphPut]:
    """The requests that replace each graph of `triples_of` with its triples (none: emptied).

    One request when the whole fits (the common case); else the graphs in turn, each replaced within
    one request (a graph too big for one goes by the Graph Store Protocol)."""
    triples_of = {graph: skolemised_triples(triples, genid) for graph, triples in triples_of.items()}
    requests: list[Update | GraphPut] = []
    batch: dict[GraphName, list[ox.Triple]] = {}
    for graph, triples in triples_of.items():
        if len(triples) > REQUEST_TRIPLES and isinstance(graph, ox.NamedNode):
            requests.append(GraphPut(graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)))
            continue
        full = sum(map(len, batch.values())) + len(triples) > REQUEST_TRIPLES or len(batch) == REQUEST_GRAPHS
        if full and batch:
            requests.append(Update(update_text(batch)))
            batch = {}
        batch[graph] = triples
    if batch:
        requests.append(Update(update_text(batch)))
    return requests


def update_text(triples_of: Mapping[GraphName, list[ox.Triple]]) -> str:
    """DROP each graph, then one INSERT DATA with their new content, in blocks of BLOCK_TRIPLES."""
    operations = [f"DROP SILENT {graph_clause(graph)}" for graph in triples_of]
    blocks = []
    for graph, triples in triples_of.items():
        for start in range(0, len(triples), BLOCK_TRIPLES):
            body = ox.serialize(triples[start:start + BLOCK_TRIPLES], format=ox.RdfFormat.N_TRIPLES).decode()
            blocks.append(body if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph} {{\n{body}}}")
    if blocks:
        operations.append("INSERT DATA {\n" + "\n".join(blocks) + "}")
    return " ;\n".join(operations)


# Every quad with an IRI under ?old (as subject, predicate, object or graph name) is written again with
# that IRI under ?new, in one update: readers see the store before or after, never half moved.
REBASE = """DELETE { GRAPH ?graph { ?subject ?predicate ?object } }
INSERT { GRAPH ?movedGraph { ?movedSubject ?movedPredicate ?movedObject } }
WHERE {
  VALUES (?old ?new) { (%s %s) }
  GRAPH ?graph { ?subject ?predicate ?object }
  BIND(IF(isIRI(?graph) && STRSTARTS(STR(?graph), ?old),
          IRI(CONCAT(?new, SUBSTR(STR(?graph), STRLEN(?old) + 1))), ?graph) AS ?movedGraph)
  BIND(IF(isIRI(?subject) && STRSTARTS(STR(?subject), ?old),
          IRI(CONCAT(?new, SUBSTR(STR(?subject), STRLEN(?old) + 1))), ?subject) AS ?movedSubject)
  BIND(IF(STRSTARTS(STR(?predicate), ?old),
          IRI(CONCAT(?new, SUBSTR(STR(?predicate), STRLEN(?old) + 1))), ?predicate) AS ?movedPredicate)
  BIND(IF(isIRI(?object) && STRSTARTS(STR(?object), ?old),
          IRI(CONCAT(?new, SUBSTR(STR(?object), STRLEN(?old) + 1))), ?object) AS ?movedObject)
  FILTER(!sameTerm(?graph, ?movedGraph) || !sameTerm(?subject, ?movedSubject)
         || !sameTerm(?predicate, ?movedPredicate) || !sameTerm(?object, ?movedObject))
}"""


def rebase_update(old: str, new: str) -> Update:
    """The one update that moves every IRI under `old` to `new` (the bases as pyoxigraph literals)."""
    return Update(REBASE % (ox.Literal(old), ox.Literal(new)))
