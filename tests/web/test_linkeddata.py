"""Dereferencing: 303 from /id/ to /doc/, content negotiation, headers, conditional GET, errors."""

import json
import time

import pytest
import rdflib

BASE = "http://odmld.test/"
KINDS = ["maturiteitsdomein/4", "charterprincipe/13", "maturiteitsniveau/gevorderd",
         "noodniveau/sterke-nood", "actie/6-2", "gebruikersprofiel/data-expert",
         "organisatie/24062", "conceptschema/open-data-charter", "checklistitem/4-2", "ster/3",
         "smartportrait/2017/portret-44021", "metriek/maturiteit-4", "bron/001_d2726d76d2d03417"]
RDF_MEDIA = {"text/turtle": "turtle", "application/ld+json": "json-ld",
             "application/rdf+xml": "xml", "application/n-triples": "nt"}
SUFFIX = {"ttl": "text/turtle", "jsonld": "application/ld+json", "rdf": "application/rdf+xml",
          "nt": "application/n-triples", "html": "text/html"}


def parse(body: bytes, rdf_format: str, client) -> rdflib.Graph:
    graph = rdflib.Graph()
    if rdf_format == "json-ld":
        document = json.loads(body)
        context_url = document["@context"]
        assert context_url == BASE + "ns/context.jsonld"
        document["@context"] = json.loads(client.get("/ns/context.jsonld").data)["@context"]
        body = json.dumps(document)
    graph.parse(data=body, format=rdf_format)
    return graph


@pytest.mark.parametrize("ref", KINDS)
def test_an_id_uri_answers_303_to_its_document(client, ref):
    for method in (client.get, client.head):
        response = method(f"/id/{ref}", headers={"Accept": "text/turtle"})
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/doc/{ref}")


@pytest.mark.slow
@pytest.mark.parametrize("ref", KINDS)
@pytest.mark.parametrize("media", sorted(RDF_MEDIA))
def test_each_rdf_format_by_accept_describes_the_resource(client, ref, media):
    response = client.get(f"/doc/{ref}", headers={"Accept": media})
    assert response.status_code == 200
    assert response.mimetype == media
    graph = parse(response.data, RDF_MEDIA[media], client)
    assert (rdflib.URIRef(BASE + "id/" + ref), None, None) in graph


@pytest.mark.parametrize("suffix", sorted(SUFFIX))
def test_each_format_by_suffix(client, suffix):
    response = client.get(f"/doc/maturiteitsdomein/1.{suffix}", headers={"Accept": "image/png"})
    assert response.status_code == 200 and response.mimetype == SUFFIX[suffix]


def test_html_is_what_a_browser_gets(client):
    response = client.get("/doc/maturiteitsdomein/1",
                          headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.mimetype == "text/html" and b"Sponsoring" in response.data


def test_nothing_acceptable_is_406_listing_the_formats(client):
    response = client.get("/doc/maturiteitsdomein/1", headers={"Accept": "image/png"})
    assert response.status_code == 406
    for media in ("text/html", *RDF_MEDIA):
        assert media.encode() in response.data


def test_linked_data_headers(client):
    response = client.get("/doc/maturiteitsdomein/1", headers={"Accept": "text/turtle"})
    assert "Accept" in response.headers["Vary"]
    assert response.headers["Content-Location"] == "/doc/maturiteitsdomein/1.ttl"
    links = response.headers["Link"]
    for suffix, media in SUFFIX.items():
        assert f'</doc/maturiteitsdomein/1.{suffix}>; rel="alternate"; type="{media}"' in links
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_conditional_get_answers_304(client, backend):
    for _ in range(30):  # Last-Modified is due from the first whole second after the write
        first = client.get("/doc/maturiteitsdomein/1", headers={"Accept": "text/turtle"})
        if "Last-Modified" in first.headers or backend != "embedded":
            break
        time.sleep(0.05)
    etag, modified = first.headers["ETag"], first.headers.get("Last-Modified")
    again = client.get("/doc/maturiteitsdomein/1",
                       headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    if backend != "embedded":  # a SPARQL server does not say when it changed
        assert modified is None
        return
    since = client.get("/doc/maturiteitsdomein/1",
                       headers={"Accept": "text/turtle", "If-Modified-Since": modified})
    assert since.status_code == 304


def test_head_works_where_get_does(client):
    response = client.head("/doc/maturiteitsdomein/1", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.data == b""
    assert int(response.headers["Content-Length"]) > 0


def test_an_unknown_resource_is_404_in_the_one_error_shape(client):
    response = client.get("/doc/maturiteitsdomein/99", headers={"Accept": "application/json"})
    assert response.status_code == 404
    body = response.get_json()
    assert set(body) == {"type", "title", "status", "detail", "error"}  # RFC 9457, the older shape kept
    assert set(body["error"]) == {"status", "title", "detail"} and body["error"]["status"] == 404
    assert "maturiteitsdomein/99" in body["error"]["detail"]


def test_the_ontology_is_served_at_its_namespace(client):
    turtle = client.get("/ns/odm", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=turtle.data, format="turtle")
    assert (rdflib.URIRef(BASE + "ns/odm"), rdflib.RDF.type, rdflib.OWL.Ontology) in graph
    for term in ("SurveyQuestion", "publicationPosition"):  # every file of ontology/, this stop's terms too
        assert (rdflib.URIRef(BASE + "ns/odm#" + term), None, None) in graph, term
    html = client.get("/ns/odm", headers={"Accept": "text/html"}).data.decode()
    assert "maturiteitsdomein" in html and "MaturityDomain" in html
    english = client.get("/ns/odm?lang=en", headers={"Accept": "text/html"}).data.decode()
    assert "maturity domain" in english
    shapes = client.get("/ns/odm-shapes.ttl")
    graph = rdflib.Graph().parse(data=shapes.data, format="turtle")
    assert (rdflib.URIRef(BASE + "ns/odm-shapes#AssessmentShape"), None, None) in graph
