"""The catalogue validates against the official DCAT-AP Vlaanderen shapes and a harvester can walk it."""

from pathlib import Path

import pyshacl
import pytest
import rdflib

from odmld import tokens

from backends import assessment_csv, model_loaded
from conftest import BASE, make_app
from shape_sets import shapes as official_shapes

pytestmark = pytest.mark.slow  # publications, and the catalogue validated with pySHACL

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
ODM = rdflib.Namespace(BASE + "ns/odm#")


@pytest.fixture(scope="module")
def published(new_store):
    """A store with the model and three published assessment versions, served with 4 datasets a page."""
    path = new_store()
    store = model_loaded(path)
    app = make_app(path, store, page_size=4)
    token = tokens.create(Path(app.config["ODMLD"].tokens), "24062")[1]
    client = app.test_client()
    for date, note in (("2023-01-01", None), ("2024-01-01", None), ("2024-01-01", "herzien")):
        response = client.post(f"/api/assessments?date={date}", data=assessment_csv(note), headers={
            "Content-Type": "text/csv", "Authorization": f"Bearer {token}"})
        assert response.status_code == 201
    yield client
    app.extensions["odmld.pool"].close()


def graph_of(client, path: str, fmt: str = "turtle", accept: str = "text/turtle") -> rdflib.Graph:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200, response.data
    return rdflib.Graph().parse(data=response.data, format=fmt)


def test_the_whole_catalogue_conforms_to_the_official_dcat_ap_vl_shapes(published):
    catalogue = graph_of(published, "/catalog/volledig.rdf", "xml", "application/rdf+xml")
    shapes = official_shapes("DCAT-AP VL 2.0 dcatapvl.jsonld")
    conforms, report, text = pyshacl.validate(catalogue, shacl_graph=shapes, inference="none",
                                              allow_warnings=True)
    assert conforms, text
    datasets = set(catalogue.subjects(rdflib.RDF.type, DCAT.Dataset))
    assert len(datasets) == 9 + 3 + 1  # bundled files, assessment versions, the whole store
    dqv = rdflib.Namespace("http://www.w3.org/ns/dqv#")
    for dataset in datasets:
        distributions = list(catalogue.objects(dataset, DCAT.distribution))
        formats = {str(o) for d in distributions for o in catalogue.objects(d, DCAT.mediaType)}
        expected = 1 if str(dataset).endswith("/volledig") else 5 if "/inschatting/" in str(dataset) else 4
        assert len(formats) == expected  # RDF formats (+ CSV for an assessment); the dump is Turtle/N-Quads
        for distribution in distributions:  # RDF distributions state 5 stars, the CSV 3
            stars = [int(catalogue.value(m, dqv.value))
                     for m in catalogue.objects(distribution, dqv.hasQualityMeasurement)]
            csv = str(catalogue.value(distribution, DCAT.mediaType)).endswith("text/csv")
            assert stars == ([3] if csv else [5])


def test_a_harvester_walks_every_page_and_finds_every_dataset_once(published):
    whole = graph_of(published, "/catalog/volledig.ttl")
    expected = set(whole.subjects(rdflib.RDF.type, DCAT.Dataset))
    seen, page, pages = [], "/catalog.ttl?page=1", 0
    while page:
        graph = graph_of(published, page)
        pages += 1
        seen += list(graph.subjects(rdflib.RDF.type, DCAT.Dataset))
        for dataset in graph.subjects(rdflib.RDF.type, DCAT.Dataset):
            assert list(graph.objects(dataset, DCAT.distribution))
        following = list(graph.objects(None, HYDRA.next))
        page = str(following[0]).replace(BASE, "/") if following else None
    assert pages == 3 and len(seen) == len(set(seen)) and set(seen) == expected


def test_records_have_stable_identifiers_and_distributions_download(published):
    whole = graph_of(published, "/catalog/volledig.ttl")
    records = list(whole.subjects(rdflib.RDF.type, DCAT.CatalogRecord))
    identifiers = {str(whole.value(r, rdflib.DCTERMS.identifier)) for r in records}
    assert len(identifiers) == len(records) == 13
    paged = set()
    for page in (1, 2, 3):  # a harvester paging sees the same record identifiers as one reading it whole
        graph = graph_of(published, f"/catalog.ttl?page={page}")
        paged |= {str(graph.value(r, rdflib.DCTERMS.identifier))
                  for r in graph.subjects(rdflib.RDF.type, DCAT.CatalogRecord)}
    assert paged == identifiers
    for url in {str(o) for o in whole.objects(None, DCAT.downloadURL)}:
        response = published.get(url.replace(BASE, "/"))
        assert response.status_code == 200, url


def test_catalogue_resources_dereference(published):
    whole = graph_of(published, "/catalog/volledig.ttl")
    distribution = next(iter(whole.subjects(rdflib.RDF.type, DCAT.Distribution)))
    graph = graph_of(published, str(distribution).replace(BASE, "/").replace("/id/", "/doc/"))
    assert (distribution, rdflib.RDF.type, DCAT.Distribution) in graph


