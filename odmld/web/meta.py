"""Descriptions of the service itself: the SPARQL Service Description and the VoID dataset."""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from .. import queries
from ..terms import triple
from .db import get_store
from .errors import error_response
from .formats import GRAPH_MEDIA, negotiate
from .rdf_response import serialise

bp = Blueprint("meta", __name__)

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
FORMATS = "http://www.w3.org/ns/formats/"


def base() -> str:
    return current_app.config["ODMLD"].base_uri


def service_description(media: str) -> Response:
    config = current_app.config["ODMLD"]
    response = Response(service_description_bytes(config.base_uri, config.union_default_graph, media),
                        mimetype=media)
    response.headers["Vary"] = "Accept"
    return response


@lru_cache(maxsize=32)
def service_description_bytes(base_uri: str, union_default_graph: bool, media: str) -> bytes:
    """The Service Description depends on the settings only, so each format is made once."""
    service = ox.NamedNode(base_uri + "sparql")
    dataset = ox.NamedNode(base_uri + ".well-known/void")
    triples = [
        triple(service, RDF + "type", ox.NamedNode(SD + "Service")),
        triple(service, SD + "endpoint", service),
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
    media = negotiate(request, GRAPH_MEDIA)
    if media is None:
        return error_response(406, "Not Acceptable", "VoID is available as " + ", ".join(GRAPH_MEDIA))
    dataset = ox.NamedNode(base() + ".well-known/void")
    store = get_store()
    triples = [
        triple(dataset, RDF + "type", ox.NamedNode(VOID + "Dataset")),
        triple(dataset, DCTERMS + "title", ox.Literal("Open data maturiteit van lokale besturen", language="nl")),
        triple(dataset, DCTERMS + "title", ox.Literal("Open data maturity of local governments", language="en")),
        triple(dataset, DCTERMS + "license", ox.NamedNode("https://creativecommons.org/licenses/by/4.0/")),
        triple(dataset, VOID + "sparqlEndpoint", ox.NamedNode(base() + "sparql")),
        triple(dataset, VOID + "uriSpace", ox.Literal(base() + "id/")),
        triple(dataset, VOID + "vocabulary", ox.NamedNode(base() + "ns/odm#")),
        triple(dataset, VOID + "triples", ox.Literal(str(len(store)), datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer"))),
    ]
    for row in store.select(queries.get("store-summary").text):
        subset = ox.BlankNode()
        triples += [triple(dataset, VOID + "subset", subset),
                    triple(subset, RDF + "type", ox.NamedNode(VOID + "Dataset")),
                    triple(subset, SD + "name", row["graph"]),
                    triple(subset, VOID + "triples", row["triples"])]
    response = Response(serialise(triples, media, base()), mimetype=media)
    response.headers["Vary"] = "Accept"
    return response
