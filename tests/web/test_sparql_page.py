"""The SPARQL page: YASGUI served by odmld under the strict CSP, the research library with a form per
query, and for a browser without JavaScript the answer as an HTML table with links to every format."""

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from odmld.sparql import library as queries
from odmld.web.headers import CONTENT_SECURITY_POLICY

from backends import model_loaded
from conftest import make_app

REPO = Path(__file__).resolve().parents[2]
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
DOMAINS = queries.library("domains").text


@pytest.fixture(scope="module")
def small(new_store):
    """An app whose result limit is 5 rows, to see that a table is bounded by it."""
    path = new_store()
    app = make_app(path, model_loaded(path), result_limit=5, query_timeout=20.0)
    yield app
    app.extensions["odmld.pool"].close()


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(html)
    return parser.found


def test_the_page_lists_the_research_library_only_with_a_form_each(client):
    page = client.get("/sparql", headers=BROWSER).get_data(as_text=True)
    for name in queries.names():
        assert f'action="/sparql/library/{name}"' in page, name
    for name in queries.internal_names():
        assert f"/sparql/library/{name}\"" not in page and f">{name}:" not in page, name
    found = tags(page)
    assert ("select", {"id": "domain-ranking-domain", "name": "domain"}) in found
    assert ("input", {"id": "maturity-trend-organisation", "name": "organisation", "type": "text", "value": "",
                      "placeholder": "24062", "required": None}) in found


def test_yasgui_is_served_by_odmld_and_runs_under_the_content_security_policy(client):
    page = client.get("/sparql", headers=BROWSER)
    assert page.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    found = tags(page.get_data(as_text=True))
    scripts = [attrs for tag, attrs in found if tag == "script"]
    assert [s["src"] for s in scripts] == ["/static/yasgui/yasgui.min.js", "/static/sparql-page.js"]
    assert "<script>" not in page.get_data(as_text=True)  # nothing inline: script-src 'self' allows none
    assert not [attrs for _, attrs in found if "style" in attrs or any(a.startswith("on") for a in attrs)]
    for path in ("/static/yasgui/yasgui.min.js", "/static/yasgui/yasgui.min.css", "/static/sparql-page.js",
                 "/static/yasgui/LICENSE.txt"):
        assert client.get(path).status_code == 200, path
    assert "MIT" in client.get("/static/yasgui/LICENSE.txt").get_data(as_text=True)
    config = client.get("/static/sparql-page.js").get_data(as_text=True)
    assert "http" not in re.sub(r"//.*", "", config).replace("window.location.href", "")  # no other origin


def test_the_copy_of_yasgui_is_the_pinned_version_of_the_documented_script():
    script = (REPO / "tools" / "vendor-yasgui.sh").read_text()
    pinned = re.search(r"^VERSION=(\S+)$", script, re.M).group(1)
    assert (REPO / "odmld" / "web" / "static" / "yasgui" / "VERSION").read_text().strip() == pinned
    assert "sh tools/vendor-yasgui.sh" in (REPO / "docs" / "research.md").read_text()


def test_a_browser_gets_the_answer_as_a_table_with_links_to_every_format(client):
    response = client.get("/sparql?query=" + quote(DOMAINS), headers=BROWSER)
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert page.count("<tr>") == 12  # the header and the 11 domains
    links = [attrs["href"] for tag, attrs in tags(page) if tag == "a" and "download" in attrs]
    assert [re.search(r"format=(\w+)", link).group(1) for link in links] == ["json", "xml", "csv", "tsv"]
    csv = client.get(links[2])
    assert csv.mimetype == "text/csv" and csv.data.count(b"\n") == 12
    assert csv.headers["Content-Disposition"] == 'attachment; filename="answer.csv"'
    assert len(json.loads(client.get(links[0]).data)["results"]["bindings"]) == 11


def test_a_graph_answer_is_a_table_of_triples_with_links_to_the_rdf_formats(client):
    query = "CONSTRUCT { ?d ?p ?o } WHERE { ?d a <http://odmld.test/ns/odm#MaturityDomain> ; ?p ?o } LIMIT 4"
    page = client.get("/sparql?query=" + quote(query), headers=BROWSER).get_data(as_text=True)
    assert "<th scope=\"col\">predicate</th>" in page and page.count("<tr>") == 5
    formats = re.findall(r"format=(\w+)\" download", page)
    assert formats == ["turtle", "jsonld", "rdfxml", "ntriples"]


def test_scripts_with_any_accept_still_get_sparql_json(client):
    for accept in ("*/*", "", "application/json"):
        response = client.get("/sparql?query=" + quote(DOMAINS), headers={"Accept": accept} if accept else {})
        assert response.mimetype == "application/sparql-results+json", accept


@pytest.mark.slow
def test_the_table_is_bounded_by_the_result_limit(small):
    response = small.test_client().get("/sparql?query=" + quote(DOMAINS), headers=BROWSER)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "<table" not in response.get_data(as_text=True)


def test_a_library_form_binds_its_values_and_answers_a_table(client, model_store):
    page = client.get("/sparql/library/domain-actions?domain=4&lang=en", headers=BROWSER)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert text.count("<tr>") > 1 and "/id/maturiteitsdomein/4" in text and 'lang="en"' in text
    bound = client.get("/sparql/library/domain-actions.rq?domain=4")
    assert bound.mimetype == "application/sparql-query"
    assert '(<http://odmld.test/id/maturiteitsdomein/4> "nl")' in bound.get_data(as_text=True)


def test_a_library_query_without_its_parameters_shows_its_form(client):
    page = client.get("/sparql/library/maturity-trend", headers=BROWSER).get_data(as_text=True)
    assert "<table" not in page and 'name="organisation"' in page


@pytest.mark.parametrize("value", ['24062> } DROP ALL #', '" } ; SELECT * { ?s ?p ?o } #', "<x>"])
def test_hostile_form_values_are_refused_or_bound_never_spliced(client, value):
    response = client.get("/sparql/library/maturity-trend?organisation=" + quote(value), headers=BROWSER)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.get_data(as_text=True).count("<tr>") == 1  # no row: the text is one IRI
    kind = client.get("/sparql/library/survey-findings-by-profile?kind=" + quote(value), headers=BROWSER)
    assert kind.status_code == 200 and kind.get_data(as_text=True).count("<tr>") == 1


def test_an_unknown_parameter_is_refused_with_the_declared_ones(client):
    response = client.get("/sparql/library/domain-actions?domian=3", headers=BROWSER)
    assert response.status_code == 400
    assert "domian" in response.get_data(as_text=True) and "domain, lang" in response.get_data(as_text=True)


def test_the_apps_own_queries_are_not_in_the_library(client):
    assert client.get("/sparql/library/store-counts", headers=BROWSER).status_code == 404
    assert client.get("/sparql/library/store-counts.rq").status_code == 404
    assert not set(queries.names()) & set(queries.internal_names())
    assert "store-counts" in queries.internal_names() and "maturity-trend" in queries.names()


def test_the_yasgui_copy_script_is_valid_shell():
    subprocess.run(["sh", "-n", str(REPO / "tools" / "vendor-yasgui.sh")], check=True)
