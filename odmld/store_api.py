"""What every store backend answers: the `Store` and `Writer` protocols and the types they use.

Two backends implement them, and neither imports the other: the embedded on-disk Oxigraph store
(embedded_store.py) and a SPARQL 1.1 server (remote_store.py). `store.open_store` picks one.

Reading goes straight to a store. A write is an operation `fn(writer, *args)` (registered with
`operation`) given to `store.write(fn, *args)`: it runs while holding the one write lock of the
deployment (across processes, and for a remote store across machines), its reads see its own changes,
and its change becomes visible to every reader, all of it or none of it, when it returns; when it
raises, nothing of it is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Mapping, Protocol, Sequence, TypeVar

import pyoxigraph as ox

from .errors import StoreBusy, StoreError  # noqa: F401 - the error model's; every store raises them

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
Binding = Term | list[Term]  # a list binds a row for each term


# -- write operations --------------------------------------------------------------------------------

OPERATIONS: dict[str, Callable] = {}
Operation = TypeVar("Operation", bound=Callable)


def operation(fn: Operation) -> Operation:
    """Register `fn(writer, *args)` as a write: the embedded store runs every write in the one process
    that holds it read-write (write_service.py), which finds the operation by this name."""
    OPERATIONS[f"{fn.__module__}:{fn.__qualname__}"] = fn
    return fn


def operation_name(fn: Callable) -> str:
    """The name another process finds a registered operation by."""
    name = f"{fn.__module__}:{fn.__qualname__}"
    if OPERATIONS.get(name) is not fn:
        raise StoreError(f"{name} is not a registered write operation (store_api.operation)")
    return name


class GraphContent(Protocol):
    """What replaces named graphs: the graphs it fills (`graphs`, emptied when it holds nothing for
    them) and its quads."""

    @property
    def graphs(self) -> set[GraphName]: ...

    @property
    def quads(self) -> Sequence[ox.Quad]: ...


@dataclass(frozen=True)
class NamedGraph:
    """The whole content of one named graph, as a write gives it (what publishing derives, the feed,
    the statistics): not a file, which is loading.ParsedFile."""
    graph: GraphName
    quads: list[ox.Quad]

    @property
    def graphs(self) -> set[GraphName]:
        return {self.graph}


@dataclass(frozen=True)
class QuadChange:
    """Statements to remove and to add, in the graphs they name: a write that changes a few statements
    of a graph (Writer.change_quads) instead of giving it whole."""
    removed: set[ox.Quad]
    added: set[ox.Quad]


class Reader(Protocol):
    base_uri: str

    def query(self, text: str, *, bindings: Mapping[str, Binding] | None = None,
              default_graph: list[GraphName] | None = None,
              named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None) -> Any: ...

    def select(self, text: str, **bindings: Binding) -> list[dict[str, Term]]: ...

    def named_graphs(self) -> list[ox.NamedNode | ox.BlankNode]: ...

    def has_graph(self, graph: ox.NamedNode) -> bool: ...

    def __len__(self) -> int: ...

    def dump(self, output: IO[bytes], rdf_format: ox.RdfFormat,
             graph: GraphName | None = None) -> None: ...


class Writer(Reader, Protocol):
    """What a write operation is given: reads see what it wrote so far."""

    def replace_graphs(self, files: Iterable[GraphContent]) -> list[tuple[GraphName, int]]: ...

    def load_file(self, path: Path, rdf_format: ox.RdfFormat, target: ox.NamedNode | None,
                  graphs: set[GraphName]) -> None: ...

    def remove_graphs(self, graphs: Iterable[GraphName]) -> None: ...

    def change_quads(self, removed: Iterable[ox.Quad], added: Iterable[ox.Quad]) -> None:
        """Remove some statements and add others (graph_difference.py: a graph rewritten at every
        publication whose changed values are a small part of it)."""
        ...


class Store(Reader, Protocol):
    read_only: bool

    @property
    def generation(self) -> int:
        """Grows with every committed write that this process can see (0: nothing written)."""
        ...

    def write(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run the operation `fn(writer, *args)` as one write; its answer, or its exception."""
        ...

    def replace_graphs(self, files: Iterable[GraphContent]) -> list[tuple[GraphName, int]]: ...


def rows_of(solutions: ox.QuerySolutions) -> list[dict[str, Term]]:
    """Solutions as dictionaries of their bound variables.

    Each solution is read as a sequence, in the order of `variables`: looking each variable up by name
    (`solution[name]`) cost about 4 us a value, twice the whole query for a large answer (latest-maturity,
    110,000 rows of 8 values)."""
    names = [variable.value for variable in solutions.variables]
    return [{name: term for name, term in zip(names, solution) if term is not None} for solution in solutions]
