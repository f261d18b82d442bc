"""The SPARQL 1.1 Protocol at /sparql: query forms, result formats, graphs, refusals and limits."""

import csv
import io
import json
import re
import socket
import threading
import time
from urllib.parse import quote

import pytest
import rdflib

from conftest import make_app

DOMAINS = ("PREFIX odm: <http://odmld.test/ns/odm#> "
           "SELECT ?d WHERE { ?d a odm:MaturityDomain } ORDER BY ?d")
CONSTRUCT = ("PREFIX odm: <http://odmld.test/ns/odm#> "
             "CONSTRUCT { ?d a odm:MaturityDomain } WHERE { ?d a odm:MaturityDomain }")
DESCRIBE = "DESCRIBE <http://odmld.test/id/maturiteitsdomein/4>"
RDF_MEDIA = {"text/turtle": "turtle", "application/ld+json": "json-ld",
             "application/rdf+xml": "xml", "application/n-triples": "nt"}
FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def bindings(response) -> list[dict]:
    assert response.status_code == 200, response.data
    return response.get_json()["results"]["bindings"]


def test_query_by_get_post_form_and_post_direct(client):
    accept = {"Accept": "application/sparql-results+json"}
    by_get = client.get("/sparql?query=" + quote(DOMAINS), headers=accept)
    by_form = client.post("/sparql", data={"query": DOMAINS}, headers=accept)
    direct = client.post("/sparql", data=DOMAINS.encode(), headers={
        **accept, "Content-Type": "application/sparql-query"})
    assert len(bindings(by_get)) == 11
    assert bindings(by_get) == bindings(by_form) == bindings(direct)


@pytest.mark.parametrize("media", ["application/sparql-results+json", "application/sparql-results+xml",
                                   "text/csv", "text/tab-separated-values"])
def test_every_results_format(client, media):
    response = client.get("/sparql?query=" + quote(DOMAINS), headers={"Accept": media})
    assert response.status_code == 200
    text = response.data.decode()
    if "json" in media:
        assert len(json.loads(text)["results"]["bindings"]) == 11
    elif "xml" in media:
        assert text.count("<result>") == 11
    elif media == "text/csv":
        assert response.mimetype == "text/csv"
        assert len(list(csv.reader(io.StringIO(text)))) == 12
    else:
        assert len(text.strip().splitlines()) == 12


