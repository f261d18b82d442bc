"""`odmld rebase`: move a store to another base URI, every IRI and graph name, in one write.

On the embedded store, the quads are read from the current snapshot and written back with every IRI
under the old base rewritten under the new one (the odm: ontology's IRI, by which a store records its
base, among them), in batches (memory does not grow with the store). It is one write of the store, so
readers see the old store or the moved one, never a mix, and a rebase that fails or is killed leaves
the store as it was. On a SPARQL server it is one DELETE/INSERT update that rewrites the same IRIs
(remote_updates.REBASE), one transaction on the server.
"""

from __future__ import annotations

from typing import Iterable, Iterator

import pyoxigraph as ox

from .embedded_store import EmbeddedStore, EmbeddedWrite
from .remote_store import RemoteStore, RemoteWrite
from .store_api import Store, StoreError, operation
from .store_identity import recorded_base

BATCH = 200_000


def moved(term, old: str, new: str):
    """`term` with an IRI under `old` put under `new`; a quoted triple term moved inside."""
    if isinstance(term, ox.NamedNode) and term.value.startswith(old):
        return ox.NamedNode(new + term.value[len(old):])
    if isinstance(term, ox.Triple):
        return ox.Triple(moved(term.subject, old, new), moved(term.predicate, old, new),
                         moved(term.object, old, new))
    return term


def moved_quads(quads: Iterable[ox.Quad], old: str, new: str) -> Iterator[ox.Quad]:
    for quad in quads:
        yield ox.Quad(moved(quad.subject, old, new), moved(quad.predicate, old, new),
                      moved(quad.object, old, new), moved(quad.graph_name, old, new))


def rebase_store(store: Store, new_base: str) -> int:
    """Rewrite the store from its base (`store.base_uri`, checked against the one it records) to
    `new_base`; returns the quads written."""
    if new_base == store.base_uri:
        raise StoreError(f"the store is already at {new_base}")
    if isinstance(store, RemoteStore):
        if recorded_base(store) is None:
            raise StoreError("nothing to rebase: the store is empty")
        return store.write(rebase_remote_in, new_base)
    if not isinstance(store, EmbeddedStore):
        raise StoreError(f"odmld rebase does not know this store: {type(store).__name__}")
    if store.generation == 0 and not (store.path / "CURRENT").is_file():
        raise StoreError("nothing to rebase: the store is empty")
    return store.write(rebase_in, new_base)


@operation
def rebase_in(writer: EmbeddedWrite, new_base: str) -> int:
    """`rebase_store`, as the write operation the store runs: reads the published store, writes it
    again moved."""
    source, written, batch = writer.published(), 0, []
    writer.remove_all()
    for quad in moved_quads(source.store.quads_for_pattern(None, None, None, None), writer.base_uri,
                            new_base):
        batch.append(quad)
        if len(batch) >= BATCH:
            writer.add(batch)
            written, batch = written + len(batch), []
    writer.add(batch)
    writer.now_under(new_base)  # what the write keeps beside the data is set again under the new base
    return written + len(batch)


@operation
def rebase_remote_in(writer: RemoteWrite, new_base: str) -> int:
    """`rebase_store` on a SPARQL server: one update moves every IRI under the base; what the write
    keeps beside the data (the dumps' checksums, of bytes that hold the base) is then set again."""
    writer.count_again()
    return writer.rebase(new_base)
