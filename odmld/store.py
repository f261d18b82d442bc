"""The store seam: everything odmld reads or writes goes through a `Store` (see store_api.py).

The default store is the embedded, on-disk Oxigraph database (embedded_store.py), shared by every odmld
process on the machine. A SPARQL server's URL opens a `RemoteStore` (remote_store.py) instead, which
answers the same protocol.
"""

from __future__ import annotations

from typing import Any

from .config import is_remote
from .embedded_store import EmbeddedStore
from .remote_store import RemoteStore
from .store_api import (Binding, GraphContent, GraphName, Reader, Store, StoreError, Term, Writer,
                        rows_of)

__all__ = ["Binding", "EmbeddedStore", "GraphContent", "GraphName", "Reader", "RemoteStore", "Store",
           "StoreError", "Term", "Writer", "open_store", "rows_of"]


def open_store(config: Any, *, read_only: bool = False) -> Store:
    """Open the store that `config` names: a folder (embedded Oxigraph) or a SPARQL server's URL."""
    if is_remote(config.store):
        return RemoteStore(config.store, base_uri=config.base_uri, read_only=read_only,
                           update_url=config.store_update, graph_store_url=config.store_graphs,
                           timeout=config.store_timeout, lease_seconds=config.store_lease)
    return EmbeddedStore(config.store, base_uri=config.base_uri, read_only=read_only,
                         union_default_graph=config.union_default_graph, write_wait=config.store_timeout)
