"""Writing the embedded store: the handle a write operation is given, and the write sessions that run
queued operations on the writer's open database and publish each session as one snapshot.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any, Iterable

import pyoxigraph as ox

from .kept_write import KeptWrite
from .loading import BULK_FILE_BYTES
from .embedded_reads import Reads
from .snapshots import Snapshot, Snapshots
from .store_api import GraphContent, GraphName, StoreError, operation
from .store_identity import require_base
from .write_service import Job, WriteService

BULK_QUADS = 100_000  # above this many quads a write uses the bulk loader (no big in-memory batch)


class EmbeddedWrite(Reads):
    """The database opened read-write for one write; reads see what was written so far."""

    def __init__(self, database: ox.Store, base_uri: str, union_default_graph: bool,
                 snapshots: Snapshots) -> None:
        self._open: ox.Store | None = database
        self.base_uri, self.union_default_graph = base_uri, union_default_graph
        self.snapshots = snapshots
        self.changes = 0  # calls that changed (or began to change) the database

    @property
    def changed(self) -> bool:
        return self.changes > 0

    def _database(self) -> ox.Store:
        if self._open is None:
            raise StoreError("this write has ended")
        return self._open

    def replace_graphs(self, files: Iterable[GraphContent]) -> list[tuple[GraphName, int]]:
        """Replace every graph these contents fill with what they hold (a graph they name but hold
        nothing for is emptied). Readers see it only when the write is published, all or nothing."""
        self.changes += 1  # first: a write that fails half-way must still be undone
        files = list(files)
        counts: dict[GraphName, int] = {}
        for content in files:
            for target in content.graphs:
                counts.setdefault(target, 0)
        for target in counts:
            self._clear(target)
        quads = [quad for content in files for quad in content.quads]
        for quad in quads:
            counts[quad.graph_name] += 1
        self.add(quads)
        return sorted(counts.items(), key=lambda item: str(item[0]))

    def load_file(self, path: Path, rdf_format: ox.RdfFormat, target: ox.NamedNode | None,
                  graphs: set[GraphName]) -> None:
        """Replace `graphs` with the file's content. A large file is streamed by the bulk loader
        (memory does not grow with the file); `target` is the graph of a triples file (None: the
        file names its graphs). The caller has read the file through once (loading.plan_file)."""
        self.changes += 1
        for graph in graphs:
            self._clear(graph)
        database = self._database()
        load = database.bulk_load if path.stat().st_size > BULK_FILE_BYTES else database.load
        load(path=str(path), format=rdf_format, base_iri=self.base_uri, to_graph=target)

    def bulk_load(self, path: str, rdf_format: ox.RdfFormat, *, serialised_by_pyoxigraph: bool = False) -> None:
        """Add the quads of a file, or of a pipe (`/dev/fd/N`), with the bulk loader, as they are: nothing
        is cleared first, so the caller knows the graphs it fills are new (the bench's generated store).
        Text that pyoxigraph's own serialiser wrote from terms it validated is read without checking
        every IRI again (pyoxigraph's `lenient`: 15% less time)."""
        self.changes += 1
        self._database().bulk_load(path=path, format=rdf_format, base_iri=self.base_uri,
                                   lenient=serialised_by_pyoxigraph)

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads as they come, with the bulk loader, as they are: nothing is cleared first, so the
        caller knows the graphs it fills are new (the bench's generated store). `quads` is read once,
        in this thread; the loader's threads sort and write each million of them meanwhile."""
        self.changes += 1
        self._database().bulk_extend(quads)

    def remove_all(self) -> None:
        """Empty the database (a rebase writes every quad again)."""
        self.changes += 1
        self._database().clear()

    def add(self, quads: list[ox.Quad]) -> None:
        """Add quads as they are (the bulk loader for many)."""
        self.changes += 1
        database = self._database()
        (database.bulk_extend if len(quads) > BULK_QUADS else database.extend)(quads)

    def change_quads(self, removed: Iterable[ox.Quad], added: Iterable[ox.Quad]) -> None:
        self.changes += 1
        database = self._database()
        for quad in removed:
            database.remove(quad)
        database.extend(list(added))

    def remove_graphs(self, graphs: Iterable[GraphName]) -> None:
        self.changes += 1
        for graph in graphs:
            self._clear(graph)

    def _clear(self, graph: GraphName) -> None:
        database = self._database()
        if isinstance(graph, ox.DefaultGraph):
            database.clear_graph(graph)
        elif database.contains_named_graph(graph):
            database.remove_graph(graph)

    def optimize(self) -> None:
        """Compact the database (RocksDB): after the bulk loader ingested its tables as overlapping
        runs, every lookup reads all of them (3-4x the time of an index lookup on a compacted store)."""
        self._database().optimize()

    def now_under(self, base_uri: str) -> None:
        """From here on this write reads and mints under `base_uri` (a rebase, once it moved every quad)."""
        self.base_uri = base_uri

    def published(self) -> Snapshot:
        """The store as published before this write (a rebase reads it while it rewrites)."""
        return self.snapshots.open()

    def close(self) -> None:
        self._open = None


def write_session(service: WriteService, jobs: list[Job]) -> None:
    """Run queued writes (each `fn(writer, *args)`) on the writer's open database, one after the other,
    and publish them as one snapshot; then answer each (group commit: one flush and checkpoint for all).

    What each changes is kept right (kept_write.py: the VoID counts, the organisation register). A write that raises
    having changed nothing is answered with its exception and the others go on. One that raises after
    changing the database puts it back as the current snapshot, which undoes the others of the session
    too: they run again in a new session, without it."""
    while jobs:
        jobs = _one_snapshot(service, jobs)


def _one_snapshot(service: WriteService, jobs: list[Job]) -> list[Job]:
    """One session over `jobs`; returns the jobs to run again, [] when every one is answered."""
    snapshots = service.snapshots
    snapshots.begin()
    writer = EmbeddedWrite(service.database, jobs[0].base_uri, jobs[0].union, snapshots)
    answers: list[tuple[Job, Any]] = []
    try:
        require_base(writer, str(service.path))
        counted = KeptWrite(writer)
        for job in jobs:
            before = writer.changes
            try:
                answers.append((job, job.fn(counted, *job.args)))
            except Exception as error:
                job.fail(error)
                if writer.changes != before:
                    raise _Undone from error
        counted.finish()
        if writer.changed:
            snapshots.publish(service.database)
    except BaseException as error:
        _undo(service, writer, error)
        snapshots.end()
        if isinstance(error, _Undone):
            return [job for job in jobs if not job.answered]
        for job in jobs:
            if not job.answered:
                job.fail(error)
        raise
    writer.close()
    snapshots.end()
    snapshots.remove_superseded_apart()
    for job, answer in answers:
        job.succeed(answer)
    return []


class _Undone(Exception):
    """A write of the session raised after changing the database: the session is undone."""


def _undo(service: WriteService, writer: EmbeddedWrite, error: BaseException) -> None:
    """Put the database back as the current snapshot, if this session changed it."""
    writer.close()
    if writer.changed:
        # nothing may keep the database open while its files are replaced: not a result iterator
        # held by a frame of the failed operation, which the exception's traceback keeps alive
        for raised in (error, error.__cause__):
            if raised is not None:
                traceback.clear_frames(raised.__traceback__)
        service.database = None
        service.snapshots.restore()
        service.database = service.open_database()


@operation
def replace_graphs(writer: EmbeddedWrite, files: list[GraphContent]) -> list[tuple[GraphName, int]]:
    return writer.replace_graphs(files)


@operation
def adopt(writer: EmbeddedWrite) -> None:
    """Nothing to write: becoming the writer gives an adopted database its first snapshot."""