@pytest.mark.parametrize("query, accept", [
    *((DOMAINS, media) for media in ("application/sparql-results+json", "application/sparql-results+xml",
                                      "text/csv", "text/tab-separated-values", "application/json")),
    (f"{DOMAINS} LIMIT 3", "text/csv"), ("ASK { ?s ?p ?o }", "application/sparql-results+xml"),
    (CONSTRUCT, "text/turtle"), (DESCRIBE, "application/rdf+xml"),
    ("SELECT * WHERE { ?s ?p ", "application/json"), (DOMAINS, "image/png"),
    ("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "*/*"),
    ("DROP ALL", "text/plain")])
def test_a_get_answered_before_flask_is_what_flask_answers(app, client, query, accept):
    """GET /sparql with a query is answered by sparql_get.SparqlGet; a POST goes through the Flask
    view. Both must give the same status, headers and bytes, refusals included."""
    reached_flask = []
    app.before_request_funcs.setdefault(None, []).append(lambda: reached_flask.append(1))
    try:
        by_get = client.get("/sparql?query=" + quote(query), headers={"Accept": accept})
        assert not reached_flask, "a GET with a query is answered (or refused) before Flask's dispatch"
        by_post = client.post("/sparql", data={"query": query}, headers={"Accept": accept})
        assert reached_flask
    finally:
        app.before_request_funcs[None].pop()
    # an HTML error page's language switch keeps the query string, which only the GET has
    switch = re.compile(rb'<a class="lang" href="[^"]*"')
    get_body, post_body = switch.sub(b"", by_get.data), switch.sub(b"", by_post.data)
    if accept == "text/html":
        assert b'<a class="lang" href="/sparql?query=' in by_get.data
    assert (by_get.status_code, get_body) == (by_post.status_code, post_body)
    same_length = get_body != by_get.data  # only the switch differs, so only the length may
    assert (sorted((k, v) for k, v in by_get.headers.items() if not (same_length and k == "Content-Length"))
            == sorted((k, v) for k, v in by_post.headers.items() if not (same_length and k == "Content-Length")))


def test_ask(client):
    response = client.get("/sparql?query=" + quote("ASK { ?s ?p ?o }"),
                          headers={"Accept": "application/sparql-results+json"})
    assert response.get_json()["boolean"] is True


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
@pytest.mark.parametrize("media", sorted(RDF_MEDIA))
def test_construct_and_describe_in_every_rdf_format(client, query, media):
    response = client.get("/sparql?query=" + quote(query), headers={"Accept": media})
    assert response.status_code == 200 and response.mimetype == media
    graph = rdflib.Graph().parse(data=response.data, format=RDF_MEDIA[media])
    assert len(graph) >= 11 if query is CONSTRUCT else len(graph) > 5


def test_default_and_named_graph_parameters(client):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    charter = "http://odmld.test/graph/data/charter"
    only_charter = client.get(f"/sparql?query={quote(count)}&default-graph-uri={quote(charter)}",
                              headers={"Accept": "application/sparql-results+json"})
    everything = client.get(f"/sparql?query={quote(count)}",
                            headers={"Accept": "application/sparql-results+json"})
    n_charter = int(bindings(only_charter)[0]["n"]["value"])
    assert 0 < n_charter < int(bindings(everything)[0]["n"]["value"])
    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    restricted = client.post("/sparql", data={"query": named, "named-graph-uri": charter},
                             headers={"Accept": "application/sparql-results+json"})
    assert [b["g"]["value"] for b in bindings(restricted)] == [charter]


def test_a_bad_query_is_400_with_the_parsers_message(client):
    response = client.get("/sparql?query=" + quote("SELECT * WHERE { ?s ?p "),
                          headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "does not parse" in response.get_json()["error"]["detail"]


def test_post_of_another_media_type_is_415(client):
    response = client.post("/sparql", data=b"{}", headers={"Content-Type": "application/json"})
    assert response.status_code == 415


@pytest.fixture()
def listening_socket():
    """A loopback server socket; a test asserts that nothing ever connects to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(1.0)
    yield server
    server.close()


def nothing_connected(server: socket.socket) -> bool:
    try:
        connection, _ = server.accept()
    except socket.timeout:
        return True
    connection.close()
    return False


def send_every_way(client, query: str) -> list:
    return [client.get("/sparql?query=" + quote(query)),
            client.post("/sparql", data={"query": query}),
            client.post("/sparql", data=query.encode(), headers={"Content-Type": "application/sparql-query"})]


@pytest.mark.slow
def test_service_is_refused_in_every_form_and_nothing_connects(client, listening_socket):
    port = listening_socket.getsockname()[1]
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    for response in send_every_way(client, query) + send_every_way(client, query.lower()):
        assert response.status_code == 403
        assert b"SERVICE" in response.data
    assert nothing_connected(listening_socket)


@pytest.mark.slow
def test_updates_are_refused_in_every_form_and_change_nothing(client, model_store, listening_socket):
    before = len(model_store)
    port = listening_socket.getsockname()[1]
    update = f"LOAD <http://127.0.0.1:{port}/data.ttl>"
    insert = "INSERT DATA { <http://e.org/s> <http://e.org/p> 1 }"
    responses = send_every_way(client, insert) + send_every_way(client, update)
    responses.append(client.post("/sparql", data={"update": insert}))
    responses.append(client.post("/sparql", data=insert.encode(),
                                 headers={"Content-Type": "application/sparql-update"}))
    assert [r.status_code for r in responses] == [403] * len(responses)
    assert len(model_store) == before
    assert nothing_connected(listening_socket)


def test_no_query_gives_the_service_description_or_a_query_page(client):
    described = client.get("/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=described.data, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, rdflib.RDF.type, sd.Service) in graph
    page = client.get("/sparql", headers={"Accept": "text/html"}).data.decode()
    assert "<textarea" in page and "maturity-trend" in page
    assert "store-counts" not in page  # the app's own queries are not the library


def test_void(client):
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    assert (None, void.sparqlEndpoint, rdflib.URIRef("http://odmld.test/sparql")) in graph


@pytest.mark.slow
def test_result_limit(model_store_path, model_store):
    app = make_app(model_store_path, model_store, result_limit=5)
    try:
        response = app.test_client().get("/sparql?query=" + quote(DOMAINS),
                                         headers={"Accept": "application/json"})
        assert response.status_code == 400
        assert "more than 5" in response.get_json()["error"]["detail"]
        for limit, status in ((5, 200), (6, 400)):  # counted in the one run that answers
            limited = app.test_client().get("/sparql?query=" + quote(f"{DOMAINS} LIMIT {limit}"),
                                            headers={"Accept": "application/json"})
            assert limited.status_code == status, limited.data
        # only the query's own LIMIT bounds its rows, not one in a comment or in a sub-select
        for unbounded in (f"{DOMAINS} # LIMIT 2",
                          "SELECT ?d ?e WHERE { ?d a <http://odmld.test/ns/odm#MaturityDomain> "
                          "{ SELECT ?e WHERE { ?e a <http://odmld.test/ns/odm#MaturityDomain> } LIMIT 2 } }"):
            refused = app.test_client().get("/sparql?query=" + quote(unbounded),
                                            headers={"Accept": "application/json"})
            assert refused.status_code == 400, (unbounded, refused.data)
            assert "more than 5" in refused.get_json()["error"]["detail"]
    finally:
        app.extensions["odmld.pool"].close()


@pytest.mark.slow
def test_a_runaway_query_is_stopped_and_others_are_answered_meanwhile(model_store_path, model_store):
    app = make_app(model_store_path, model_store, query_timeout=3.0, sparql_workers=2)
    client = app.test_client()
    try:
        client.get("/sparql?query=" + quote("ASK {}"))  # start the workers
        slow = {}

        def run_slow():
            started = time.monotonic()
            slow["response"] = app.test_client().get("/sparql?query=" + quote(FOREVER),
                                                     headers={"Accept": "application/json"})
            slow["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=run_slow)
        thread.start()
        time.sleep(0.5)
        quick = client.get("/sparql?query=" + quote(DOMAINS), headers={"Accept": "application/json"})
        assert thread.is_alive(), "the slow query should still be running"
        assert len(bindings(quick)) == 11
        thread.join(timeout=30)
        assert slow["response"].status_code == 400
        assert "time limit" in slow["response"].get_json()["error"]["detail"]
        assert slow["seconds"] < 10
        after = client.get("/sparql?query=" + quote(DOMAINS), headers={"Accept": "application/json"})
        assert len(bindings(after)) == 11
    finally:
        app.extensions["odmld.pool"].close()
