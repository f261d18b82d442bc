"""What only a remote store can get wrong: the server's set-up, its reachability, and parameters that
travel inside the query text."""

import socket
import threading
import time
import urllib.request

import pyoxigraph as ox
import pytest

from odmld.sparql import library as queries
from odmld.config import load_config
from odmld.remote_store import RemoteTimeout
from odmld.sparql.screen import bind_values, where_group_start
from odmld.web import create_app

from backends import (BASE_URI, VIRTUOSO_MISSING, model_loaded, run_cli, start_oxigraph, start_virtuoso,
                      virtuoso_installed)


@pytest.mark.slow
def test_a_server_without_the_union_default_graph_is_refused_with_the_fix(tmp_path):
    process, url = start_oxigraph(tmp_path / "plain", union=False)
    try:
        refused = [run_cli("load", store=url)]  # refused before anything is written
        put = urllib.request.Request(url.replace("/query", "/store?graph=http%3A%2F%2Fe.org%2Fg"), method="PUT",
                                     data=b"<http://e.org/s> <http://e.org/p> \"1\" .\n",
                                     headers={"Content-Type": "application/n-triples"})
        urllib.request.urlopen(put).close()
        refused.append(run_cli("query", "domains", store=url))  # a server that holds something
        for result in refused:
            assert result.returncode != 0
            assert "--union-default-graph" in result.stderr and "Traceback" not in result.stderr
    finally:
        process.kill()
        process.wait()


@pytest.mark.slow
def test_an_unreachable_store_is_a_clear_error(free_url="http://127.0.0.1:9/query"):
    result = run_cli("query", "domains", store=free_url)
    assert result.returncode == 3  # the store cannot do the work (odmld.errors' exit table)
    assert "cannot reach the store" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("hostile", ['nl") } ; DROP ALL ; SELECT * { ("', "nl\" }\nDROP ALL #",
                                     "}}}} DROP ALL", '\\" . } DROP ALL'])
def test_a_hostile_value_stays_one_literal(tmp_path, hostile):
    process, url = start_oxigraph(tmp_path / "store")
    try:
        store = model_loaded(url)
        size = len(store)
        rows = store.select(queries.get("domains").text, lang=ox.Literal(hostile))
        assert rows == []  # no label has that language: the value was compared, not run
        assert len(store) == size
    finally:
        process.kill()
        process.wait()


def test_values_go_inside_the_where_group_not_the_construct_template():
    text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert text[:where_group_start(text)] == "CONSTRUCT { ?s ?p ?o } WHERE {"
    tricky = 'SELECT ?x # a { in a comment\nWHERE { ?x <http://e.org/{p}> "{" }'
    assert tricky[where_group_start(tricky) - 1:].startswith('{ ?x')
    with pytest.raises(ValueError, match="short CONSTRUCT WHERE"):
        bind_values("CONSTRUCT WHERE { ?s ?p ?o }", {"s": ox.NamedNode("http://e.org/s")})
    with pytest.raises(ValueError, match="only IRIs and literals"):
        bind_values("SELECT * { ?s ?p ?o }", {"s": ox.BlankNode()})


@pytest.mark.slow
def test_a_store_that_stops_answering_is_a_503_with_a_message_on_every_route(tmp_path):
    process, url = start_oxigraph(tmp_path / "store")
    try:
        model_loaded(url)
        app = create_app(load_config({"store": url, "base_uri": BASE_URI}, environ={}))
        client = app.test_client()
        assert client.get("/doc/organisatie/24062.ttl").status_code == 200
    finally:
        process.kill()
        process.wait()
    for path in ("/doc/organisatie/24062.ttl", "/doc/organisatie/24062", "/catalog", "/feed", "/",
                 "/sparql?query=ASK%7B%7D"):
        answer = client.get(path, headers={"Accept": "application/ld+json, application/json;q=0.9"})
        assert answer.status_code == 503, (path, answer.status_code)
        assert "store" in answer.get_json()["error"]["detail"], path
    app.extensions["odmld.pool"].close()


@pytest.mark.slow
@pytest.mark.skipif(not virtuoso_installed(), reason=VIRTUOSO_MISSING)
def test_a_refusal_by_the_server_is_its_words_on_the_command_line_never_a_traceback(tmp_path):
    process, url = start_virtuoso(tmp_path / "virtuoso", tmp_path)
    try:
        trig = tmp_path / "t.trig"  # triples in the default graph, which Virtuoso does not keep
        trig.write_text("<graph/own> { <id/x/1> <ns/p> 1 . }\n<id/x/2> <ns/p> 2 .\n", encoding="utf-8")
        refused = run_cli("load", str(trig), store=url)
        assert refused.returncode == 3
        assert "refused the update" in refused.stderr and "SP031" in refused.stderr
        assert "Traceback" not in refused.stderr
        assert run_cli("query", "queries/internal/store-graphs.rq", store=url).stdout \
            .endswith("(0 rows)\n")  # and nothing was written
    finally:
        process.kill()
        process.wait()


