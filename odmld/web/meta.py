"""Descriptions of the service itself: the SPARQL Service Description and the VoID dataset."""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from .. import vocab
from ..sparql import library as queries
from ..terms import triple
from .conditional import validated
from .db import base_uri as served_base, get_store
from ..errors import NotAcceptable
from .errors import worded
from .formats import GRAPH_MEDIA, negotiate
from .rdf_response import serialise
from ..vocab import RDF_TYPE

bp = Blueprint("meta", __name__)

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
FORMATS = "http://www.w3.org/ns/formats/"


def service_description(media: str) -> Response:
    """The Service Description, whose sd:endpoint is the URL this request came to (clients such as
    Comunica check that it is the one they asked; behind a proxy trusted with ODMLD_TRUST_PROXY, the
    URL the proxy was asked)."""
    config = current_app.config["ODMLD"]
    response = Response(service_description_bytes(config.base_uri, config.union_default_graph, media,
                                                  request.url), mimetype=media)
    response.headers["Vary"] = "Accept"
    return validated(response, dated=False)  # its bytes name the URL asked, host and all


@lru_cache(maxsize=32)
def service_description_bytes(base_uri: str, union_default_graph: bool, media: str, asked: str) -> bytes:
    """The Service Description depends on the settings and the URL asked only, so each is made once."""
    service = vocab.sparql_service(base_uri)
    dataset = vocab.void_dataset(base_uri)
    try:
        endpoint = ox.NamedNode(asked)
    except ValueError:  # a Host header that makes no IRI
        endpoint = service
    triples = [
        triple(service, RDF_TYPE.value, ox.NamedNode(SD + "Service")),
        triple(service, SD + "endpoint", endpoint),
        triple(service, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Query")),
        triple(service, SD + "defaultDataset", dataset),
    ]
    if union_default_graph:
        triples.append(triple(service, SD + "feature", ox.NamedNode(SD + "UnionDefaultGraph")))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                 "SPARQL_Results_TSV", "Turtle", "JSON-LD", "RDF_XML", "N-Triples"):
        triples.append(triple(service, SD + "resultFormat", ox.NamedNode(FORMATS + name)))
    return serialise(triples, media, base_uri)


@bp.route("/.well-known/void")
def void() -> Response:
    """The VoID description: what the dataset is, and its counts and partitions as every write keeps
    them in <graph/void> (dataset_counts.py), so the answer reads one small graph at any size."""
    media = negotiate(request, GRAPH_MEDIA)
    if media is None:
        raise NotAcceptable(worded("void_formats", formats=", ".join(GRAPH_MEDIA)))
    store = get_store()
    base = served_base()
    kept = list(store.query(queries.get("all-triples").text, default_graph=[vocab.void_graph(base)]))
    response = Response(serialise(void_header(base) + sorted(kept, key=str), media, base), mimetype=media)
    response.headers["Vary"] = "Accept"
    return validated(response, reusable=True)  # the same bytes until the store changes


def void_header(base_uri: str) -> list[ox.Triple]:
    """What the dataset is, besides its counts: titles, licence, endpoint, URI space, dump."""
    dataset = vocab.void_dataset(base_uri)
    return [
        triple(dataset, RDF_TYPE.value, ox.NamedNode(VOID + "Dataset")),
        triple(dataset, DCTERMS + "title", ox.Literal("Open data maturiteit van lokale besturen", language="nl")),
        triple(dataset, DCTERMS + "title", ox.Literal("Open data maturity of local governments", language="en")),
        triple(dataset, DCTERMS + "license", ox.NamedNode("https://creativecommons.org/licenses/by/4.0/")),
        triple(dataset, VOID + "sparqlEndpoint", vocab.sparql_service(base_uri)),
        triple(dataset, VOID + "uriSpace", ox.Literal(vocab.uri_space(base_uri))),
        triple(dataset, VOID + "vocabulary", ox.NamedNode(vocab.odm_namespace(base_uri))),
        triple(dataset, VOID + "dataDump", vocab.whole_dump(base_uri)),
    ]
