"""Gzipped dumps: the whole store as N-Quads, each named graph as Turtle, with SHA-256 and size.

Dumps are made when first asked for and kept until the store changes (Store.generation), so the
catalogue can state every dump's checksum and byte size without dumping again on every request.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import threading
from dataclasses import dataclass

import pyoxigraph as ox

from .store import Store


@dataclass(frozen=True)
class Dump:
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


_cache: dict[tuple[int, int, str], Dump] = {}
_lock = threading.Lock()


def _gzip(raw: bytes) -> Dump:
    data = gzip.compress(raw, mtime=0)  # no timestamp, so the same content gives the same bytes
    return Dump(data=data, sha256=hashlib.sha256(data).hexdigest())


def _cached(store: Store, key: str, make) -> Dump:
    cache_key = (id(store), store.generation, key)
    with _lock:
        found = _cache.get(cache_key)
    if found is None:
        found = make()
        with _lock:
            for old in [k for k in _cache if k[0] == id(store) and k[1] != store.generation]:
                del _cache[old]
            _cache[cache_key] = found
    return found


def store_dump(store: Store) -> Dump:
    def make() -> Dump:
        out = io.BytesIO()
        store.dump(out, ox.RdfFormat.N_QUADS)
        return _gzip(out.getvalue())
    return _cached(store, "*", make)


def graph_dump(store: Store, graph: ox.NamedNode) -> Dump:
    def make() -> Dump:
        out = io.BytesIO()
        store.dump(out, ox.RdfFormat.TURTLE, graph=graph)
        return _gzip(out.getvalue())
    return _cached(store, graph.value, make)
