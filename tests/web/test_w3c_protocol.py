"""The W3C SPARQL 1.1 Protocol tests, query side, against a live odmld server on a loopback socket.

The requests are data (tests/data/protocol/w3c-protocol-query.json, which says where they came from), each
with the manifest's test id, sent as the manifest writes them: method, path, headers and a body in the
stated encoding, and nothing else (no Accept unless the test sends one)."""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest

from odmld.store_api import NamedGraph

from backends import live_server, model_loaded
from conftest import make_app

MANIFEST = json.loads((Path(__file__).resolve().parents[1] / "data" / "protocol"
                       / "w3c-protocol-query.json").read_text())
TESTS = {test["id"]: test for test in MANIFEST["tests"]}
RESULT_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values")
RDF_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")


@pytest.fixture(scope="module")
def server(new_store):
    """odmld with the model and the manifest's named graphs, served on a free loopback port."""
    path = new_store()
    store = model_loaded(path)
    graphs = {label: data for test in TESTS.values() for label, data in test["graphs"].items()}
    store.replace_graphs([NamedGraph(graph=ox.NamedNode(label), quads=[
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(label))
        for t in ox.parse(data.encode(), format=ox.RdfFormat.N_TRIPLES)]) for label, data in graphs.items()])
    app = make_app(path, store, query_timeout=20.0)
    with live_server(app) as url:
        yield url
    app.extensions["odmld.pool"].close()


def send(url: str, request: dict) -> http.client.HTTPResponse:
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    path = "/sparql" + request["path"][len("/sparql/"):]  # the manifest's /sparql/ is the endpoint
    body = request["body"].encode(request["encoding"]) if "body" in request else None
    connection.putrequest(request["method"], path, skip_accept_encoding=True)
    for name, value in request["headers"].items():
        connection.putheader(name, value)
    if body is not None:
        connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def boolean_of(media: str, body: bytes) -> bool:
    if media == "application/sparql-results+json":
        return json.loads(body)["boolean"]
    assert media == "application/sparql-results+xml", media
    found = ElementTree.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
    return found.text.strip() == "true"


@pytest.mark.slow
@pytest.mark.parametrize("test_id", list(TESTS))
def test_the_w3c_protocol_test_passes(server, test_id):
    for request in TESTS[test_id]["requests"]:
        response = send(server, request)
        expect, status = request["expect"], response.status
        assert f"{str(status)[0]}xx" in expect["status"], (test_id, status, response.body[:300])
        media = (response.getheader("Content-Type") or "").split(";")[0].strip()
        if expect.get("format") in ("boolean", "tabular"):
            assert media in RESULT_TYPES, (test_id, media)
        if expect.get("format") == "RDF":
            assert media in RDF_TYPES, (test_id, media)
        if "boolean" in expect:
            assert boolean_of(media, response.body) is expect["boolean"], test_id


def test_the_data_names_every_query_test_of_the_manifest():
    queries = [test for test in TESTS if test.startswith(("query_", "bad_query_", "bad_multiple_queries"))]
    assert len(queries) == 20 and "bad_multiple_queries" in TESTS and "bad_query_non_utf8" in TESTS
