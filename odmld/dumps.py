"""Gzipped dumps: the whole store as N-Quads, each named graph as Turtle, with SHA-256 and size.

Dumps are made when first asked for and kept until the store changes (Store.generation), so the
catalogue can state every graph dump's checksum and byte size without dumping again on every request.
A graph is small and its dump is kept in memory. The whole store is not (25 million quads at 10,000
organisations x 10 years): it is written through gzip to a temporary file, so memory stays flat, and
the file is removed when a newer dump replaces it.
"""

from __future__ import annotations

import atexit
import gzip
import hashlib
import io
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from .store_api import Store


@dataclass(frozen=True)
class Dump:
    """A gzipped dump, in memory (`data`) or in a file (`path`)."""
    sha256: str
    size: int
    data: bytes | None = None
    path: Path | None = None

    def discard(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)


_cache: dict[tuple[int, int, str], Dump] = {}
_lock = threading.Lock()         # guards _cache
_whole_lock = threading.Lock()   # one whole-store dump is made at a time; others wait for it


def _gzip(raw: bytes) -> Dump:
    data = gzip.compress(raw, mtime=0)  # no timestamp, so the same content gives the same bytes
    return Dump(sha256=hashlib.sha256(data).hexdigest(), size=len(data), data=data)


def _cached(store: Store, key: str, make: Callable[[], Dump]) -> Dump:
    cache_key = (id(store), store.generation, key)
    with _lock:
        found = _cache.get(cache_key)
    if found is None:
        found = make()
        with _lock:
            for old in [k for k in _cache if k[0] == id(store) and k[1] != store.generation]:
                _cache.pop(old).discard()
            if cache_key in _cache:  # made meanwhile by another thread
                found.discard()
                return _cache[cache_key]
            _cache[cache_key] = found
    return found


@atexit.register
def _discard_all() -> None:
    with _lock:
        for dump in _cache.values():
            dump.discard()
        _cache.clear()


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
        return _cached(store, "*", make)


def graph_dump(store: Store, graph: ox.NamedNode) -> Dump:
    """One named graph as gzipped Turtle, in memory."""
    def make() -> Dump:
        out = io.BytesIO()
        store.dump(out, ox.RdfFormat.TURTLE, graph=graph)
        return _gzip(out.getvalue())
    return _cached(store, graph.value, make)