def test_dumps_are_listed_with_checksum_and_size_and_reload_isomorphic(published):
    """Graph dumps are listed with their checksum and size; the whole store's dump (which changes with
    every write) says its checksum in the Repr-Digest header of its download (RFC 9530, base64). A .gz
    file is served as application/gzip, without Content-Encoding, so a client keeps it packed."""
    import base64
    import gzip
    import hashlib

    from rdflib.compare import isomorphic

    whole = graph_of(published, "/catalog/volledig.ttl")
    spdx = rdflib.Namespace("http://spdx.org/rdf/terms#")
    dumps = [d for d in whole.subjects(DCAT.compressFormat, None)]
    assert len(dumps) == 12 + 1
    for distribution in dumps:
        url = str(whole.value(distribution, DCAT.downloadURL)).replace(BASE, "/")
        response = published.get(url)
        assert response.status_code == 200
        body = response.get_data()  # the gzip bytes as stored
        assert response.mimetype == "application/gzip" and "Content-Encoding" not in response.headers
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
        assert response.headers["Repr-Digest"] == f"sha-256=:{digest}:"
        if url.endswith(".ttl.gz"):
            checksum = whole.value(distribution, spdx.checksum)
            assert hashlib.sha256(body).hexdigest() == str(whole.value(checksum, spdx.checksumValue))
            assert len(body) == int(whole.value(distribution, DCAT.byteSize))
            reloaded = rdflib.Graph().parse(data=gzip.decompress(body), format="turtle")
            graph = url[len("/dump/"):-len(".ttl.gz")]
            served = rdflib.Graph().parse(data=published.get(f"/graph/{graph}.nt").data, format="nt")
            assert isomorphic(reloaded, served)
        else:
            assert whole.value(distribution, spdx.checksum) is None
            assert published.get(url, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
            dataset = rdflib.Dataset()
            dataset.parse(data=gzip.decompress(body), format="nquads")
            names = {str(g.identifier) for g in dataset.graphs() if len(g)}
            assert BASE + "graph/data/maturity-model" in names
            assert BASE + "graph/inschatting/24062/2024-01-01/v2" in names


def test_the_change_feed_gives_every_publication_exactly_once_with_the_version(published):
    ldes = rdflib.Namespace("https://w3id.org/ldes#")
    tree = rdflib.Namespace("https://w3id.org/tree#")
    token = tokens.create(Path(published.application.config["ODMLD"].tokens), "24062")[1]
    for n in range(6):  # 3 + 6 publications = 3 pages of 4, the last one being filled
        assert published.post("/api/assessments?date=2025-01-01", data=assessment_csv(f"versie {n}"), headers={
            "Content-Type": "text/csv", "Authorization": f"Bearer {token}"}).status_code == 201
    versions, page, pages = [], "/feed?page=1", []
    while page:
        response = published.get(page, headers={"Accept": "text/turtle"})
        assert response.status_code == 200
        graph = rdflib.Graph().parse(data=response.data, format="turtle")
        stream = next(graph.subjects(rdflib.RDF.type, ldes.EventStream))
        for event in graph.objects(stream, tree.member):  # a publication, with the version's triples and parts
            assert graph.value(event, rdflib.RDF.type) == ODM.Publication
            version = graph.value(event, rdflib.DCTERMS.isVersionOf)
            versions.append(version)
            assert (version, rdflib.URIRef("http://www.w3.org/ns/prov#generatedAtTime"), None) in graph
            parts = list(graph.objects(version, ODM.domainAssessment))
            assert len(parts) == 11 and all(len(list(graph.predicate_objects(p))) > 2 for p in parts)
        pages.append(response.headers["Cache-Control"])
        following = [graph.value(r, tree.node) for r in graph.objects(None, tree.relation)]
        page = str(following[0]).replace(BASE, "/") if following else None
    expected = {rdflib.URIRef(BASE + f"id/inschatting/24062/{ref}")
                for ref in ("2023-01-01/v1", "2024-01-01/v1", "2024-01-01/v2")}
    assert len(versions) == len(set(versions)) == 9 and set(versions) >= expected
    assert len(pages) == 3
    assert all("immutable" in c for c in pages[:-1]) and "immutable" not in pages[-1]


def test_a_graph_or_dump_that_is_not_there_is_a_404_with_a_message(published):
    for path in ("/graph/inschatting/24062/1999-01-01/v1.ttl", "/dump/inschatting/24062/1999-01-01/v1.ttl.gz",
                 "/graph/statistiek-bestaat-niet.nt"):
        response = published.get(path, headers={"Accept-Language": "en"})
        assert response.status_code == 404, path
        assert "no graph" in response.get_data(as_text=True), path
    assert published.get("/graph/statistiek.nt").status_code == 200
    assert published.get("/dump/laatste/24062/domeinen.ttl.gz").status_code == 200


def test_the_whole_catalogue_is_refused_past_its_limit(model_store_path, model_store):
    app = make_app(model_store_path, model_store, whole_catalogue_limit=3)
    try:
        client = app.test_client()
        refused = client.get("/catalog/volledig.ttl", headers={"Accept": "application/json"})
        assert refused.status_code == 403
        assert "/catalog" in refused.get_json()["error"]["detail"]
        # an IRI under id/catalogus/ that the store does not hold is looked up in the whole catalogue
        # (its distributions and records are computed, not stored): refused alike
        described = client.get("/doc/catalogus/bestaat-niet", headers={"Accept": "application/ld+json"})
        assert described.status_code == 403 and "/catalog" in described.get_json()["error"]["detail"]
        assert client.get("/catalog.ttl?page=1").status_code == 200  # paging still serves everything
    finally:
        app.extensions["odmld.pool"].close()


def test_the_catalogue_page_for_people_links_the_pages_before_and_after(published):
    page = published.get("/catalog?page=2", headers={"Accept": "text/html", "Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Page 2 of" in text
    assert 'href="/catalog?page=1" rel="prev"' in text and 'href="/catalog?page=3" rel="next"' in text
