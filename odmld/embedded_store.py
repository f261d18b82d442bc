"""The embedded store: an on-disk Oxigraph database shared by every odmld process on the machine.

Readers query the current published snapshot (snapshots.py) and move to a newer one as soon as a
write publishes it; `generation` says which one is current and costs a `stat`. A write is an operation
run by the store's one writer process (write_service.py), on the database it keeps open read-write;
it is published as a new snapshot when it returns (embedded_write.py). A write that raises, or whose
process dies, is undone: the database is put back to the current snapshot.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable, Iterable

import pyoxigraph as ox

from .embedded_reads import Reads
from .embedded_write import EmbeddedWrite, adopt, replace_graphs, write_session
from .snapshots import Snapshot, Snapshots
from .store_api import GraphContent, GraphName, StoreError
from .write_service import WriteService

__all__ = ["EmbeddedStore", "EmbeddedWrite"]


class EmbeddedStore(Reads):
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
