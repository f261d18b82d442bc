"""Reading the embedded store: SPARQL and the few direct lookups, over whichever pyoxigraph database a
handle gives (a published snapshot for readers, the open database for the write in progress)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import IO, Any, Mapping

import pyoxigraph as ox

from .sparql.screen import bind_values
from .store_api import Binding, GraphName, Term, rows_of


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


class Reads(ABC):
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

        Each value is a pyoxigraph term written by pyoxigraph (see sparql/screen.py bind_values), never user
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
