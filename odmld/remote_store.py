"""A store on any SPARQL 1.1 server: Query and Update protocol for reading and writing, the Graph Store
Protocol for dumps.

`RemoteStore` answers like the embedded `Store` (same methods, pyoxigraph terms and results), so the rest
of odmld does not know which one it has. Plain `urllib` speaks the protocol: the store needs exact control
over Accept, `default-graph-uri`, time limits and the raw answer, which pyoxigraph then parses.

What the server must offer: the union of its named graphs as the default graph (`oxigraph serve
--union-default-graph`; Fuseki's `tdb2:unionDefaultGraph true`), as odmld keeps every file and every
assessment in its own named graph. `RemoteStore` checks this the first time it reads.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Mapping

import pyoxigraph as ox

from . import queries
from .sparql_text import bind_values
from .store_api import Binding, GraphContent, GraphName, StoreError, Term, rows_of
from .store_identity import require_base

# Writes of this process, one at a time. Several processes writing to one server are not yet
# serialised (issue 16: a lease held in the server itself).
_LOCAL_WRITES = threading.RLock()
_INSIDE = threading.local()  # set while this thread is inside writing()

ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
N_TRIPLES = "application/n-triples"


class RemoteTimeout(StoreError):
    """The server did not answer within the time limit."""


class RemoteRefusal(StoreError):
    """The server answered with an error status (kept in `status`)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def endpoints_for(url: str) -> tuple[str, str, str]:
    """Query, update and graph-store URLs, from the query URL of the usual server layouts.

    Oxigraph serves `/query`, `/update`, `/store`; Fuseki `/{ds}/sparql`, `/{ds}/update`, `/{ds}/data`;
    any other URL is taken to answer all three (as a Fuseki dataset URL does).
    """
    stem, _, last = url.rstrip("/").rpartition("/")
    if last == "query":
        return url, f"{stem}/update", f"{stem}/store"
    if last == "sparql":
        return url, f"{stem}/update", f"{stem}/data"
    return url, url, url


