"""The SPARQL 1.1 protocols as odmld speaks them to a server: Query and Update over HTTP POST, the Graph
Store Protocol for whole graphs, and the server's answers read the same whichever engine gave them.

Plain `urllib` speaks the protocol: the store needs exact control over Accept, `default-graph-uri`, time
limits and the raw answer, which pyoxigraph then parses. A server's refusal becomes a StoreError with
the server's own words (never a traceback); a query the server cannot parse is also a SyntaxError, so
that the places that report a bad query go on doing so.

Engines differ in the details (docs/deploying.md, "A remote store"); `parse_answer` evens out those
that would change an answer: Virtuoso answers ASK as a one-column table (`__ASK_RETVAL`) and writes
booleans as 1 and 0, and a query Virtuoso stopped at its time limit comes back partial, marked only in
a header, which is refused here as a timeout rather than taken as the whole answer (as is its error
S1T00, a query stopped at its MaxQueryExecutionTime).
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pyoxigraph as ox

from .sparql.tokens import tokens
from .store_api import StoreError
from . import vocab

ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
N_TRIPLES = "application/n-triples"
XSD_BOOLEAN = vocab.XSD_BOOLEAN.value
WORDS_LIMIT = 500


class RemoteTimeout(StoreError):
    """The server did not answer within the time limit (or stopped the query at its own)."""


class RemoteRefusal(StoreError):
    """The server answered with an error status (kept in `answered`); the message has its words."""

    def __init__(self, message: str, answered: int, words: str = "") -> None:
        super().__init__(message, words)
        self.answered = answered


class RemoteQueryRefused(RemoteRefusal, SyntaxError):
    """The server refused a query as malformed (400): a StoreError, and a SyntaxError for callers that
    report a query that does not parse."""


def endpoints_for(url: str) -> tuple[str, str, str]:
    """Query, update and graph-store URLs, from the query URL of the usual server layouts.

    Oxigraph serves `/query`, `/update`, `/store`; Virtuoso `/sparql` (queries and updates) and
    `/sparql-graph-crud` at the root; Fuseki `/{ds}/sparql` (or `/{ds}/query`), `/{ds}/update`,
    `/{ds}/data`; GraphDB `/repositories/{id}`, `.../statements`, `.../rdf-graphs/service`. Any other
    URL is taken to answer all three (as a Fuseki dataset URL does).
    """
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    root = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    stem, _, last = url.rstrip("/").rpartition("/")
    if path == "/query":
        return url, f"{root}/update", f"{root}/store"
    if path == "/sparql":
        return url, url, f"{root}/sparql-graph-crud"
    if re.fullmatch(r"/repositories/[^/]+", path):
        return url, f"{url.rstrip('/')}/statements", f"{url.rstrip('/')}/rdf-graphs/service"
    if last in ("sparql", "query"):
        return url, f"{stem}/update", f"{stem}/data"
    return url, url, url


def with_base(text: str, base_uri: str) -> str:
    """The query, resolving relative IRIs against `base_uri` unless it declares a BASE of its own (a
    later BASE would win anyway, and Virtuoso refuses a second one)."""
    first = next((token.text.upper() for token in tokens(text) if token.kind == "word"
                  and token.text.upper() in ("BASE", "SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), None)
    return text if first == "BASE" else f"BASE {ox.NamedNode(base_uri)}\n{text}"


def server_words(body: bytes) -> str:
    """What a server said when it refused: its message, without the request it echoes (Virtuoso
    repeats the whole update after 'SPARQL query:'), cut to a readable length."""
    text = body.decode("utf-8", "replace").strip()
    text = text.split("\nSPARQL query:", 1)[0].strip()
    if text.lstrip().startswith("<"):  # an HTML error page: its text only
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()
    return text[:WORDS_LIMIT] + ("..." if len(text) > WORDS_LIMIT else "")


def request(url: str, *, data: bytes | None = None, content_type: str | None = None,
            accept: str = ACCEPT, method: str | None = None, timeout: float,
            doing: str = "request") -> tuple[str, bytes]:
    """One HTTP request to the server; its answer's media type and bytes. Errors are StoreErrors that
    say which store and what it answered; `doing` names the request in them ("query", "update")."""
    headers = {"Accept": accept}
    if content_type:
        headers["Content-Type"] = content_type
    prepared = urllib.request.Request(url, data=data, headers=headers,
                                      method=method or ("POST" if data is not None else "GET"))
    try:
        with urllib.request.urlopen(prepared, timeout=timeout) as response:
            if response.headers.get("X-SQL-State") == "S1TAT":  # Virtuoso's "anytime" partial answer
                raise RemoteTimeout(f"the store at {url} stopped the {doing} at its own time limit")
            return response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        words = server_words(error.read())
        if error.code >= 500 and "S1T00" in words:  # Virtuoso stopped it at its MaxQueryExecutionTime
            raise RemoteTimeout(f"the store at {url} stopped the {doing} at its own time limit") from None
        message = f"the store at {url} refused the {doing} ({error.code}): {words or error.reason}"
        if error.code == 400 and doing == "query":
            raise RemoteQueryRefused(f"the store refused the query: {words or error.reason}", error.code,
                                     words) from None
        raise RemoteRefusal(message, error.code, words) from None
    except TimeoutError:
        raise RemoteTimeout(f"the store at {url} did not answer within {timeout:g} s") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise RemoteTimeout(f"the store at {url} did not answer within {timeout:g} s") from None
        raise StoreError(f"cannot reach the store at {url}: {error.reason}") from None
    except (OSError, http.client.HTTPException) as error:  # reset or closed while answering
        raise StoreError(f"the connection to the store at {url} failed: {error}") from None


def rolled_back(error: RemoteRefusal) -> bool:
    """The server refused an update as a deadlock or a serialisation failure (SQLSTATE 40001, which
    Virtuoso answers when concurrent updates collide): it undid it, and it may be sent again."""
    return error.answered >= 500 and ("40001" in error.words or "deadlock" in error.words.lower())


def parse_answer(media: str, body: bytes, genid: str | None = None) -> Any:
    """A query answer as pyoxigraph results: solutions or a boolean, or a list of triples.

    With `genid` (`{base}.well-known/genid/`), the skolem IRIs odmld wrote for blank nodes are blank
    nodes again, so a remote store answers as the embedded one does."""
    results_format = ox.QueryResultsFormat.from_media_type(media)
    if results_format is not None:
        if results_format == ox.QueryResultsFormat.JSON:
            body = even_json_results(body, genid)
        return ox.parse_query_results(body, results_format)
    rdf_format = ox.RdfFormat.from_media_type(media)
    if rdf_format is None:
        raise StoreError(f"the store answered in an unexpected format: {media}")
    triples = [quad.triple for quad in ox.parse(body, rdf_format)]
    return [unskolemised_triple(triple, genid) for triple in triples] if genid and \
        genid.encode() in body else triples


def even_json_results(body: bytes, genid: str | None) -> bytes:
    """SPARQL JSON results as SPARQL 1.1 writes them: an ASK as a boolean, booleans as true and false,
    odmld's skolem IRIs as blank nodes. Answers that need none of it are left as they are (one scan)."""
    quirks = (b"__ASK_RETVAL", XSD_BOOLEAN.encode()) + ((genid.encode(),) if genid else ())
    if not any(quirk in body for quirk in quirks):
        return body
    answer = json.loads(body)
    variables = answer.get("head", {}).get("vars", [])
    if variables == ["__ASK_RETVAL"] and "boolean" not in answer:
        rows = answer.get("results", {}).get("bindings", [])
        value = rows[0].get("__ASK_RETVAL", {}).get("value") if rows else None
        return json.dumps({"head": {}, "boolean": value not in (None, "0", "false")}).encode()
    for row in answer.get("results", {}).get("bindings", []):
        for name, term in row.items():
            row[name] = even_json_term(term, genid)
    return json.dumps(answer).encode()


