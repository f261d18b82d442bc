"""A query's answer as an HTML table, for a browser that prefers HTML or has no JavaScript, with links
to the same answer in every format; and the `format` parameter those links use.

The query runs in the query pool like any other (the same screen, time and result limits: a table is
never longer than the result limit allows), asked for SPARQL JSON or N-Triples, which this module
turns into rows. A client that prefers HTML is one whose Accept header ranks text/html above every
results and RDF format: `*/*` (curl, scripts) still gets SPARQL JSON.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
from flask import Response, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from ..sparql.pool import QueryRefused
from .db import get_pool
from .formats import GRAPH_MEDIA, HTML, RESULT_MEDIA, best_match
from .links import safe_href
from .response_cache import mark_reusable
from .sparql_job import answer
from ..vocab import XSD, XSD_STRING

RESULT_FORMATS = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                  "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_FORMATS = {"turtle": "text/turtle", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml",
                 "ntriples": "application/n-triples"}
FORMATS = {**RESULT_FORMATS, **GRAPH_FORMATS}
SUFFIX = {"json": "srj", "xml": "srx", "csv": "csv", "tsv": "tsv", "turtle": "ttl", "jsonld": "jsonld",
          "rdfxml": "rdf", "ntriples": "nt"}
ASKED_AS = "application/sparql-results+json, application/n-triples"
DATASET = ("default-graph-uri", "named-graph-uri")


class UnknownFormat(QueryRefused):
    """A `format` parameter odmld does not write: 400."""

    def __init__(self, chosen: str) -> None:
        super().__init__(400, "Bad Request", f"format={chosen!r} is not one of {', '.join(FORMATS)}")


def accept_for(values: MultiDict, accept: str) -> str:
    """The Accept to answer: the `format` parameter's media type when there is one (a link cannot set
    a header), else the client's header. UnknownFormat for a format odmld does not write."""
    chosen = values.get("format")
    if chosen is None:
        return accept
    if chosen not in FORMATS:
        raise UnknownFormat(chosen)
    return FORMATS[chosen]


def download_headers(values: MultiDict) -> dict[str, str]:
    """With `format`, the answer is a file to save: named for its format."""
    chosen = values.get("format")
    if chosen not in FORMATS:
        return {}
    return {"Content-Disposition": f'attachment; filename="answer.{SUFFIX[chosen]}"'}


def wants_html(accept: str, values: MultiDict) -> bool:
    """Whether the client ranks HTML above every format of an answer (and named no `format`)."""
    return "format" not in values and best_match(accept, (*RESULT_MEDIA, *GRAPH_MEDIA, HTML)) == HTML


def html_answer(text: str, values: MultiDict, title: str | None = None, intro: Any = "") -> Response:
    """The answer to `text` as a page: a table, its size, and links to it in every format."""
    media, body, keep = answer(get_pool(), text, ASKED_AS, values, request.remote_addr)
    table = graph_table(body) if media == "application/n-triples" else results_table(body)
    formats = GRAPH_FORMATS if media == "application/n-triples" else RESULT_FORMATS
    dataset = {name: values.getlist(name) for name in DATASET if name in values}
    downloads = [(name, url_for("sparql.endpoint", query=text, format=name, **dataset)) for name in formats]
    response = Response(render_template("sparql_answer.html", table=table, downloads=downloads, query=text,
                                        title=title, intro=intro), mimetype=HTML)
    response.headers["Vary"] = "Accept"
    if keep:
        mark_reusable()
    return response


def results_table(body: bytes) -> dict[str, Any]:
    answer = json.loads(body)
    if "boolean" in answer:
        return {"boolean": bool(answer["boolean"]), "columns": [], "rows": []}
    columns = answer["head"].get("vars", [])
    rows = [[cell(binding.get(name)) for name in columns] for binding in answer["results"]["bindings"]]
    return {"boolean": None, "columns": columns, "rows": rows}


def graph_table(body: bytes) -> dict[str, Any]:
    rows = [[term_cell(t.subject), term_cell(t.predicate), term_cell(t.object)]
            for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
    return {"boolean": None, "columns": ["subject", "predicate", "object"], "rows": rows}


def cell(binding: dict[str, str] | None) -> dict[str, Any] | None:
    """A SPARQL JSON cell for the template: its text, a safe link for an IRI, its language or type."""
    if binding is None:
        return None
    if binding["type"] == "uri":
        return {"text": binding["value"], "href": safe_href(binding["value"])}
    if binding["type"] == "bnode":
        return {"text": "_:" + binding["value"]}
    datatype = binding.get("datatype", "")
    return {"text": binding["value"], "lang": binding.get("xml:lang"),
            "datatype": datatype.rsplit("#", 1)[-1] if datatype.startswith(XSD)
            else datatype or None}


def term_cell(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return cell({"type": "uri", "value": term.value})
    if isinstance(term, ox.BlankNode):
        return cell({"type": "bnode", "value": term.value})
    found = {"type": "literal", "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype != XSD_STRING:
        found["datatype"] = term.datatype.value
    return cell(found)