class RemoteStore:
    """A SPARQL 1.1 server reached over HTTP, minting and resolving IRIs against `base_uri`."""

    def __init__(self, url: str, *, base_uri: str, read_only: bool = False,
                 update_url: str | None = None, graph_store_url: str | None = None,
                 timeout: float = 60.0) -> None:
        self.url, derived_update, derived_graphs = endpoints_for(url)
        self.update_url = update_url or derived_update
        self.graph_store_url = graph_store_url or derived_graphs
        self.base_uri = base_uri
        self.read_only = read_only
        self.timeout = timeout
        self.generation = 0
        self.union_default_graph = True
        self._union_checked = False

    # -- the protocol --------------------------------------------------------------------------

    def _request(self, url: str, *, data: bytes | None = None, content_type: str | None = None,
                 accept: str = ACCEPT, timeout: float | None = None) -> tuple[str, bytes]:
        headers = {"Accept": accept}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(url, data=data, headers=headers,
                                         method="POST" if data is not None else "GET")
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace").strip()[:500]
            if error.code == 400:
                raise SyntaxError(detail or "the server refused the request") from None
            raise RemoteRefusal(f"the store at {url} answered {error.code}: {detail}", error.code) from None
        except TimeoutError:
            raise RemoteTimeout(f"the store at {url} did not answer within {timeout or self.timeout:g} s") \
                from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise RemoteTimeout(f"the store at {url} did not answer in time") from None
            raise StoreError(f"cannot reach the store at {url}: {error.reason}") from None

    def fetch(self, text: str, *, bindings: Mapping[str, Binding] | None = None,
              default_graph: list[GraphName] | None = None,
              named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
              timeout: float | None = None) -> tuple[str, bytes]:
        """One query request; the answer's media type and bytes, unparsed."""
        self._check_union()
        form = [("query", f"BASE {ox.NamedNode(self.base_uri)}\n" + bind_values(text, bindings or {}))]
        form += [("default-graph-uri", g.value) for g in default_graph or []]
        form += [("named-graph-uri", g.value) for g in named_graphs or []]
        return self._request(self.url, data=urllib.parse.urlencode(form).encode(),
                             content_type="application/x-www-form-urlencoded", timeout=timeout)

    def update(self, text: str) -> None:
        if self.read_only:
            raise StoreError("this store was opened read-only")
        self._request(self.update_url, data=text.encode(), content_type="application/sparql-update")
        self.generation += 1

    # -- reading -------------------------------------------------------------------------------

    def query(self, text: str, *, bindings: Mapping[str, Binding] | None = None,
              default_graph: list[GraphName] | None = None,
              named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None) -> Any:
        """Run a query on the server; results as pyoxigraph gives them (solutions, boolean, triples)."""
        media, body = self.fetch(text, bindings=bindings, default_graph=default_graph,
                                 named_graphs=named_graphs)
        return parse_answer(media, body)

    def select(self, text: str, **bindings: Binding) -> list[dict[str, Term]]:
        return rows_of(self.query(text, bindings=bindings))

    def named_graphs(self) -> list[ox.NamedNode | ox.BlankNode]:
        return sorted((row["graph"] for row in self.select(queries.get("store-graphs").text)), key=str)

    def has_graph(self, graph: ox.NamedNode) -> bool:
        return bool(self.query(queries.get("graph-exists").text, bindings={"graph": graph}))

    def __len__(self) -> int:
        named = int(self.select(queries.get("store-size").text)[0]["quads"].value)
        return named + len(self._graph_triples(ox.DefaultGraph()))

    def _graph_triples(self, graph: GraphName) -> list[ox.Triple]:
        where = "default" if isinstance(graph, ox.DefaultGraph) else \
            "graph=" + urllib.parse.quote(graph.value, safe="")
        separator = "&" if "?" in self.graph_store_url else "?"
        try:
            media, body = self._request(f"{self.graph_store_url}{separator}{where}", accept=N_TRIPLES)
        except RemoteRefusal as error:
            if error.status == 404:  # the Graph Store Protocol's answer for a graph that does not exist
                return []
            raise
        return [quad.triple for quad in ox.parse(body, ox.RdfFormat.from_media_type(media))]

    def dump(self, output: IO[bytes], rdf_format: ox.RdfFormat, graph: GraphName | None = None) -> None:
        """Every graph, read one at a time with the Graph Store Protocol, or only `graph`."""
        if graph is not None:
            output.write(ox.serialize(self._graph_triples(graph), format=rdf_format))
            return
        for name in [ox.DefaultGraph(), *self.named_graphs()]:
            quads = [ox.Quad(*triple, name) for triple in self._graph_triples(name)]
            if quads:
                output.write(ox.serialize(quads, format=rdf_format))

    def _check_union(self) -> None:
        if self._union_checked:
            return
        self._union_checked = True
        form = urllib.parse.urlencode({"query": queries.get("store-union-check").text}).encode()
        media, body = self._request(self.url, data=form, content_type="application/x-www-form-urlencoded")
        if bool(parse_answer("application/sparql-results+json", body)):
            raise StoreError(f"the store at {self.url} does not query the union of its named graphs by "
                             "default; start it with that option (oxigraph serve --union-default-graph, "
                             "Fuseki tdb2:unionDefaultGraph true)")

    # -- writing -------------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator["RemoteStore"]:
        """One write: reads go to the server and see what this write sent so far. Refused before
        anything is written when the store was loaded under another base URI."""
        if self.read_only:
            raise StoreError("this store was opened read-only")
        if getattr(_INSIDE, "writing", False):
            yield self
            return
        with _LOCAL_WRITES:
            _INSIDE.writing = True
            try:
                require_base(self, self.url)
                yield self
            finally:
                _INSIDE.writing = False

    def write(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run the operation `fn(writer, *args)` as one write (this store is its own writer)."""
        with self.writing():
            return fn(self, *args)

    def load_file(self, path: Path, rdf_format: ox.RdfFormat, target: ox.NamedNode | None,
                  graphs: set[GraphName]) -> None:
        """Replace `graphs` with the file's content, in one update request."""
        quads = list(ox.parse(path=str(path), format=rdf_format, base_iri=self.base_uri))
        if target is not None:
            quads = [ox.Quad(q.subject, q.predicate, q.object, target) for q in quads]
        self._replace([_Content(graphs, quads)])

    def remove_graphs(self, graphs: Iterable[GraphName]) -> None:
        self._replace([_Content(set(graphs), [])])

    def replace_graphs(self, files: Iterable[GraphContent]) -> list[tuple[GraphName, int]]:
        """Replace every graph these contents fill, in one update request (one transaction on the
        server); outside `writing()`, as a write of its own."""
        with self.writing():
            return self._replace(files)

    def _replace(self, files: Iterable[GraphContent]) -> list[tuple[GraphName, int]]:
        triples_of: dict[GraphName, list[ox.Triple]] = {}
        for parsed in files:
            for target in parsed.graphs:
                triples_of.setdefault(target, [])
            for quad in parsed.quads:
                triples_of[quad.graph_name].append(quad.triple)
        self.update(replacement_update(triples_of))
        return sorted(((g, len(t)) for g, t in triples_of.items()), key=lambda item: str(item[0]))



class _Content:
    """Graphs to replace and their quads."""

    def __init__(self, graphs: set[GraphName], quads: list[ox.Quad]) -> None:
        self.graphs, self.quads = graphs, quads


def replacement_update(triples_of: Mapping[GraphName, list[ox.Triple]]) -> str:
    """DROP each graph, then one INSERT DATA with their new content (terms written by pyoxigraph)."""
    operations = [f"DROP SILENT {'DEFAULT' if isinstance(g, ox.DefaultGraph) else f'GRAPH {g}'}"
                  for g in triples_of]
    blocks = []
    for graph, triples in triples_of.items():
        if not triples:
            continue
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
        blocks.append(body if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph} {{\n{body}}}")
    if blocks:
        operations.append("INSERT DATA {\n" + "\n".join(blocks) + "}")
    return " ;\n".join(operations)


def parse_answer(media: str, body: bytes) -> Any:
    """A query answer as pyoxigraph results: solutions or a boolean, or a list of triples."""
    results_format = ox.QueryResultsFormat.from_media_type(media)
    if results_format is not None:
        return ox.parse_query_results(body, results_format)
    rdf_format = ox.RdfFormat.from_media_type(media)
    if rdf_format is None:
        raise StoreError(f"the store answered in an unexpected format: {media}")
    return [quad.triple for quad in ox.parse(body, rdf_format)]
