"""The real server on a loopback socket, used by SPARQLWrapper, rdflib and plain HTTP."""

import threading
import urllib.request

import pytest
import rdflib
from SPARQLWrapper import JSON, SPARQLWrapper
from werkzeug.serving import make_server

from odmld.config import load_config
from odmld.web import create_app


@pytest.fixture(scope="module")
def server(model_store_path, model_store):
    probe = make_server("127.0.0.1", 0, lambda environ, start: [])
    port = probe.server_port
    probe.server_close()
    base = f"http://127.0.0.1:{port}/"
    # the store holds IRIs under the test base; this server mints its own, so load a copy under it
    config = load_config({"store": str(model_store_path), "base_uri": "http://odmld.test/"}, environ={})
    app = create_app(config, store=model_store)
    http = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield base
    http.shutdown()
    app.extensions["odmld.pool"].close()


def test_sparqlwrapper_queries_the_endpoint(server):
    client = SPARQLWrapper(server + "sparql")
    client.setQuery("PREFIX odm: <http://odmld.test/ns/odm#> "
                    "SELECT ?d WHERE { ?d a odm:MaturityDomain }")
    client.setReturnFormat(JSON)
    results = client.query().convert()
    assert len(results["results"]["bindings"]) == 11


def test_rdflib_dereferences_a_thing_through_the_303(server):
    graph = rdflib.Graph()
    graph.parse(server + "id/maturiteitsdomein/4")
    subject = rdflib.URIRef("http://odmld.test/id/maturiteitsdomein/4")
    labels = {str(o) for o in graph.objects(subject, rdflib.SKOS.prefLabel)}
    assert {"Kennis", "Knowledge"} <= labels


def test_a_browser_gets_html_with_its_language(server):
    request = urllib.request.Request(server + "doc/maturiteitsdomein/4",
                                     headers={"Accept": "text/html", "Accept-Language": "en"})
    with urllib.request.urlopen(request) as response:
        page = response.read().decode()
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<h1>Knowledge</h1>" in page
