"""The embedded store: an on-disk Oxigraph database shared by every odmld process on the machine.

Readers query the current published snapshot (snapshots.py) and move to a newer one as soon as a
write publishes it; `generation` says which one is current and costs a `stat`. A write is an operation
run by the store's one writer process (write_service.py), on the database it keeps open read-write;
it is published as a new snapshot when it returns. A write that raises, or whose process dies, is
undone: the database is put back to the current snapshot.
"""

from __future__ import annotations

import threading
import traceback
from abc import ABC, abstractmethod
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Mapping

import pyoxigraph as ox

from .snapshots import Snapshot, Snapshots
from .sparql_text import bind_values
from .store_identity import require_base
from .store_api import Binding, GraphContent, GraphName, StoreError, Term, operation, rows_of
from .write_service import WriteService

BULK_QUADS = 100_000  # above this many quads a write uses the bulk loader (no big in-memory batch)
BULK_FILE_BYTES = 8_000_000  # a file larger than this is streamed by the bulk loader


def query_options(base_uri: str, union_default_graph: bool, default_graph: list | None,
                  named_graphs: list | None) -> dict[str, Any]:
    options: dict[str, Any] = {"base_iri": base_uri}
    if default_graph is not None:
        options["default_graph"] = default_graph
    elif union_default_graph:
        options["use_default_graph_as_union"] = True
    if named_graphs is not None:
        options["named_graphs"] = named_graphs
    return options


class _Reads(ABC):
    """The read methods, over whichever pyoxigraph store `_database()` gives."""

    base_uri: str
    union_default_graph: bool

    @abstractmethod
    def _database(self) -> ox.Store:
        """The pyoxigraph store to read: a write's open database, or the published snapshot."""

    def query(self, text: str, *, bindings: Mapping[str, Binding] | None = None,
              default_graph: list[GraphName] | None = None,
              named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None) -> Any:
        """Run a SPARQL query; `bindings` are bound as a VALUES block at the start of its WHERE group.

        Each value is a pyoxigraph term written by pyoxigraph (see sparql_text.bind_values), never user
        text spliced in, and the same binding reaches a remote store. pyoxigraph's `substitutions`
        would do the same job, but its planner does not see them: a lookup by organisation measured
        86 ms with them against 1.7 ms as VALUES (300 organisations), 18 s against 1.7 s at 10,000.
        The result must be consumed on the thread that called this (a pyoxigraph rule).
        """
        if bindings:
            text = bind_values(text, bindings)
        return self._database().query(text, **query_options(
            self.base_uri, self.union_default_graph, default_graph, named_graphs))

    def select(self, text: str, **bindings: Binding) -> list[dict[str, Term]]:
        """A SELECT query's solutions as dictionaries of the bound variables."""
        return rows_of(self.query(text, bindings=bindings))

    def named_graphs(self) -> list[ox.NamedNode | ox.BlankNode]:
        """Every named graph: a scan (120,000 graphs take 1-5 s at 10,000 organisations)."""
        return sorted(self._database().named_graphs(), key=str)

    def has_graph(self, graph: ox.NamedNode) -> bool:
        """Whether the named graph is in the store: one index lookup."""
        return self._database().contains_named_graph(graph)

    def __len__(self) -> int:
        return len(self._database())

    def dump(self, output: IO[bytes], rdf_format: ox.RdfFormat,
             graph: GraphName | None = None) -> None:
        """Write the whole dataset (quad formats) or one graph (any format) to `output`."""
        if graph is None:
            self._database().dump(output, rdf_format)
        else:
            self._database().dump(output, rdf_format, from_graph=graph)


class EmbeddedWrite(_Reads):
    """The database opened read-write for one write; reads see what was written so far."""

    def __init__(self, database: ox.Store, base_uri: str, union_default_graph: bool,
                 snapshots: Snapshots) -> None:
        self._open: ox.Store | None = database
        self.base_uri, self.union_default_graph = base_uri, union_default_graph
        self.snapshots = snapshots
        self.changed = False

    def _database(self) -> ox.Store:
        if self._open is None:
            raise StoreError("this write has ended")
        return self._open

    def replace_graphs(self, files: Iterable[GraphContent]) -> list[tuple[GraphName, int]]:
        """Replace every graph these contents fill with what they hold (a graph they name but hold
        nothing for is emptied). Readers see it only when the write is published, all or nothing."""
        self.changed = True  # first: a write that fails half-way must still be undone
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
        self.changed = True
        for graph in graphs:
            self._clear(graph)
        database = self._database()
        load = database.bulk_load if path.stat().st_size > BULK_FILE_BYTES else database.load
        load(path=str(path), format=rdf_format, base_iri=self.base_uri, to_graph=target)

    def remove_all(self) -> None:
        """Empty the database (a rebase writes every quad again)."""
        self.changed = True
        self._database().clear()

    def add(self, quads: list[ox.Quad]) -> None:
        """Add quads as they are (the bulk loader for many)."""
        self.changed = True
        database = self._database()
        (database.bulk_extend if len(quads) > BULK_QUADS else database.extend)(quads)

    def remove_graphs(self, graphs: Iterable[GraphName]) -> None:
        self.changed = True
        for graph in graphs:
            self._clear(graph)

    def _clear(self, graph: GraphName) -> None:
        database = self._database()
        if isinstance(graph, ox.DefaultGraph):
            database.clear_graph(graph)
        elif database.contains_named_graph(graph):
            database.remove_graph(graph)

    def published(self) -> Snapshot:
        """The store as published before this write (a rebase reads it while it rewrites)."""
        return self.snapshots.open()

    def close(self) -> None:
        self._open = None


