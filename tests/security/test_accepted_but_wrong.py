"""Input that was accepted but wrong (issue 15, item 11).

Before: JSON-LD evidence with an invalid language tag was dropped and the rest published (201);
`2024-W01-1` and `2024-01-01T00:00:00` were taken as dates (rdflib's date parser reads ISO week dates
and date-times); control characters went into the store, and the RDF/XML pages that showed them were
not well-formed XML. Now each is a 422 that names the field, and an RDF/XML page is well-formed XML
whatever text the store already holds.
"""

from __future__ import annotations

import json
import xml.parsers.expat
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import rdflib

from odmld.store_api import NamedGraph

from backends import BASE_URI
from .web_targets import (EXAMPLES, jsonld_assessment, post_assessment, quads, turtle_assessment,
                         writable_target)

pytestmark = pytest.mark.slow  # a submission in every format for each wrong value

CSV = (EXAMPLES / "assessment.csv").read_bytes()


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    made = writable_target(tmp_path_factory.mktemp("wrong"))
    yield made
    made.close()


def refused(target, body: bytes, media: str, query: str = "", lang: str = "en") -> dict:
    before = quads(target.store)
    response = post_assessment(target, body, media, query=query, lang=lang)
    assert response.status_code == 422, (response.status_code, response.data[:400])
    assert quads(target.store) == before
    return response.get_json()["error"]


@pytest.mark.parametrize("tag", ["not a tag!", "abcdefghi", "en-", "nl_BE", "x-" + "a" * 9])
def test_jsonld_evidence_with_an_invalid_language_tag_is_422_naming_the_field(target, tag):
    error = refused(target, jsonld_assessment(evidence={"@value": "Schepen steunt", "@language": tag}),
                    "application/ld+json")
    assert "evidence" in error["detail"] and tag in error["detail"]


def test_turtle_evidence_with_an_invalid_language_tag_is_422_naming_the_field(target):
    error = refused(target, turtle_assessment(evidence='"Schepen steunt"@abcdefghi'), "text/turtle")
    assert "evidence" in error["detail"] and "abcdefghi" in error["detail"]


def test_the_language_tag_refusal_speaks_dutch_when_asked(target):
    error = refused(target, jsonld_assessment(evidence={"@value": "x", "@language": "abcdefghi"}),
                    "application/ld+json", lang="nl")
    assert "taalcode" in error["detail"]


def test_a_jsonld_link_that_is_no_iri_is_422_not_dropped(target):
    datasets = [{"dcterms:title": "P", "dcat:landingPage": {"@id": "https://exa mple.org/x"},
                 "dcat:mediaType": "text/csv"}]
    error = refused(target, jsonld_assessment(datasets=datasets), "application/ld+json")
    assert "landingPage" in error["detail"]


@pytest.mark.parametrize("date", ["2024-W01-1", "2024-01-01T00:00:00", "2024-1-1", "20240101", "2024-001",
                                  " 2024-01-01", "2024-01-01Z", "2024-01-01+02:00", "2024-02-30", "+2024-01-01"])
def test_a_date_that_is_not_yyyy_mm_dd_is_422_in_every_format(target, date):
    for body, media, query in ((CSV, "text/csv", f"?date={quote(date)}"),
                               (turtle_assessment(date), "text/turtle", ""),
                               (jsonld_assessment(date), "application/ld+json", "")):
        error = refused(target, body, media, query)
        assert "date" in error["detail"] or "datum" in error["detail"]


CONTROL = ["\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\ufffe"]


