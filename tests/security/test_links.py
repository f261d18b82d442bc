"""Links that cannot run script (issue 15, item 2).

A city could submit a `javascript:` URL as a dataset's landing page or a licence; the page showed it as
a link, and a data manager of another city who clicked it published in that city's name. Now the shapes
refuse every IRI a page would show as a link unless it is http(s), in every submission format; a page
shows any other IRI already in a store as text; and every response carries a Content-Security-Policy
that allows no inline script and no other origin.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from odmld.assessments.graph import AssessmentParts, DomainPart, ListedDataset
from odmld import vocab
from odmld.assessments.publish import publish

from backends import BASE_URI
from .web_targets import (EXAMPLES, LEUVEN, is_harmless_url, jsonld_assessment, page_links,
                         post_assessment, quads, turtle_assessment, writable_target)

SCRIPT_URLS = ["javascript:alert(document.domain)", "JavaScript:alert(1)", "data:text/html;base64,PHNjcmlwdD4xPC9zY3JpcHQ+",
               "vbscript:msgbox(1)", "file:///etc/passwd", "urn:x:y", "ftp://example.org/x"]
OPEN = "https://creativecommons.org/licenses/by/4.0/"


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    made = writable_target(tmp_path_factory.mktemp("links"))
    yield made
    made.close()


def dataset_turtle(url: str, licence: str = OPEN) -> str:
    return (f'[ dcterms:title "Parkings" ; dcat:landingPage <{url}> ; dcat:mediaType "text/csv" ; '
            f'dcterms:license <{licence}> ]')


@pytest.mark.slow
@pytest.mark.parametrize("url", SCRIPT_URLS)
@pytest.mark.parametrize("where", ["landing page", "dataset licence", "assessment licence"])
def test_a_turtle_submission_with_a_link_that_is_not_http_is_refused_with_422(target, url, where):
    before = quads(target.store)
    body = {"landing page": turtle_assessment(datasets=dataset_turtle(url)),
            "dataset licence": turtle_assessment(datasets=dataset_turtle("https://leuven.example/p.csv", url)),
            "assessment licence": turtle_assessment(licence=url)}[where]
    response = post_assessment(target, body, "text/turtle")
    assert response.status_code == 422, response.data
    assert "http" in response.get_json()["error"]["detail"]
    assert quads(target.store) == before


@pytest.mark.slow
@pytest.mark.parametrize("url", SCRIPT_URLS)
@pytest.mark.parametrize("where", ["landing page", "dataset licence", "assessment licence"])
def test_a_jsonld_submission_with_a_link_that_is_not_http_is_refused_with_422(target, url, where):
    before = quads(target.store)

    def dataset(landing: str, licence: str = OPEN) -> dict:
        return {"dcterms:title": "Parkings", "dcat:landingPage": {"@id": landing},
                "dcat:mediaType": "text/csv", "dcterms:license": {"@id": licence}}

    body = {"landing page": jsonld_assessment(datasets=[dataset(url)]),
            "dataset licence": jsonld_assessment(datasets=[dataset("https://leuven.example/p.csv", url)]),
            "assessment licence": jsonld_assessment(licence=url)}[where]
    response = post_assessment(target, body, "application/ld+json")
    assert response.status_code == 422, response.data
    assert quads(target.store) == before


@pytest.mark.slow
@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_a_csv_licence_that_is_not_http_is_refused_with_422(target, url):
    before = quads(target.store)
    response = post_assessment(target, (EXAMPLES / "assessment.csv").read_bytes(), "text/csv",
                               query=f"?date=2016-06-07&licence={quote(url)}")
    assert response.status_code == 422, response.data
    assert quads(target.store) == before


def test_the_refusal_says_in_dutch_too_that_a_link_must_be_http(target):
    response = post_assessment(target, turtle_assessment(licence="javascript:alert(1)"), "text/turtle",
                               lang="nl")
    assert response.status_code == 422
    assert "http" in response.get_json()["error"]["detail"] and "moet" in response.get_json()["error"]["detail"]


@pytest.mark.slow
def test_http_and_https_links_are_still_accepted(target):
    body = turtle_assessment("2016-06-08", licence=OPEN,
                             datasets=dataset_turtle("http://leuven.example/p.csv"))
    assert post_assessment(target, body, "text/turtle").status_code == 201


def stored_with_script_links(target) -> str:
    """An assessment whose links are `javascript:` URLs, written past the shapes (as an older odmld
    accepted it): what a store may already hold. Returns its /doc/ path."""
    base = BASE_URI
    parts = AssessmentParts(
        organisation=vocab.organisation(base, LEUVEN),
        date=ox.Literal("2016-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
        method=ox.NamedNode(f"{base}id/methode/zelfevaluatie"),
        licence=ox.NamedNode("javascript:alert('licence')"),
        domains=[DomainPart(ox.NamedNode(f"{base}id/maturiteitsdomein/1"),
                            ox.NamedNode(f"{base}id/maturiteitsniveau/opgestart"),
                            ox.NamedNode(f"{base}id/noodniveau/geen-nood"), None)],
        datasets=[ListedDataset(title=ox.Literal("Klik hier"), url=ox.NamedNode("javascript:alert('landing')"),
                                media="text/csv", licence="javascript:alert('dataset-licence')", links=False)])
    published = publish(target.store, parts, LEUVEN)
    return "/doc/" + published.iri.value[len(base + "id/"):]


def test_a_stored_script_link_is_shown_as_text_and_never_as_a_link(target):
    doc = stored_with_script_links(target)
    client = target.app.test_client()
    for path in (doc + ".html", f"/doc/organisatie/{LEUVEN}.html", doc + "/dataset-1.html"):
        page = client.get(path, headers={"Accept-Language": "en"})
        assert page.status_code == 200, path
        html = page.data.decode()
        links = page_links(html)
        assert links.urls, path
        assert all(is_harmless_url(url) for url in links.urls), (path, [u for u in links.urls
                                                                         if not is_harmless_url(u)])
        if path.startswith(doc):
            assert "javascript:alert(" in html, path  # still shown, as text


def test_the_catalogue_page_links_nothing_that_runs_script(target):
    stored_with_script_links(target)
    html = target.app.test_client().get("/catalog", headers={"Accept": "text/html"}).data.decode()
    assert all(is_harmless_url(url) for url in page_links(html).urls)


PAGES = ["/", "/model", "/organisaties", f"/doc/organisatie/{LEUVEN}", "/doc/maturiteitsdomein/4",
         "/ns/odm", "/ns/odm-shapes", "/zelfevaluatie", "/vergelijk?org=24062", "/domein/4/ranking",
         "/catalog", "/sparql", "/doc/nothing-here", "/graph/none.ttl"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_a_strict_content_security_policy(target, path):
    response = target.app.test_client().get(path, headers={"Accept": "text/html"})
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives.get("default-src") == ["'none'"], policy
    assert directives.get("frame-ancestors") == ["'none'"]
    for source in ("script-src", "style-src"):
        assert directives.get(source) == ["'self'"], (source, policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "*" not in policy
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") in ("no-referrer", "same-origin")


@pytest.mark.parametrize("path", [p for p in PAGES if not p.startswith(("/graph", "/doc/nothing"))])
def test_no_page_has_inline_script_or_style(target, path):
    response = target.app.test_client().get(path, headers={"Accept": "text/html"})
    assert response.mimetype == "text/html"
    assert page_links(response.data.decode()).inline == []


def test_a_sparql_answer_made_outside_flask_carries_the_same_headers(target):
    response = target.app.test_client().get("/sparql?query=" + quote("ASK {}"),
                                            headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200 and json.loads(response.data)["boolean"] is True
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
