"""The VoID description's counts, kept up to date by every write, whatever it writes.

/.well-known/void says how many statements the dataset holds, per property (void:propertyPartition)
and per class (void:classPartition, the resources typed with it). Counting them at request time
scanned every quad: 40 s and 41.6 MB (one entry per graph) at 10,000 organisations, for any anonymous
GET. So every write counts what it changes: each operation runs on a `KeptWrite` (kept_write.py),
which counts a graph the first time the operation touches it (before its change) and every touched
graph again when the operation returns, and puts the difference into the counts kept in the graph
<graph/void>, in the same atomic write. The view reads that one graph: a few hundred statements at any
size.

Whatever writes through the store is counted this way: a publication, a withdrawal, `odmld load` of
any file, a rebuild. A write that cannot say which graphs it fills (a rebase, the bench's bulk load)
asks for the whole store to be counted again (`count_again`), as does a store written before odmld
kept the counts (it has no <graph/void>).

A write that fills new graphs with the bulk loader may say what it put in them instead (the bench's
generator, which made every statement it loads).

What is counted: the statements of every named graph and of the default graph, but <graph/void>
itself (a description does not count its own statements). A class partition's void:entities counts
rdf:type statements, so a resource typed with one class in two graphs counts twice (odmld types each
resource in one graph).
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from typing import Iterable, Mapping

import pyoxigraph as ox

from . import vocab
from .sparql import library as queries
from .vocab import integer
from .store_api import GraphName, NamedGraph, Reader, Term, rows_of
from .vocab import RDF_TYPE

VOID = "http://rdfs.org/ns/void#"
TOTAL = ("total", "")
BATCH = 400  # graphs counted in one query

Counts = Counter  # ("total", ""), ("class", IRI) or ("property", IRI) -> statements


def _add_rows(counts: Counts, rows: Iterable[dict], sign: int = 1) -> None:
    for row in rows:
        quads = int(row["quads"].value) * sign
        counts[TOTAL] += quads
        counts["property", row["property"].value] += quads
        if isinstance(row.get("class"), ox.NamedNode):
            counts["class", row["class"].value] += quads


def count_graphs(reader: Reader, graphs: Iterable[GraphName]) -> Counts:
    """What these graphs hold now (the description's own graph left out)."""
    counts: Counts = Counter()
    skipped = vocab.void_graph(reader.base_uri)
    named = sorted({g for g in graphs if isinstance(g, ox.NamedNode) and g != skipped}, key=str)
    text = queries.get("graph-counts").text
    for start in range(0, len(named), BATCH):
        _add_rows(counts, reader.select(text, graph=named[start:start + BATCH]))
    for graph in {g for g in graphs if not isinstance(g, ox.NamedNode)}:
        counts.update(_counted_by_dump(reader, graph))  # the default graph, a blank-node graph name
    return counts


def count_subjects(reader: Reader, graph: ox.NamedNode, subjects: Iterable[ox.NamedNode]) -> Counts:
    """What the statements of `subjects` in `graph` hold now: of a graph a write changes only for these
    subjects, the difference of two such counts is the difference of the whole graph's."""
    return count_subjects_of(reader, {graph: set(subjects)})


def count_subjects_of(reader: Reader, subjects_of: Mapping[ox.NamedNode, Iterable[ox.NamedNode]]) -> Counts:
    """`count_subjects` of each graph and its subjects, in one query for the graphs that share a set of
    subjects (a publication moves one organisation in the order graphs of up to two dozen places)."""
    counts: Counts = Counter()
    groups: dict[tuple, list[ox.NamedNode]] = {}
    for graph, subjects in subjects_of.items():
        groups.setdefault(tuple(sorted(set(subjects), key=str)), []).append(graph)
    text = queries.get("subject-statements").text
    for subjects, graphs in groups.items():
        graphs.sort(key=str)
        for first in range(0, len(graphs), BATCH):
            some_graphs = graphs[first:first + BATCH]
            step = max(1, BATCH // len(some_graphs))  # at most about BATCH pairs of graph and subject
            for start in range(0, len(subjects), step):
                for row in reader.select(text, graph=some_graphs, subject=list(subjects[start:start + step])):
                    _count_statement(counts, row["property"], row["object"])
    return counts


def _counted_by_dump(reader: Reader, graph: GraphName) -> Counts:
    """A graph SPARQL cannot name in VALUES, counted from its dump (usually empty)."""
    out = io.BytesIO()
    reader.dump(out, ox.RdfFormat.N_TRIPLES, graph)
    counts: Counts = Counter()
    for triple in ox.parse(out.getvalue(), format=ox.RdfFormat.N_TRIPLES):
        _count_statement(counts, triple.predicate, triple.object)
    return counts


def _count_statement(counts: Counts, predicate: ox.NamedNode, value: Term) -> None:
    counts[TOTAL] += 1
    counts["property", predicate.value] += 1
    if predicate == RDF_TYPE and isinstance(value, ox.NamedNode):
        counts["class", value.value] += 1


def counts_of(triples: Iterable[ox.Triple]) -> Counts:
    """What these statements add to the counts (each one new to its graph)."""
    triples = list(triples)
    counts: Counts = Counter({TOTAL: len(triples)})
    for predicate, quads in Counter(triple.predicate for triple in triples).items():
        counts["property", predicate.value] += quads
    for kind, quads in Counter(t.object for t in triples if t.predicate == RDF_TYPE).items():
        if isinstance(kind, ox.NamedNode):
            counts["class", kind.value] += quads
    return counts


def count_store(reader: Reader) -> Counts:
    """Every statement of the store counted again (a scan: tens of seconds at 10,000 organisations)."""
    counts: Counts = Counter()
    _add_rows(counts, reader.select(queries.get("store-counts").text))
    counts.update(_counted_by_dump(reader, ox.DefaultGraph()))
    return +counts


def kept_counts(reader: Reader) -> Counts | None:
    """The counts as kept in <graph/void> (none for an empty store); None for a store that holds data
    but no counts (written before odmld kept them)."""
    rows = reader.select(queries.get("dataset-counts").text)
    if not rows:
        return Counter() if not reader.query(queries.get("store-holds-anything").text) else None
    return Counter({(row["kind"].value, row["term"].value if "term" in row else ""): int(row["quads"].value)
                    for row in rows})


def kept_counts_of(reader: Reader, keys: Iterable[tuple[str, str]]) -> Counts | None:
    """The kept counts of `keys` and the total, read by their partitions' IRIs (a write reads those it
    changes); None for a store that holds data but no counts."""
    base = reader.base_uri
    nodes = {partition_iri(base, *key) if key != TOTAL else vocab.void_dataset(base): key for key in {*keys, TOTAL}}
    rows = rows_of(reader.query(queries.get("dataset-counts-of").text, bindings={"partition": list(nodes)},
                                default_graph=[vocab.void_graph(base)]))
    counts: Counts = Counter({nodes[row["partition"]]: int(row["quads"].value) for row in rows})
    if TOTAL not in counts and reader.query(queries.get("store-holds-anything").text):
        return None
    return counts


def partition_iri(base: str, kind: str, term: str) -> ox.NamedNode:
    """A stable IRI per partition: `id/void/klasse/{hash}` or `id/void/eigenschap/{hash}`, the hash of
    the term relative to the base (so a rebased store names its partitions as before)."""
    folder = "klasse" if kind == "class" else "eigenschap"
    local = vocab.local_path(base, term)
    relative = term if local is None else local
    return vocab.void_partition(base, folder, hashlib.sha256(relative.encode()).hexdigest()[:16])


def description_file(base: str, counts: Counts) -> NamedGraph:
    """The graph <graph/void>: the dataset's statement count and one partition per class and property."""
    graph = vocab.void_graph(base)
    return NamedGraph(graph=graph, quads=_description(base, counts, set(counts)))


def description_changes(base: str, before: Counts, after: Counts) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """The statements of <graph/void> to remove and to add when its counts go from `before` (as kept)
    to `after`: only those of the partitions whose counts change, and the total (a publication changes
    a few dozen of about 2,000 statements, and reading the graph again to compare cost more than
    writing them)."""
    changed = {key for key in set(before) | set(after) if before[key] != after[key]} | {TOTAL}
    old, new = set(_description(base, before, changed)), set(_description(base, after, changed))
    return old - new, new - old


def _description(base: str, counts: Counts, keys: set) -> list[ox.Quad]:
    """The statements of <graph/void> that say the counts of `keys` (the total always)."""
    graph, dataset = vocab.void_graph(base), vocab.void_dataset(base)
    triples = [(dataset, ox.NamedNode(VOID + "triples"), integer(counts[TOTAL]))]
    for (kind, term), quads in sorted((key, counts[key]) for key in keys):
        if kind == "total" or quads <= 0:
            continue
        partition = partition_iri(base, kind, term)
        link, named, measure = (("classPartition", "class", "entities") if kind == "class"
                                else ("propertyPartition", "property", "triples"))
        triples += [(dataset, ox.NamedNode(VOID + link), partition),
                    (partition, ox.NamedNode(VOID + named), ox.NamedNode(term)),
                    (partition, ox.NamedNode(VOID + measure), integer(quads))]
    return [ox.Quad(s, p, o, graph) for s, p, o in triples]