@pytest.mark.parametrize("char", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
def test_a_control_character_in_evidence_is_422_in_every_format(target, char):
    row = f'domain,maturity,need,evidence\n1,1,1,"a{char}b"\n'.encode()
    error = refused(target, row, "text/csv", "?date=2014-01-01")
    assert "evidence" in error["detail"].lower() or "onderbouwing" in error["detail"]
    escaped = json.dumps(f"a{char}b")
    refused(target, turtle_assessment(evidence=escaped), "text/turtle")
    refused(target, jsonld_assessment(evidence=f"a{char}b"), "application/ld+json")


def test_a_control_character_in_a_dataset_title_is_422(target):
    datasets = [{"dcterms:title": "Par\x07kings", "dcat:landingPage": {"@id": "https://x.example/p.csv"},
                 "dcat:mediaType": "text/csv"}]
    error = refused(target, jsonld_assessment(datasets=datasets), "application/ld+json")
    assert "title" in error["detail"]


def test_tab_carriage_return_and_line_feed_are_text(target):
    row = b'domain,maturity,need,evidence\n1,1,1,"a\tb\r\nc"\n'
    response = post_assessment(target, row, "text/csv", query="?date=2014-02-02")
    assert response.status_code == 201, response.data[:300]


def test_a_withdrawal_reason_with_a_control_character_is_422(target):
    made = post_assessment(target, CSV, "text/csv", query="?date=2014-03-03").headers["Location"]
    ref = made.split("/id/inschatting/", 1)[1]
    before = quads(target.store)
    reason = quote("dubbel\x01")
    response = target.app.test_client().delete(f"/api/assessments/{ref}?reason={reason}", headers={
        "Authorization": f"Bearer {target.leuven}", "Accept": "application/json"})
    assert response.status_code == 422 and "reason" in response.get_json()["error"]["detail"]
    assert quads(target.store) == before


def write_directly(target, subject: str, predicate: str, value: str) -> None:
    """A triple written through the Store API, past every check: what an older store may hold."""
    graph = ox.NamedNode(f"{BASE_URI}graph/test/{subject.rsplit('/', 1)[-1]}")
    quad = ox.Quad(ox.NamedNode(subject), ox.NamedNode(predicate), ox.Literal(value), graph)
    target.store.replace_graphs([NamedGraph(graph=graph, quads=[quad])])


def well_formed(xml_bytes: bytes) -> None:
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")  # namespace-aware, as RDF/XML is
    parser.Parse(xml_bytes, True)  # raises ExpatError when not well-formed


EVERY_BAD_CHARACTER = "".join(chr(c) for c in range(0x20) if c not in (9, 10, 13)) + "\ufffe\uffff"


def test_an_rdf_xml_page_is_well_formed_whatever_text_the_store_holds(target):
    subject = f"{BASE_URI}id/test/control"
    write_directly(target, subject, "http://purl.org/dc/terms/description",
                   f"before{EVERY_BAD_CHARACTER}middle\r\nafter ]]> & <x/>")
    client = target.app.test_client()
    for path in ("/doc/test/control.rdf", "/graph/test/control.rdf"):
        response = client.get(path)
        assert response.status_code == 200 and response.mimetype == "application/rdf+xml", path
        well_formed(response.data)
        graph = rdflib.Graph().parse(data=response.data, format="xml")
        text = str(graph.value(rdflib.URIRef(subject), rdflib.DCTERMS.description))
        assert text.startswith("before") and text.endswith("middle\r\nafter ]]> & <x/>"), repr(text)


def test_a_property_or_class_rdf_xml_cannot_name_is_406_not_broken_xml(target):
    write_directly(target, f"{BASE_URI}id/test/predicate", "http://example.org/ends-with-a-slash/", "x")
    graph = ox.NamedNode(f"{BASE_URI}graph/test/class")
    typed = ox.Quad(ox.NamedNode(f"{BASE_URI}id/test/class"),
                    ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                    ox.NamedNode("http://example.org/Class/"), graph)
    target.store.replace_graphs([NamedGraph(graph=graph, quads=[typed])])
    client = target.app.test_client()
    for name in ("predicate", "class"):
        response = client.get(f"/doc/test/{name}.rdf", headers={"Accept": "application/json"})
        if response.status_code == 200:
            well_formed(response.data)
        else:
            assert response.status_code == 406 and "Turtle" in response.get_json()["error"]["detail"]
        assert client.get(f"/doc/test/{name}.ttl").status_code == 200


@pytest.mark.parametrize("date", ["2024-W01-1", "2024-001", "2024-01-01T00:00:00"])
def test_a_survey_upload_with_a_date_that_is_not_yyyy_mm_dd_is_refused(target, date):
    before = quads(target.store)
    response = target.app.test_client().post(
        f"/api/surveys?date={quote(date)}", data=(EXAMPLES / "survey-responses.csv").read_bytes(),
        headers={"Content-Type": "text/csv", "Accept": "application/json", "Accept-Language": "en",
                 "Authorization": f"Bearer {target.leuven}"})
    assert response.status_code == 400 and "YYYY-MM-DD" in response.get_json()["error"]["detail"]
    assert quads(target.store) == before