class EmbeddedStore(_Reads):
    """The embedded store at `path`, minting and resolving IRIs against `base_uri`.

    `read_only` refuses writes through this handle (reading never needs more). `write_wait` is how long
    a write waits for another process's write to finish.
    """

    def __init__(self, path: str | Path, *, base_uri: str, read_only: bool = False,
                 union_default_graph: bool = True, write_wait: float = 60.0) -> None:
        self.path = Path(path)
        self.base_uri = base_uri
        self.read_only = read_only
        self.union_default_graph = union_default_graph
        self.write_wait = write_wait
        self.snapshots = Snapshots(self.path)
        self._snapshot: Snapshot | None = None
        self._swap = threading.Lock()
        self._empty: ox.Store | None = None

    @property
    def generation(self) -> int:
        """The published snapshot readers see now; grows with every committed write, in any process.

        A database that has no snapshot yet (written before snapshots existed) is given its first here,
        so that what is asked of it by generation (the query processes) sees what it holds."""
        generation = self.snapshots.generation()
        if generation == 0 and self._has_database():
            self.snapshot()
            generation = self.snapshots.generation()
        return generation

    def _database(self) -> ox.Store:
        if self.snapshots.generation() == 0 and not self._has_database():
            return self._nothing_yet()
        return self.snapshot().store

    def snapshot(self) -> Snapshot:
        """The current snapshot, opened once per generation; hold it while reading from it."""
        generation = self.snapshots.generation()
        found = self._snapshot
        if found is not None and found.generation == generation:
            return found
        with self._swap:
            if self._snapshot is None or self._snapshot.generation != self.snapshots.generation():
                if self.snapshots.generation() == 0:  # a database written before snapshots existed
                    self._service().run(adopt, (), self.base_uri, self.union_default_graph, self.write_wait)
                try:
                    self._snapshot = self.snapshots.open()
                except OSError as error:
                    raise StoreError(f"cannot open the store at {self.path}: {error}") from None
            return self._snapshot

    def _has_database(self) -> bool:
        return (self.path / "CURRENT").is_file()  # RocksDB's own marker of a database

    def _nothing_yet(self) -> ox.Store:
        """A store nothing was ever written to reads as empty."""
        if self._empty is None:
            self._empty = ox.Store()
        return self._empty

    def _service(self) -> WriteService:
        return WriteService.for_store(self.path, write_session)

    def write(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run the registered operation `fn(writer, *args)` as one write, in the store's writer process
        (write_service.py); refused before anything is written when the store was loaded under another
        base URI (store_identity.py)."""
        if self.read_only:
            raise StoreError("this store was opened read-only")
        return self._service().run(fn, args, self.base_uri, self.union_default_graph, self.write_wait)

    def replace_graphs(self, files: Iterable[GraphContent]) -> list[tuple[GraphName, int]]:
        """One write that replaces these graphs (see EmbeddedWrite.replace_graphs)."""
        return self.write(replace_graphs, list(files))


def write_session(service: WriteService, fn: Callable, args: tuple, base_uri: str, union: bool) -> Any:
    """Run `fn(writer, *args)` on the writer's open database: published as a new snapshot when it
    returns having changed something, the database put back as the current snapshot when it raises."""
    snapshots = service.snapshots
    snapshots.begin()
    writer = EmbeddedWrite(service.database, base_uri, union, snapshots)
    try:
        require_base(writer, str(service.path))
        answer = fn(writer, *args)
        if writer.changed:
            snapshots.publish(service.database)
    except BaseException as error:
        writer.close()
        if writer.changed:
            # nothing may keep the database open while its files are replaced: not a result iterator
            # held by a frame of the failed operation, which the exception's traceback keeps alive
            traceback.clear_frames(error.__traceback__)
            service.database = None
            snapshots.restore()
            service.database = service.open_database()
        snapshots.end()
        raise
    writer.close()
    snapshots.end()
    snapshots.remove_superseded()
    return answer


@operation
def replace_graphs(writer: EmbeddedWrite, files: list[GraphContent]) -> list[tuple[GraphName, int]]:
    return writer.replace_graphs(files)


@operation
def adopt(writer: EmbeddedWrite) -> None:
    """Nothing to write: becoming the writer gives an adopted database its first snapshot."""
