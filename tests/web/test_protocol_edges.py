"""The protocol's edges: repeated parameters, charsets, the service description's endpoint, CORS,
stable bytes, and dumps as the files they are."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from urllib.parse import quote

import pytest
import rdflib

from backends import live_server
from conftest import make_app

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
ASK = "ASK { ?s ?p ?o }"
JSON = "application/sparql-results+json"


def test_two_query_parameters_are_refused_with_400_on_every_path(app, client):
    reached_flask = []
    app.before_request_funcs.setdefault(None, []).append(lambda: reached_flask.append(1))
    try:
        by_get = client.get(f"/sparql?query={quote(ASK)}&query={quote('SELECT * {}')}", headers={"Accept": JSON})
        assert not reached_flask  # refused by the GET fast path (sparql_get.py), as Flask would
    finally:
        app.before_request_funcs[None].pop()
    assert by_get.status_code == 400 and "one 'query'" in by_get.get_json()["error"]["detail"]
    by_form = client.post("/sparql", data={"query": [ASK, ASK]}, headers={"Accept": JSON})
    assert by_form.status_code == 400
    in_both = client.post(f"/sparql?query={quote(ASK)}", data={"query": ASK}, headers={"Accept": JSON})
    assert in_both.status_code == 400


def test_two_update_parameters_are_refused_with_400(client):
    response = client.post("/sparql", data={"update": ["CLEAR NAMED", "CLEAR DEFAULT"]})
    assert response.status_code == 400
    assert client.post("/sparql", data={"update": "CLEAR ALL"}).status_code == 403  # one: read-only


@pytest.mark.slow
def test_a_direct_query_in_another_charset_than_utf8_is_refused_with_415(client):
    for charset in ("UTF-16", "ISO-8859-1"):
        response = client.post("/sparql", data=ASK.encode(charset), headers={
            "Content-Type": f"application/sparql-query; charset={charset}", "Accept": JSON})
        assert response.status_code == 415, charset
    response = client.post("/sparql", data=ASK.encode(), headers={
        "Content-Type": "application/sparql-query; charset=utf-8", "Accept": JSON})
    assert response.status_code == 200 and response.get_json()["boolean"] is True


@pytest.mark.slow
def test_a_form_in_another_charset_is_decoded_as_declared(client):
    body = "query=" + quote('SELECT ("café" AS ?x) {}', encoding="iso-8859-1")
    response = client.post("/sparql", data=body.encode("ascii"), headers={
        "Content-Type": "application/x-www-form-urlencoded; charset=ISO-8859-1", "Accept": JSON})
    assert response.status_code == 200, response.data
    assert response.get_json()["results"]["bindings"][0]["x"]["value"] == "café"
    unknown = client.post("/sparql", data=body.encode("ascii"), headers={
        "Content-Type": "application/x-www-form-urlencoded; charset=no-such-charset"})
    assert unknown.status_code == 415


def service_endpoint(url: str, headers: dict | None = None) -> list[str]:
    request = urllib.request.Request(url, headers={"Accept": "text/turtle", **(headers or {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        graph = rdflib.Graph().parse(data=response.read(), format="turtle")
    return [str(o) for o in graph.objects(None, SD.endpoint)]


@pytest.mark.slow
def test_the_service_description_found_at_a_url_names_that_url_as_its_endpoint(app):
    """Comunica's auto-detection fetches the URL it was given and looks for an sd:endpoint equal to it."""
    with live_server(app) as base:
        for asked in (f"{base}sparql?x=1", f"{base}sparql"):
            assert service_endpoint(asked) == [asked]
        # a proxy's headers are not believed unless the deployment says a proxy is trusted
        assert service_endpoint(f"{base}sparql?x=1", {"X-Forwarded-Host": "evil.example"}) == [f"{base}sparql?x=1"]


@pytest.mark.slow
def test_behind_a_trusted_proxy_the_endpoint_is_the_url_the_proxy_was_asked(model_store_path, model_store):
    trusting = make_app(model_store_path, model_store, trust_proxy=True)
    try:
        with live_server(trusting) as base:
            found = service_endpoint(f"{base}sparql?x=1", {
                "X-Forwarded-Proto": "https", "X-Forwarded-Host": "data.example.org",
                "X-Forwarded-Prefix": "/odmld"})
            assert found == ["https://data.example.org/odmld/sparql?x=1"]
    finally:
        trusting.extensions["odmld.pool"].close()


def test_a_browser_client_may_read_the_linked_data_headers(client):
    for path in ("/doc/maturiteitsdomein/4", "/sparql?query=" + quote(ASK), "/catalog"):
        exposed = client.get(path, headers={"Accept": "text/turtle"}).headers["Access-Control-Expose-Headers"]
        assert {name.strip() for name in exposed.split(",")} >= {
            "ETag", "Link", "Content-Location", "Last-Modified", "Location"}, path


def test_documents_with_blank_nodes_have_the_same_bytes_and_etag_every_time(client):
    for path, accept in (("/ns/odm-shapes", "application/ld+json"), ("/ns/odm-shapes", "text/turtle"),
                         ("/.well-known/void", "text/turtle"), ("/.well-known/void", "application/ld+json")):
        first, second = (client.get(path, headers={"Accept": accept}) for _ in range(2))
        assert first.status_code == 200 and first.data == second.data, (path, accept)
        assert first.headers.get("ETag") == second.headers.get("ETag"), (path, accept)


@pytest.mark.slow
def test_json_ld_bytes_do_not_depend_on_the_process(tmp_path):
    """Every worker process must give the same bytes (and so ETag) for the same triples."""
    script = (
        "import pyoxigraph as ox, sys\n"
        "from odmld.web.rdf_response import serialise\n"
        "b = [ox.BlankNode(f'b{i}') for i in range(20)]\n"
        "p = ox.NamedNode('http://example.org/p')\n"
        "t = [ox.Triple(b[i], p, b[i + 1]) for i in range(19)] + [ox.Triple(b[i], p, ox.Literal(str(i)))"
        " for i in range(20)]\n"
        "sys.stdout.buffer.write(serialise(t, 'application/ld+json', 'http://example.org/'))\n")
    outputs = {subprocess.run([sys.executable, "-c", script], capture_output=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(outputs) == 1 and json.loads(outputs.pop())
