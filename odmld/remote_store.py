"""A store on any SPARQL 1.1 server: Query and Update protocol for reading and writing, the Graph Store
Protocol for dumps and for graphs too big for one update (remote_protocol.py, remote_updates.py).

`RemoteStore` answers like the embedded `Store` (same methods, pyoxigraph terms and results), so the rest
of odmld does not know which one it has. A write runs while holding the server's write lease
(remote_lease.py), so several odmld processes on several machines may write to one server.

What the server must offer (the union of its named graphs as the default graph, checked at the first
read; odmld's graphs named under its base URI): docs/deploying.md, "A remote store".
"""

from __future__ import annotations

import random
import time
import urllib.parse
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Mapping, NamedTuple

import pyoxigraph as ox

from . import vocab
from .sparql import library as queries
from .kept_write import KeptWrite
from .sparql.remote_functions import check_functions
from .remote_lease import Held, WriteLease
from .remote_protocol import (ACCEPT, N_TRIPLES, RemoteRefusal, RemoteTimeout, endpoints_for,
                              parse_answer, request, rolled_back, with_base)
from .remote_updates import GraphPut, Update, rebase_update, replacement_requests
from .sparql.screen import bind_values, query_form
from .store_api import Binding, GraphContent, GraphName, StoreError, Term, operation, rows_of
from .store_identity import require_base

__all__ = ["RemoteStore", "RemoteTimeout", "parse_answer", "endpoints_for"]
FORM = "application/x-www-form-urlencoded"
DEADLOCK_RETRIES = 6


