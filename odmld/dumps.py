"""Gzipped dumps: the whole store as N-Quads, each named graph as Turtle, with SHA-256 and size.

Dumps are made when first asked for and kept until the store changes (caching.py says what is kept
and for how long). The catalogue states a graph dump's checksum and byte size as every write kept
them (dump_digests.py), making the dump only for a graph written before odmld kept them. A graph is
small and its dump is kept in memory, within a budget.
The whole store is not (25 million quads at 10,000 organisations x 10 years): it is written through
gzip to a temporary file, so memory stays flat, and the file is removed when a newer dump replaces
it. Where nothing may be kept (a remote store, which others write unseen) each dump is made afresh,
and a whole-store dump is `temporary`: whoever sends it removes it.
"""

from __future__ import annotations

import atexit
import dataclasses
import gzip
import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .caching import GRAPH_DUMP_BYTES, AnswerCache, generation_of
from .dump_digests import dump_bytes
from .store_api import Store


@dataclass(frozen=True)
class Dump:
    """A gzipped dump, in memory (`data`) or in a file (`path`)."""
    sha256: str
    size: int
    data: bytes | None = None
    path: Path | None = None
    temporary: bool = False  # a file kept by no one: remove it once sent

    def discard(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)


_graphs = AnswerCache(GRAPH_DUMP_BYTES)  # (generation, (store, graph)) -> Dump
_whole: dict[int, tuple[int, Dump]] = {}  # id(store) -> (generation, its whole-store dump)
_whole_lock = threading.Lock()  # one whole-store dump is made at a time; others wait for it


@atexit.register
def _discard_all() -> None:
    with _whole_lock:
        for _generation, dump in _whole.values():
            dump.discard()
        _whole.clear()


def store_dump(store: Store) -> Dump:
    """The whole store as gzipped N-Quads, in a temporary file."""
    def make() -> Dump:
        handle, name = tempfile.mkstemp(prefix="odmld-dump-", suffix=".nq.gz")
        path, digest = Path(name), hashlib.sha256()
        with os.fdopen(handle, "wb") as raw:
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as compressed:
                store.dump(compressed, ox.RdfFormat.N_QUADS)
        with path.open("rb") as written:
            for chunk in iter(lambda: written.read(1 << 20), b""):
                digest.update(chunk)
        return Dump(sha256=digest.hexdigest(), size=path.stat().st_size, path=path)

    with _whole_lock:
        generation, found = generation_of(store), _whole.get(id(store))
        if generation is None:
            return dataclasses.replace(make(), temporary=True)
        if found is not None and found[0] == generation:
            return found[1]
        made = make()
        if found is not None:
            found[1].discard()  # a response still sending it keeps its open file
        _whole[id(store)] = (generation, made)
        return made


def graph_dump(store: Store, graph: ox.NamedNode) -> Dump:
    """One named graph as gzipped Turtle, in memory: the bytes whose checksum and size every write
    keeps for the catalogue (dump_digests.dump_bytes)."""
    generation, key = generation_of(store), (id(store), graph.value)
    found = _graphs.get(generation, key) if generation is not None else None
    if found is None:
        data = dump_bytes(store, graph)
        found = Dump(sha256=hashlib.sha256(data).hexdigest(), size=len(data), data=data)
        if generation is not None:
            _graphs.put(generation, key, found, found.size + 200)
    return found
