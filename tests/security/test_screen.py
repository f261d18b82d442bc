"""The screen in front of /sparql: SERVICE is refused however it is spelled, before anything runs.

Tested at the endpoint (both backends: with a remote store the screen is the only guard there is,
as the server may run SERVICE itself) and alone, for the texts it lets through, which are run here
by pyoxigraph in this unrestricted test process: none may reach the listener.
"""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings

from odmld.sparql.screen import screen
from .probes import make_app
from .service_texts import bypasses, placed_service_queries, service_queries

JSON = "application/sparql-results+json"
PROBE_PORT = 1  # only for building strategies; each test formats its own listener's port in
HYPOTHESIS = settings(max_examples=40, deadline=None, derandomize=True,
                      suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def on_port(text: str, port: int) -> str:
    return text.replace(f"127.0.0.1:{PROBE_PORT}/", f"127.0.0.1:{port}/")


@pytest.fixture(scope="module")
def app(model_store_path, model_store):
    application = make_app(model_store_path, model_store)
    yield application
    application.extensions["odmld.pool"].close()


def send_every_way(client, text: str) -> list:
    return [client.get("/sparql?query=" + quote(text), headers={"Accept": JSON}),
            client.post("/sparql", data={"query": text}, headers={"Accept": JSON}),
            client.post("/sparql", data=text.encode(), headers={
                "Accept": JSON, "Content-Type": "application/sparql-query"})]


@pytest.mark.slow
def test_the_three_bypasses_of_the_old_screen_are_refused_and_reach_nothing(app, listener):
    client = app.test_client()
    for text in bypasses(listener.port):
        for response in send_every_way(client, text):
            assert response.status_code == 403, (text, response.data)
            assert b"SERVICE" in response.data
    assert listener.reached() == 0


@pytest.mark.slow
@HYPOTHESIS
@given(text=service_queries(PROBE_PORT))
def test_a_family_of_service_spellings_is_refused_by_the_endpoint(app, listener, text):
    text = on_port(text, listener.port)
    assert screen(text).calls_service, text
    for response in send_every_way(app.test_client(), text):
        assert response.status_code == 403, (text, response.data)
    assert listener.reached(settle=0) == 0


# SPARQL 1.1 §19.2 applies \u and \U escapes to the whole text before parsing it: a server that does
# reads each of these as a SERVICE clause, whichever letters are escaped and in whatever case
ESCAPED_SERVICE = [
    "SELECT * { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { SERVIC\\u0045 <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { \\U00000053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { \\U00000053\\U00000045RVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { \\u0073ervic\\u0065 SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { \\u005Cu0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",  # an escape that makes an escape
]


@pytest.mark.parametrize("text", ESCAPED_SERVICE)
def test_code_point_escaped_service_is_seen_by_the_screen(text):
    assert screen(text).calls_service, text


def test_code_point_escaped_keywords_are_refused(app):
    client = app.test_client()
    for text in ESCAPED_SERVICE:
        for response in send_every_way(client, text):
            assert response.status_code == 403, (text, response.data)
            assert b"SERVICE" in response.data


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { FILTER(?a<1)SERVICE?x#>\n{ ?s ?p ?o } }",          # `<` read as less-than
    "PREFIX ex: <http://e.org/> SELECT * { SERVICEex:a { ?s ?p ?o } }",  # no word boundary
    "PREFIX : <http://e.org/> SELECT * { service:x { ?s ?p ?o } }",
    "SELECT * { ?s ?p trueSERVICE <http://127.0.0.1:9/> { } }",
    "PREFIX ex: <http://e.org/> SELECT * { ?s ?p ex:a.b.SERVICE <http://127.0.0.1:9/> {} }",
])
def test_texts_a_parser_may_read_as_service_are_refused(text):
    assert screen(text).calls_service


@pytest.mark.parametrize("text", [
    'SELECT * { ?s ?p "SERVICE <http://127.0.0.1:9/> {}" } # SERVICE',
    "SELECT * { ?s a <http://purl.org/dc/dcmitype/Service> }",
    "SELECT * { ?s <http://e.org/p> <http://purl.org/dc/dcmitype/Service> }",
    "SELECT ?service { ?service ?p ?o }",
    "PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT * { ?s a dcat:DataService }",
])
def test_service_as_a_name_a_string_or_a_comment_is_let_through(text):
    assert not screen(text).calls_service


@pytest.mark.slow
@HYPOTHESIS
@given(placed=placed_service_queries(PROBE_PORT))
def test_what_the_screen_lets_through_opens_no_connection_even_unrestricted(listener, placed):
    placement, text = placed
    text = on_port(text, listener.port)
    if screen(text).calls_service:
        return
    assert placement != "code", text
    try:
        results = ox.Store().query(text, use_default_graph_as_union=True)
        if isinstance(results, ox.QuerySolutions):
            list(results)
    except (SyntaxError, OSError, ValueError):
        pass
    assert listener.reached(settle=0.05) == 0, text