class RemoteStore:
    """A SPARQL 1.1 server reached over HTTP, minting and resolving IRIs against `base_uri`."""

    def __init__(self, url: str, *, base_uri: str, read_only: bool = False,
                 update_url: str | None = None, graph_store_url: str | None = None,
                 timeout: float = 60.0, lease_seconds: float = 30.0) -> None:
        self.url, derived_update, derived_graphs = endpoints_for(url)
        self.update_url = update_url or derived_update
        self.graph_store_url = graph_store_url or derived_graphs
        self.base_uri = base_uri
        self.genid = vocab.genid(base_uri)
        self.read_only = read_only
        self.timeout = timeout
        self.generation = 0
        self.union_default_graph = True
        self._union_checked = False
        self._lease = WriteLease(self.update, self._select_plain, self.url, wait=timeout,
                                 seconds=lease_seconds)

    # -- the protocol --------------------------------------------------------------------------

    def fetch(self, text: str, *, bindings: Mapping[str, Binding] | None = None,
              default_graph: list[GraphName] | None = None,
              named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
              timeout: float | None = None) -> tuple[str, bytes]:
        """One query request; the answer's media type and bytes, unparsed. A query that calls a function
        of the engine's own is refused before it is sent (sparql/remote_functions.py)."""
        check_functions(text)
        self._check_union()
        form = [("query", with_base(bind_values(text, bindings or {}), self.base_uri))]
        form += [("default-graph-uri", g.value) for g in default_graph or []]
        form += [("named-graph-uri", g.value) for g in named_graphs or []]
        # Virtuoso answers a CONSTRUCT in SPARQL JSON results (subject, predicate, object) if asked
        accept = N_TRIPLES if query_form(text) in ("CONSTRUCT", "DESCRIBE") else ACCEPT
        return request(self.url, data=urllib.parse.urlencode(form).encode(), content_type=FORM,
                       accept=accept, timeout=timeout or self.timeout, doing="query")

    def update(self, text: str) -> None:
        """One update request (one transaction on the server). One the server rolled back as a deadlock
        (Virtuoso, under concurrent updates) is sent again: every update odmld sends replaces what it names
        whole or is a step of the write lease whose outcome is read back, so twice is once."""
        if self.read_only:
            raise StoreError("this store was opened read-only")
        for attempt in range(DEADLOCK_RETRIES + 1):
            try:
                request(self.update_url, data=text.encode(), content_type="application/sparql-update",
                        timeout=self.timeout, doing="update")
                break
            except RemoteRefusal as error:
                if attempt == DEADLOCK_RETRIES or not rolled_back(error):
                    raise
                time.sleep(random.uniform(0, 0.01 * 2 ** attempt))
        self.generation += 1

    def put_graph(self, graph: ox.NamedNode, body: bytes) -> None:
        """Replace one graph with an N-Triples body (Graph Store Protocol PUT)."""
        request(self._graph_url(graph), data=body, content_type=N_TRIPLES, method="PUT",
                timeout=self.timeout, doing="graph replacement")
        self.generation += 1

    def send(self, requests: Iterable[Update | GraphPut]) -> None:
        for prepared in requests:
            if isinstance(prepared, GraphPut):
                self.put_graph(prepared.graph, prepared.body)
            else:
                self.update(prepared.text)

    def _graph_url(self, graph: GraphName) -> str:
        where = "default" if isinstance(graph, ox.DefaultGraph) else \
            "graph=" + urllib.parse.quote(graph.value, safe="")
        return f"{self.graph_store_url}{'&' if '?' in self.graph_store_url else '?'}{where}"

    def _select_plain(self, text: str) -> list[dict[str, Term]]:
        """A SELECT of odmld's own bookkeeping (the lease), without BASE or the union check."""
        form = urllib.parse.urlencode({"query": text}).encode()
        media, body = request(self.url, data=form, content_type=FORM, timeout=self.timeout, doing="query")
        return rows_of(parse_answer(media, body))

    # -- reading -------------------------------------------------------------------------------

    def query(self, text: str, *, bindings: Mapping[str, Binding] | None = None,
              default_graph: list[GraphName] | None = None,
              named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None) -> Any:
        """Run a query on the server; results as pyoxigraph gives them (solutions, boolean, triples),
        the skolem IRIs odmld wrote for blank nodes given back as blank nodes."""
        media, body = self.fetch(text, bindings=bindings, default_graph=default_graph,
                                 named_graphs=named_graphs)
        return parse_answer(media, body, self.genid)

    def select(self, text: str, **bindings: Binding) -> list[dict[str, Term]]:
        return rows_of(self.query(text, bindings=bindings))

    def named_graphs(self) -> list[ox.NamedNode | ox.BlankNode]:
        """odmld's named graphs: those under the base URI (a scan of the server's graphs)."""
        rows = self.select(queries.get("store-graphs").text, base=ox.Literal(self.base_uri))
        return sorted((row["graph"] for row in rows), key=str)

    def has_graph(self, graph: ox.NamedNode) -> bool:
        return bool(self.query(queries.get("graph-exists").text, bindings={"graph": graph}))

    def __len__(self) -> int:
        """The quads of odmld's named graphs, and of the server's own default graph if it keeps one."""
        return quads_under(self, self.base_uri) + len(self._graph_triples(ox.DefaultGraph()))

    def _graph_triples(self, graph: GraphName) -> list[ox.Triple]:
        try:
            media, body = request(self._graph_url(graph), accept=N_TRIPLES, timeout=self.timeout,
                                  doing="graph read")
        except RemoteRefusal as error:
            if error.answered == 404:  # the Graph Store Protocol's answer for a graph that does not exist
                return []
            if isinstance(graph, ox.DefaultGraph):  # Virtuoso keeps no default graph of its own
                return []
            raise
        return parse_answer(media, body, self.genid)

    def dump(self, output: IO[bytes], rdf_format: ox.RdfFormat, graph: GraphName | None = None) -> None:
        """Every graph, read one at a time with the Graph Store Protocol, or only `graph`."""
        if graph is not None:
            output.write(ox.serialize(self._graph_triples(graph), format=rdf_format))
            return
        for name in [ox.DefaultGraph(), *self.named_graphs()]:
            if quads := [ox.Quad(*triple, name) for triple in self._graph_triples(name)]:
                output.write(ox.serialize(quads, format=rdf_format))

    def _check_union(self) -> None:
        if self._union_checked:
            return
        self._union_checked = True
        text = queries.get("store-union-check").text
        if bool(parse_answer(*request(self.url, data=urllib.parse.urlencode({"query": text}).encode(),
                                      content_type=FORM, timeout=self.timeout, doing="query"))):
            raise StoreError(f"the store at {self.url} does not query the union of its named graphs by "
                             "default; start it with that option (oxigraph serve --union-default-graph, "
                             "Fuseki tdb2:unionDefaultGraph true)")

    def write(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run the operation `fn(writer, *args)` as one write, holding the server's write lease; its
        answer once it is acknowledged (LeaseLost if another process took the lease meanwhile).
        Refused before anything is written when the store was loaded under another base URI."""
        if self.read_only:
            raise StoreError("this store was opened read-only")
        with self._lease.hold() as held:
            writer = RemoteWrite(self, held)
            require_base(writer, self.url)
            counted = KeptWrite(writer)  # the VoID counts and the organisation register
            answer = fn(counted, *args)
            counted.finish()
            writer.flush()
            held.confirm()
        return answer

    def replace_graphs(self, files: Iterable[GraphContent]) -> list[tuple[GraphName, int]]:
        """One write that replaces every graph these contents fill (see RemoteWrite.replace_graphs)."""
        return self.write(replace_graphs_in, list(files))


def quads_under(store: RemoteStore, base: str) -> int:
    """The quads of the named graphs under `base`."""
    rows = store.select(queries.get("store-size").text, base=ox.Literal(base))
    return int(rows[0]["quads"].value) if rows else 0


class RemoteWrite:
    """What a write operation is given on a remote store: changes are kept until the write reads
    again or ends, then sent in as few requests as the server takes (one, for every write but a big
    load), so that reads see them."""

    def __init__(self, store: RemoteStore, held: Held) -> None:
        self.store, self.held, self.base_uri = store, held, store.base_uri
        self._pending: dict[GraphName, list[ox.Triple]] = {}

    def flush(self) -> None:
        """Send the changes kept so far."""
        if not self._pending:
            return
        requests = replacement_requests(self._pending, self.store.genid)
        self._pending = {}
        for prepared in requests:
            if self.held.lost:
                self.held.confirm()  # raises LeaseLost: nothing more is sent
            self.store.send([prepared])

    # -- reads see what was written --------------------------------------------------------------

    def query(self, text: str, **options: Any) -> Any:
        self.flush()
        return self.store.query(text, **options)

    def select(self, text: str, **bindings: Binding) -> list[dict[str, Term]]:
        self.flush()
        return self.store.select(text, **bindings)

    def named_graphs(self) -> list[ox.NamedNode | ox.BlankNode]:
        self.flush()
        return self.store.named_graphs()

    def has_graph(self, graph: ox.NamedNode) -> bool:
        self.flush()
        return self.store.has_graph(graph)

    def __len__(self) -> int:
        self.flush()
        return len(self.store)

    def dump(self, output: IO[bytes], rdf_format: ox.RdfFormat, graph: GraphName | None = None) -> None:
        self.flush()
        self.store.dump(output, rdf_format, graph)

    # -- changes ---------------------------------------------------------------------------------

    def replace_graphs(self, files: Iterable[GraphContent]) -> list[tuple[GraphName, int]]:
        """Replace every graph these contents fill with what they hold (a graph they name but hold
        nothing for is emptied)."""
        replaced: dict[GraphName, list[ox.Triple]] = {}
        for content in files:
            for target in content.graphs:
                replaced.setdefault(target, [])
            for quad in content.quads:
                replaced.setdefault(quad.graph_name, []).append(quad.triple)
        self._pending.update(replaced)
        return sorted(((g, len(t)) for g, t in replaced.items()), key=lambda item: str(item[0]))

    def load_file(self, path: Path, rdf_format: ox.RdfFormat, target: ox.NamedNode | None,
                  graphs: set[GraphName]) -> None:
        """Replace `graphs` with the file's content."""
        quads = list(ox.parse(path=str(path), format=rdf_format, base_iri=self.base_uri))
        if target is not None:
            quads = [ox.Quad(q.subject, q.predicate, q.object, target) for q in quads]
        self.replace_graphs([_Content(graphs, quads)])

    def remove_graphs(self, graphs: Iterable[GraphName]) -> None:
        self.replace_graphs([_Content(set(graphs), [])])

    def rebase(self, new_base: str) -> int:
        """Move every IRI and graph name under the base to `new_base`, in one update, and read and mint
        under it from then on; the quads odmld's graphs hold afterwards."""
        self.flush()
        self.store.send([rebase_update(self.base_uri, new_base)])
        self.base_uri = self.store.base_uri = new_base
        self.store.genid = vocab.genid(new_base)
        return quads_under(self.store, new_base)

    def change_quads(self, removed: Iterable[ox.Quad], added: Iterable[ox.Quad]) -> None:
        """Each graph the statements are in, replaced by what it holds less `removed` plus `added`
        (every write here is sent as whole graphs; graph_difference.py)."""
        removed, added = set(removed), list(added)
        for graph in {quad.graph_name for quad in [*removed, *added]}:
            held = self.query(queries.get("all-triples").text, default_graph=[graph])
            kept = [q for q in (ox.Quad(t.subject, t.predicate, t.object, graph) for t in held) if q not in removed]
            self.replace_graphs([_Content({graph}, kept + [q for q in added if q.graph_name == graph])])


class _Content(NamedTuple):
    """Graphs to replace and their quads."""
    graphs: set[GraphName]
    quads: list[ox.Quad]


@operation
def replace_graphs_in(writer: RemoteWrite, files: list[GraphContent]) -> list[tuple[GraphName, int]]:
    return writer.replace_graphs(files)
