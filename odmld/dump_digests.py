"""Each catalogued graph's dump, and its SHA-256 and byte size kept when the graph is written.

The catalogue states, for every dataset, the checksum and byte size of its gzipped Turtle dump
(/dump/{graph}.ttl.gz). Making 50 dumps to state them cost a catalogue page about a second. A dataset's
graph changes only when it is written (a version at its publication and its withdrawal, the model's
graphs when they are loaded), so every write keeps the dump's figures of the catalogued graphs it
touches (kept_write.py calls `keep`), in <graph/dumps>, in the same atomic write; a page reads those
of its datasets with one bounded query (`kept`).

What makes the kept figures true is that a dump's bytes are a function of the graph's statements,
whichever backend, process or order the store gives them in (`dump_bytes`): the statements in the
order of their N-Triples lines, written as Turtle by pyoxigraph and gzipped without a timestamp. The download
route serves exactly these bytes (dumps.graph_dump). Blank nodes keep their labels in a store, and
loading an unchanged file again changes nothing (loading.py), but a backup restored names them
afresh: its graphs that hold blank nodes (only the bundled model's) have dumps of other bytes (and
the load keeps those figures), so a restored store equals its backup but for those figures. The bytes depend on pyoxigraph's
Turtle writer: after an upgrade that writes differently, `odmld statistics --dumps` sets every kept
figure again. A store written before odmld kept them gets them from `odmld statistics`.
"""

from __future__ import annotations

import gzip
import hashlib
import io
from typing import Iterable, NamedTuple

import pyoxigraph as ox

from . import vocab
from .sparql import library as queries
from .store_api import GraphName, Reader, Writer, operation
from .vocab import XSD

BYTE_SIZE = ox.NamedNode("http://www.w3.org/ns/dcat#byteSize")
CHECKSUM_VALUE = ox.NamedNode("http://spdx.org/rdf/terms#checksumValue")


class Digest(NamedTuple):
    sha256: str
    size: int


def dump_url(base: str, graph: ox.NamedNode) -> ox.NamedNode:
    """Where a graph's dump is downloaded: <graph/x/y> -> <dump/x/y.ttl.gz>."""
    return vocab.dump(base, vocab.graph_path(base, graph))


def catalogued(base: str, graphs: Iterable[GraphName]) -> list[ox.NamedNode]:
    prefixes = (vocab.assessment_graphs(base), vocab.graph(base, "data/").value)  # the catalogue's datasets
    return sorted({g for g in graphs if isinstance(g, ox.NamedNode) and g.value.startswith(prefixes)}, key=str)


def dump_of(triples: Iterable[ox.Triple]) -> bytes:
    """A graph's dump made from its statements: in the order of their N-Triples lines (a triple's
    `str` is its line but the final " ."), as Turtle, gzipped without a timestamp. The generated
    benchmark store keeps its versions' figures with this, from the statements it makes."""
    return gzip.compress(ox.serialize(sorted(set(triples), key=str), format=ox.RdfFormat.TURTLE) or b"", mtime=0)


def dump_bytes(reader: Reader, graph: ox.NamedNode) -> bytes:
    """The graph's dump, as the store holds it now (`dump_of`)."""
    out = io.BytesIO()
    reader.dump(out, ox.RdfFormat.N_TRIPLES, graph)
    return dump_of(ox.parse(out.getvalue(), format=ox.RdfFormat.N_TRIPLES))


def digest_of(data: bytes) -> Digest:
    return Digest(hashlib.sha256(data).hexdigest(), len(data))


def kept(reader: Reader, graphs: list[ox.NamedNode]) -> dict[ox.NamedNode, Digest]:
    """The kept figures of these graphs' dumps (a graph written before odmld kept them has none)."""
    if not graphs:
        return {}
    base = reader.base_uri
    by_url = {dump_url(base, graph): graph for graph in graphs}
    rows = reader.select(queries.get("dump-digests").text, dump=list(by_url))
    return {by_url[row["dump"]]: Digest(row["sha256"].value, int(row["size"].value)) for row in rows}


def figure_quads(base: str, graph: ox.NamedNode, digest: Digest) -> list[ox.Quad]:
    """The statements in <graph/dumps> that keep the figures of the graph's dump."""
    kept_in, dump = vocab.dumps_graph(base), dump_url(base, graph)
    # an xsd:integer, as every count odmld keeps (a SPARQL server may give a derived type back otherwise
    # written, and the statement would not be found to be removed)
    return [ox.Quad(dump, BYTE_SIZE, ox.Literal(str(digest.size), datatype=ox.NamedNode(XSD + "integer")), kept_in),
            ox.Quad(dump, CHECKSUM_VALUE, ox.Literal(digest.sha256, datatype=ox.NamedNode(XSD + "hexBinary")),
                    kept_in)]


def keep(writer: Writer, graphs: Iterable[GraphName]) -> None:
    """Set the kept figures of the catalogued graphs among `graphs` to what their dumps are now (none
    for a graph that no longer holds anything), changing only the statements that differ."""
    base, chosen = writer.base_uri, catalogued(writer.base_uri, graphs)
    if not chosen:
        return
    wanted, current = set(), set()
    for start in range(0, len(chosen), 400):
        batch = chosen[start:start + 400]
        for graph, digest in kept(writer, batch).items():
            current.update(figure_quads(base, graph, digest))
        for graph in batch:
            if writer.has_graph(graph):
                wanted.update(figure_quads(base, graph, digest_of(dump_bytes(writer, graph))))
    if wanted != current:
        writer.change_quads(current - wanted, wanted - current)


def keep_every(writer: Writer, only_missing: bool = False) -> int:
    """Set the kept figures of every catalogued graph (`only_missing`: of those that have none, as in
    a store written before odmld kept them); returns how many were set. Reads every such graph."""
    graphs = catalogued(writer.base_uri, writer.named_graphs())
    if only_missing:
        found: set[ox.NamedNode] = set()
        for start in range(0, len(graphs), 400):
            found |= set(kept(writer, graphs[start:start + 400]))
        graphs = [graph for graph in graphs if graph not in found]
    keep(writer, graphs)
    return len(graphs)


@operation
def keep_every_in(writer: Writer, only_missing: bool) -> int:
    """`keep_every`, as the write operation the store runs."""
    return keep_every(writer, only_missing)