def even_json_term(term: dict, genid: str | None) -> dict:
    if term.get("datatype") == XSD_BOOLEAN and term.get("value") in ("1", "0"):
        return {**term, "value": "true" if term["value"] == "1" else "false"}
    if term.get("type") == "uri" and genid and term["value"].startswith(genid):
        return {"type": "bnode", "value": term["value"][len(genid):]}
    return term


def unskolemised(term: Any, genid: str) -> Any:
    if isinstance(term, ox.NamedNode) and term.value.startswith(genid):
        return ox.BlankNode(term.value[len(genid):])
    if isinstance(term, ox.Triple):
        return unskolemised_triple(term, genid)
    return term


def unskolemised_triple(triple: ox.Triple, genid: str) -> ox.Triple:
    return ox.Triple(unskolemised(triple.subject, genid), triple.predicate,
                     unskolemised(triple.object, genid))


def skolemised(term: Any, genid: str) -> Any:
    """A blank node as the IRI `{genid}{label}` (RDF 1.1 section 3.5): every SPARQL 1.1 server takes
    IRIs in INSERT DATA, while some refuse blank nodes there (Virtuoso: SP031)."""
    if isinstance(term, ox.BlankNode):
        return ox.NamedNode(genid + term.value)
    if isinstance(term, ox.Triple):
        return ox.Triple(skolemised(term.subject, genid), term.predicate, skolemised(term.object, genid))
    return term
