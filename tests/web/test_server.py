"""The real server on a loopback socket, used by SPARQLWrapper, rdflib and plain HTTP."""

from pathlib import Path
import urllib.request

import pytest
import rdflib
from SPARQLWrapper import JSON, SPARQLWrapper

from odmld.config import load_config
from odmld.web import create_app

from backends import live_server


@pytest.fixture(scope="module")
def server(model_store_path, model_store):
    config = load_config({"store": str(model_store_path), "base_uri": "http://odmld.test/"}, environ={})
    app = create_app(config, store=model_store)
    with live_server(app) as base:
        yield base
    app.extensions["odmld.pool"].close()


@pytest.mark.slow
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


@pytest.mark.slow
def test_the_python_client_runs_a_library_query_with_parameters(server):
    from odmld.sparql import library
    from odmld.client import iri, run, run_text

    rows = run_text(library.get("domain-principles").text, server + "sparql", base_uri="http://odmld.test/",
                    domain=iri("id/maturiteitsdomein/4"))
    assert [row["notation"] for row in rows] == ["7", "8", "9", "10", "16"]
    assert all(isinstance(row["principle"], str) for row in rows)
    levels = run("maturity-levels", server + "sparql", base_uri="http://odmld.test/")
    assert [row["rank"] for row in levels] == [0, 1, 2, 3]  # xsd:integer -> int


def run_cli(*args: str):
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "odmld.cli", *args], capture_output=True, text=True,
                          timeout=120)


@pytest.mark.slow
def test_odmld_query_on_an_endpoint(server):
    internal = Path(__file__).resolve().parents[2] / "queries" / "internal" / "domain-principles.rq"
    result = run_cli("query", str(internal), "--endpoint", server + "sparql",
                     "--base-uri", "http://odmld.test/", "--param", "domain=<id/maturiteitsdomein/9>",
                     "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert [line.split(",")[2] for line in result.stdout.splitlines()[1:]] == ["1", "2", "6", "11", "18"]
    down = run_cli("query", "domains", "--endpoint", "http://127.0.0.1:9/sparql")
    assert down.returncode == 3 and "Traceback" not in down.stderr
