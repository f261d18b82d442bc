"""The store seam: everything odmld reads or writes goes through `Store`.

The default store is an embedded, on-disk Oxigraph database. One process may open it read-write (RocksDB
holds a lock); others open it read-only and see a snapshot of the moment they opened it. A SPARQL
server's URL opens a `RemoteStore` (remote_store.py) instead, which answers the same methods.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Iterable, Mapping

import pyoxigraph as ox

from .config import is_remote
from .loading import ParsedFile
from .sparql_text import bind_values

if TYPE_CHECKING:
    from .remote_store import RemoteStore

STAGING_PREFIX = "urn:odmld:staging:"

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
Binding = Term | list[Term]  # a list binds a row for each term


class StoreError(Exception):
    """The store cannot be opened or written; the message says why in words a user can act on."""


class Store:
    """An embedded Oxigraph store at `path`, minting and resolving IRIs against `base_uri`."""

    def __init__(self, path: str | Path, *, base_uri: str, read_only: bool = False,
                 union_default_graph: bool = True) -> None:
        self.path = Path(path)
        self.base_uri = base_uri
        self.read_only = read_only
        self.generation = 0  # counts writes through this handle, so caches know when to refresh
        self.union_default_graph = union_default_graph
        try:
            if read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as error:
            if "lock" in str(error).lower():
                raise StoreError(
                    f"the store at {self.path} is in use by another odmld process "
                    "(stop it, or point --store / ODMLD_STORE elsewhere)") from None
            raise StoreError(f"cannot open the store at {self.path}: {error}") from None
        if not read_only:
            self.drop_staging_graphs()

    # -- reading -------------------------------------------------------------------------------

    def query(self, text: str, *, bindings: Mapping[str, Binding] | None = None,
              default_graph: list[GraphName] | None = None,
              named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None) -> Any:
        """Run a SPARQL query; `bindings` are bound as a VALUES block at the start of its WHERE group.

        Each value is a pyoxigraph term written by pyoxigraph (see sparql_text.bind_values), never user
        text spliced in, and the same binding reaches a remote store. pyoxigraph's `substitutions`
        would do the same job, but its planner does not see them: a lookup by organisation measured
        86 ms with them against 1.7 ms as VALUES (300 organisations), 18 s against 1.7 s at 10,000.
        The library's queries are tested to answer the same both ways.

        The result must be consumed on the thread that called this (a pyoxigraph rule).
        """
        options: dict[str, Any] = {"base_iri": self.base_uri}
        if bindings:
            text = bind_values(text, bindings)
        if default_graph is not None:
            options["default_graph"] = default_graph
        elif self.union_default_graph:
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = named_graphs
        return self._store.query(text, **options)

    def select(self, text: str, **bindings: Binding) -> list[dict[str, Term]]:
        """A SELECT query's solutions as dictionaries of the bound variables."""
        return rows_of(self.query(text, bindings=bindings))

    def named_graphs(self) -> list[ox.NamedNode | ox.BlankNode]:
        """Every named graph: a scan (120,000 graphs take 1-5 s at 10,000 organisations)."""
        return sorted(self._store.named_graphs(), key=str)

    def has_graph(self, graph: ox.NamedNode) -> bool:
        """Whether the named graph is in the store: one index lookup."""
        return self._store.contains_named_graph(graph)

    def __len__(self) -> int:
        return len(self._store)

    def dump(self, output: IO[bytes], rdf_format: ox.RdfFormat,
             graph: GraphName | None = None) -> None:
        """Write the whole dataset (quad formats) or one graph (any format) to `output`."""
        if graph is None:
            self._store.dump(output, rdf_format)
        else:
            self._store.dump(output, rdf_format, from_graph=graph)

    # -- writing -------------------------------------------------------------------------------

    def replace_graphs(self, files: Iterable[ParsedFile]) -> list[tuple[GraphName, int]]:
        """Replace, in one atomic step, every graph these files fill with what the files hold.

        The new content is first written to staging graphs (one transaction), then a single SPARQL
        update moves each staging graph onto its target (a second transaction, which either happens
        completely or not at all). A crash in between leaves only staging graphs, which are removed when
        the store is next opened for writing; the published graphs are always either all old or all new.
        """
        files = list(files)
        run = uuid.uuid4().hex
        staging_of: dict[GraphName, ox.NamedNode] = {}
        counts: dict[GraphName, int] = {}
        staged: list[ox.Quad] = []
        for parsed in files:
            for target in parsed.graphs:  # an empty triples file still replaces (empties) its graph
                if target not in staging_of:
                    staging_of[target] = ox.NamedNode(f"{STAGING_PREFIX}{run}:{len(staging_of)}")
                    counts[target] = 0
            for quad in parsed.quads:
                counts[quad.graph_name] += 1
                staged.append(ox.Quad(quad.subject, quad.predicate, quad.object,
                                      staging_of[quad.graph_name]))
        self._store.extend(staged)
        # A target with nothing staged is emptied: MOVE from a graph that does not exist does nothing.
        moves = [f"MOVE SILENT GRAPH {staging} TO {_graph_ref(target)}" if counts[target]
                 else f"DROP SILENT {_drop_ref(target)}"
                 for target, staging in staging_of.items()]
        # Graph names are validated pyoxigraph terms serialised by pyoxigraph itself, not user text.
        self._store.update(" ;\n".join(moves))
        self.generation += 1
        return sorted(counts.items(), key=lambda item: str(item[0]))

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads with pyoxigraph's bulk loader: fast, but not one transaction.

        For filling a fresh store nobody reads yet (benchmarks, restoring a large dump); a crash midway
        leaves part of the quads. Anything live goes through `replace_graphs`.
        """
        self._store.bulk_extend(quads)
        self.generation += 1

    def drop_staging_graphs(self) -> None:
        """Remove what a crashed write left. Only a crash leaves staging graphs, and a crash ends the
        process, so this runs once, when the store is opened for writing, not before every write."""
        leftovers = [g for g in self._store.named_graphs()
                     if isinstance(g, ox.NamedNode) and g.value.startswith(STAGING_PREFIX)]
        for graph in leftovers:
            self._store.remove_graph(graph)

    def flush(self) -> None:
        self._store.flush()


def rows_of(solutions: ox.QuerySolutions) -> list[dict[str, Term]]:
    """Solutions as dictionaries of their bound variables."""
    names = [variable.value for variable in solutions.variables]
    return [{name: solution[name] for name in names if solution[name] is not None}
            for solution in solutions]


def _graph_ref(graph: GraphName) -> str:
    return "DEFAULT" if isinstance(graph, ox.DefaultGraph) else str(graph)


def _drop_ref(graph: GraphName) -> str:
    """DROP names a graph as `DEFAULT` or `GRAPH <iri>` (MOVE's target takes `DEFAULT` or `<iri>`)."""
    return "DEFAULT" if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph}"


def open_store(config: Any, *, read_only: bool = False) -> "Store | RemoteStore":
    """Open the store that `config` names: a folder (embedded Oxigraph) or a SPARQL server's URL."""
    if is_remote(config.store):
        from .remote_store import RemoteStore
        return RemoteStore(config.store, base_uri=config.base_uri, read_only=read_only,
                           update_url=config.store_update, graph_store_url=config.store_graphs,
                           timeout=config.store_timeout)
    return Store(config.store, base_uri=config.base_uri, read_only=read_only,
                 union_default_graph=config.union_default_graph)