def test_blank_nodes_are_described_with_what_they_hold_on_every_store(model_store):
    """A server is sent skolem IRIs for blank nodes (Virtuoso takes no blank node in INSERT DATA); the
    store reads them back as blank nodes, and a /doc/ description still nests what they hold."""
    structure = ox.NamedNode(f"{BASE_URI}id/statistiek/actueel/dsd-domeinen")
    triples = list(model_store.query(queries.get("describe").text, bindings={"resource": structure}))
    components = {t.object for t in triples if t.subject == structure
                  and t.predicate.value == "http://purl.org/linked-data/cube#component"}
    assert components and all(isinstance(node, ox.BlankNode) for node in components)
    assert components <= {t.subject for t in triples}  # each described, not only linked


EXTENSION_CALLS = [  # Virtuoso runs its SQL functions from SPARQL; bif:http_get fetches any URL
    'SELECT (bif:http_get("{url}") AS ?x) {{}}',
    'PREFIX b: <bif:> SELECT (b:http_get("{url}") AS ?x) {{}}',
    'SELECT (<http://www.openlinksw.com/schemas/bif#http_get>("{url}") AS ?x) {{}}',
    'PREFIX xsd: <bif:> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT (xsd:http_get("{url}") AS ?x) {{}}',
    'BASE <http://www.openlinksw.com/schemas/bif#> SELECT (<http_get>("{url}") AS ?x) {{}}',
    'SELECT ?x {{ BIND(sql:http_get("{url}") AS ?x) }}',
    'define get:soft "replace" SELECT * FROM <{url}> {{ ?s ?p ?o }}',
    'SELECT (bif\\u003Ahttp_get("{url}") AS ?x) {{}}',  # the escape a parser applies first
    'SELECT * {{ ?s ?p ?o FILTER(?o<bif:http_get("{url}")>0) }}',  # '<' as less-than, not an IRI
    'SELECT (bif:http_get #\n ("{url}") AS ?x) {{}}',
    'PREFIX abc: <http://www.w3.org/2001/XMLSchema#> PREFIX : <bif:> SELECT * {{ ?s ?p ?abc:http_get("{url}") }}',
]


@pytest.mark.slow
@pytest.mark.skipif(not virtuoso_installed(), reason=VIRTUOSO_MISSING)
def test_a_public_query_cannot_make_virtuoso_open_a_connection(tmp_path):
    """Through odmld's /sparql, nothing in a query makes the store fetch a URL: a listener on loopback
    is never called."""
    calls: list[bytes] = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    stop = threading.Event()

    def answer() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            calls.append(connection.recv(200))
            connection.close()

    threading.Thread(target=answer, daemon=True).start()
    process, url = start_virtuoso(tmp_path / "virtuoso", tmp_path)
    app = create_app(load_config({"store": url, "base_uri": BASE_URI}, environ={}))
    try:
        model_loaded(url)
        client = app.test_client()
        target = f"http://127.0.0.1:{listener.getsockname()[1]}/fetched"
        for call in EXTENSION_CALLS:
            text = call.format(url=target)
            answer_ = client.get("/sparql", query_string={"query": text},
                                 headers={"Accept": "application/sparql-results+json"})
            assert answer_.status_code == 400, (text, answer_.status_code, answer_.data[:200])
        assert client.get("/sparql", query_string={"query": "SELECT (xsd:integer(\"1\") AS ?x) {}"}) \
            .status_code == 200  # XSD casts are SPARQL's own
        time.sleep(0.5)
        assert calls == []
    finally:
        stop.set()
        app.extensions["odmld.pool"].close()
        process.kill()
        process.wait()


@pytest.mark.slow
@pytest.mark.skipif(not virtuoso_installed(), reason=VIRTUOSO_MISSING)
def test_an_answer_virtuoso_cut_short_at_its_time_limit_is_a_timeout_not_a_partial_answer(tmp_path):
    """Virtuoso answers a query it stopped at its own limit with what it had (an 'anytime' answer),
    marked only in a header; odmld takes it as the timeout it is."""
    process, url = start_virtuoso(tmp_path / "virtuoso", tmp_path, max_seconds=1)
    try:
        store = model_loaded(url)
        endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        with pytest.raises(RemoteTimeout, match="time limit"):
            store.select(endless)
        app = create_app(load_config({"store": url, "base_uri": BASE_URI}, environ={}))
        answer = app.test_client().get("/sparql", query_string={"query": endless},
                                       headers={"Accept": "application/sparql-results+json"})
        app.extensions["odmld.pool"].close()
        assert answer.status_code == 400 and "time limit" in answer.get_json()["error"]["detail"]
    finally:
        process.kill()
        process.wait()
