"""A store knows the base URI it was loaded with, so it is never served or written under another.

Every IRI odmld mints starts with the deployment's base URI (by default the server's own address).
A store loaded under one base and served under another would hold two copies of the model, neither
dereferenceable where it is served. The store records its base by what it holds: the odm: ontology's
own IRI, `{base}ns/odm`, which every odmld store has from its first load (a store holding only loaded
files tells it by their graph names, `{base}graph/...`). Every write, and every server start, compares
it with the configured base and refuses a mismatch before anything is written. `odmld rebase --to URI`
moves a store to another base.
"""

from __future__ import annotations

from . import vocab
from .sparql import library as queries
from .store_api import Reader, StoreError


class BaseUriMismatch(StoreError):
    """The store was loaded under another base URI than the one configured."""

    def __init__(self, location: str, recorded: str, configured: str) -> None:
        super().__init__(
            f"the store at {location} was loaded with base URI {recorded}, not {configured}; serve it "
            f"with --base-uri {recorded} (or ODMLD_BASE_URI), or move it to the new base first with "
            f"`odmld rebase --to {configured} --base-uri {recorded}`")
        self.location, self.recorded, self.configured = location, recorded, configured

    def __reduce__(self) -> tuple:  # raised in the store's writer process, pickled to the caller
        return type(self), (self.location, self.recorded, self.configured)


def recorded_base(reader: Reader) -> str | None:
    """The base URI the store was loaded with; None for a store that holds nothing of odmld's."""
    for row in reader.select(queries.get("store-ontology-iris").text):
        base = vocab.base_of_ontology(row["ontology"].value)
        if base is not None:
            return base
    for row in reader.select(queries.get("store-base-graphs").text):
        base = vocab.base_of_graph(row["graph"].value)
        if base is not None:
            return base
    return None


def require_base(reader: Reader, location: str) -> None:
    """Refuse (BaseUriMismatch) a store loaded under another base than `reader.base_uri`."""
    recorded = recorded_base(reader)
    if recorded is not None and recorded != reader.base_uri:
        raise BaseUriMismatch(location, recorded, reader.base_uri)
