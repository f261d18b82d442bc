"""What every write keeps right besides what it writes: the VoID counts (dataset_counts.py), the
organisation register (register.py), the rankings' place order graphs (place_order.py) and the
catalogued graphs' dump checksums and sizes (dump_digests.py), each set in the same atomic write as the
change that affects it.

Every write operation runs on a `KeptWrite` over the store's own writer (the embedded store's write
session, the remote store's write): it sees every graph the operation changes, counts each before its
first change, and when the operation returns (`finish`) counts the touched graphs again, sets the
register again if one of them held or holds an organisation (and then every place order graph), else
moves the organisations whose places the touched kept graphs changed, keeps the dump figures of the
touched graphs of the catalogue, and writes the counts.

A graph the operation changes only statement by statement (`change_quads`) is counted only for the
subjects it changes, before and after: the rest of it is as it was. Counting <graph/dumps> whole (two
statements a catalogued graph: 200,000 at 10,000 organisations) before and after every publication
took 270 of a submission's 345 ms.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Iterable

import pyoxigraph as ox

from . import dump_digests, place_order, register, vocab
from .dataset_counts import (Counts, count_graphs, count_store, count_subjects, count_subjects_of,
                             description_changes, description_file, kept_counts, kept_counts_of)
from .graph_difference import write_difference
from .store_api import GraphContent, GraphName, Writer


class KeptWrite:
    """A write operation's writer: every call passes to the store's own writer; those that change
    graphs first count the graphs they touch for the first time. `finish()`, once the operation
    returned, sets the organisation register again if the write touched organisations, then writes the
    new counts."""

    def __init__(self, writer: Writer) -> None:
        self._writer = writer
        self._before: Counts = Counter()
        self._added: list[Counts] = []  # what the operation says it added to new graphs
        self._touched: set[GraphName] = set()  # counted whole before their first change
        self._subjects: dict[ox.NamedNode, set[ox.NamedNode]] = {}  # else: the subjects counted
        self._kept: Counts | None = None  # the whole kept counts, read only if the write touches them
        self._everything = False
        self._started = False
        self._placed: place_order.Placed = set()  # where the kept graphs placed organisations before
        self._placing: set[GraphName] = set()  # the kept graphs read for it

    def __getattr__(self, name: str) -> Any:
        return getattr(self._writer, name)

    def _touch(self, graphs: Iterable[GraphName]) -> None:
        if not self._started:  # a store written before odmld kept counts is counted again
            self._started = True
            self._everything = self._everything or kept_counts_of(self._writer, ()) is None
        if self._everything:
            return
        new = set(graphs) - self._touched
        if vocab.void_graph(self._writer.base_uri) in new:  # the counts as kept, before it changes them
            self._kept = kept_counts(self._writer)
        before = count_graphs(self._writer, new)  # counted first: a count that fails marks nothing
        for graph in new & set(self._subjects):  # counted in part so far: the part's count now is
            before.subtract(count_subjects(self._writer, graph, self._subjects.pop(graph)))  # in both
        self._touched |= new
        self._before.update(before)
        self._note_places(new)

    def _note_places(self, graphs: Iterable[GraphName]) -> None:
        """Read, before their first change, where the kept graphs among `graphs` place organisations."""
        prefix = vocab.kept_graphs(self._writer.base_uri)
        kept = {graph for graph in graphs if isinstance(graph, ox.NamedNode)
                and graph.value.startswith(prefix)} - self._placing
        if kept:
            self._placed |= place_order.placed_in(self._writer, kept)
            self._placing |= kept

    def _touch_subjects(self, quads: list[ox.Quad]) -> None:
        """Count, before their first change, the subjects of `quads` in graphs counted only in part; a
        graph or subject that SPARQL cannot name in VALUES is counted whole (`_touch`)."""
        void, by_graph = vocab.void_graph(self._writer.base_uri), {}
        for quad in quads:
            by_graph.setdefault(quad.graph_name, set()).add(quad.subject)
        whole = {graph for graph, subjects in by_graph.items()
                 if graph == void or not isinstance(graph, ox.NamedNode)
                 or not all(isinstance(subject, ox.NamedNode) for subject in subjects)}
        self._touch(whole)  # which also finds a store whose counts are not kept (counted again)
        if self._everything:
            return
        new = {graph: subjects - self._subjects.get(graph, set()) for graph, subjects in by_graph.items()
               if graph not in self._touched}
        new = {graph: subjects for graph, subjects in new.items() if subjects}
        self._before.update(count_subjects_of(self._writer, new))
        for graph, subjects in new.items():
            self._subjects.setdefault(graph, set()).update(subjects)

    def count_again(self) -> None:
        """Count the whole store again when this write ends (its changes are not known graph by graph)."""
        self._started, self._everything = True, True

    def replace_graphs(self, files: Iterable[GraphContent]) -> list[tuple[GraphName, int]]:
        files = list(files)
        self._touch({graph for content in files for graph in content.graphs})
        return self._writer.replace_graphs(files)

    def load_file(self, path: Path, rdf_format: ox.RdfFormat, target: ox.NamedNode | None,
                  graphs: set[GraphName]) -> None:
        self._touch(graphs)
        self._writer.load_file(path, rdf_format, target, graphs)

    def remove_graphs(self, graphs: Iterable[GraphName]) -> None:
        graphs = list(graphs)
        self._touch(graphs)
        self._writer.remove_graphs(graphs)

    def change_quads(self, removed: Iterable[ox.Quad], added: Iterable[ox.Quad]) -> None:
        removed, added = list(removed), list(added)
        self._touch_subjects(removed + added)
        if not self._everything:
            self._note_places({quad.graph_name for quad in removed + added})
        self._writer.change_quads(removed, added)

    def add(self, quads: list[ox.Quad]) -> None:
        self._touch({quad.graph_name for quad in quads})
        self._writer.add(quads)

    def remove_all(self) -> None:
        self.count_again()
        self._writer.remove_all()

    def bulk_load(self, path: str, rdf_format: ox.RdfFormat, counts: Counts | None = None,
                  **options: Any) -> None:
        """The bulk loader (EmbeddedWrite.bulk_load), which fills new graphs. `counts` says what the
        caller knows it holds (the bench's generator, which made it), filled in by the time the
        operation returns; without them, the store is counted again when the write ends."""
        self._bulk(counts)
        self._writer.bulk_load(path, rdf_format, **options)

    def bulk_extend(self, quads: Iterable[ox.Quad], counts: Counts | None = None) -> None:
        """The bulk loader fed quads as they are made (EmbeddedWrite.bulk_extend); `counts` as for
        bulk_load."""
        self._bulk(counts)
        self._writer.bulk_extend(quads)

    def _bulk(self, counts: Counts | None) -> None:
        if counts is None:
            self.count_again()
        else:
            self._touch(())
            if not any(added is counts for added in self._added):  # one tally for several loads
                self._added.append(counts)

    def finish(self) -> None:
        """Keep what the operation changed right, in its write (nothing when it changed nothing)."""
        if not self._started:
            return
        if self._everything or self._touched_organisations():
            self.replace_graphs([register.register_file(self._writer)])
            self.replace_graphs(place_order.every_file(self._writer))  # every position may have moved
        elif self._placing:
            self.change_quads(*place_order.changes(self._writer, self._placed,
                                                   place_order.placed_in(self._writer, self._placing)))
        base = self._writer.base_uri
        if self._everything:
            dump_digests.keep_every(self)
        else:
            dump_digests.keep(self, {*self._touched, *self._subjects})
        if self._everything:
            write_difference(self._writer, description_file(base, count_store(self._writer)))
            return
        after = count_graphs(self._writer, self._touched)
        after.update(count_subjects_of(self._writer, self._subjects))
        if self._kept is not None:  # the write changed the description itself: written whole
            write_difference(self._writer, description_file(base, self._changed(self._kept, after)))
            return
        # the description holds what was kept: only the partitions whose counts change are read and written
        kept = kept_counts_of(self._writer, {*after, *self._before, *(key for added in self._added
                                                                      for key in added)}) or Counter()
        stale, fresh = description_changes(base, kept, self._changed(kept, after))
        if stale or fresh:
            self._writer.change_quads(stale, fresh)

    def _changed(self, kept: Counts, after: Counts) -> Counts:
        """The counts `kept`, with what the touched graphs held before taken out and what they hold
        now (and what the operation said it added) put in."""
        counts = Counter(kept)
        counts.update(after)
        counts.subtract(self._before)
        for added in self._added:
            counts.update(added)
        return counts

    def _touched_organisations(self) -> bool:
        """Did a graph this write touched hold, or does it hold, an organisation?"""
        return (self._before["class", register.ORGANIZATION] > 0
                or any(added["class", register.ORGANIZATION] for added in self._added)
                or register.any_organisation_in(self._writer, {*self._touched, *self._subjects}))
