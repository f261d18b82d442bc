"""Links that cannot run script (issue 15, item 2).

A city could submit a `javascript:` URL as a dataset's landing page or a licence; the page showed it as
a link, and a data manager of another city who clicked it published in that city's name. Now the shapes
refuse every IRI a page would show as a link unless it is http(s), in every submission format; a page
shows any other IRI already in a store as text; and every response carries a Content-Security-Policy
that allows no inline script and no other origin.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from web_targets import EXAMPLES, jsonld_assessment, post_assessment, quads, turtle_assessment, writable_target

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


def test_http_and_https_links_are_still_accepted(target):
    body = turtle_assessment("2016-06-08", licence=OPEN,
                             datasets=dataset_turtle("http://leuven.example/p.csv"))
    assert post_assessment(target, body, "text/turtle").status_code == 201
