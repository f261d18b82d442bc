"""The catalogue, every page and whole, with published and withdrawn assessments, against every official
shape set of ../shared/standards/ (DCAT-AP Vlaanderen 2.0 and DCAT-AP 3.0.1), with pySHACL.

Each test skips, saying why, where ../shared is not beside the repository (a fresh clone)."""

from pathlib import Path

import pytest
import rdflib

from odmld import tokens

from backends import model_loaded
from conftest import BASE, make_app
from shape_sets import PUBLISHERS, SHAPE_SETS, catalogue_documents, require, results, shapes

pytestmark = pytest.mark.slow  # the catalogue validated against every official shape set with pySHACL

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
ADMS = rdflib.Namespace("http://www.w3.org/ns/adms#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
MANDATORY = [name for name in SHAPE_SETS if "recommended" not in name]


@pytest.fixture(scope="module")
def documents(new_store):
    """Every page of the catalogue and the whole of it, 5 datasets a page, after six publications of
    three organisations and one withdrawal."""
    require()  # before the work: without ../shared there is nothing to validate it against
    path = new_store()
    app = make_app(path, model_loaded(path), page_size=5)
    tokens_of = {org: tokens.create(Path(app.config["ODMLD"].tokens), org)[1] for org in PUBLISHERS}
    try:
        yield catalogue_documents(app.test_client(), tokens_of)
    finally:
        app.extensions["odmld.pool"].close()


@pytest.mark.parametrize("name", MANDATORY)
def test_every_page_and_the_whole_catalogue_have_no_violations_of(documents, name):
    assert len(documents) == 4  # three pages and the whole catalogue
    for path, graph in documents.items():
        assert results(graph, name) == [], path


@pytest.mark.parametrize("name", ["DCAT-AP VL 2.0 dcatapvl.jsonld", "DCAT-AP VL 2.0 metadata_dcat.jsonld",
                                  "DCAT-AP VL 2.0 dcatapvl-usagenotes.jsonld"])
def test_the_flemish_profile_gives_no_warnings_either(documents, name):
    for path, graph in documents.items():
        assert results(graph, name, "Warning") == [], path


def test_recommended_properties_are_missing_only_where_docs_standards_says_why(documents):
    """docs/standards.md lists these: a temporal coverage for datasets that have none (the model, the
    charter, ...), the protocol the SPARQL service conforms to (DCAT-AP VL asks a concept of its own
    data service protocol scheme there), and nothing else."""
    whole = documents["/catalog/volledig.rdf"]
    missing = {(line.split(" | ")[0], line.split(" | ")[1])
               for line in results(whole, "DCAT-AP 3.0.1 shapes_recommended.ttl", "Warning")}
    timeless = {"maturity-model", "charter", "checklist", "five-star", "profiles", "organisations",
                "sources", "volledig"}
    assert missing == {(f"{BASE}id/catalogus/{name}", "http://purl.org/dc/terms/temporal") for name in timeless} | {
        (f"{BASE}id/catalogus/sparql", "http://purl.org/dc/terms/conformsTo")}


def test_the_mdr_checksum_shape_rejects_the_official_spdx_iri_by_its_pattern_alone():
    """mdr-vocabularies.shape.ttl :ChecksumAlgorithmRestriction has `sh:pattern "^https://spdx.org/rdf/terms"`;
    SPDX's own IRI for SHA-256 is http://spdx.org/rdf/terms#checksumAlgorithm_sha256. The same checksum
    passes with the algorithm's IRI spelt https, which is no SPDX term: the pattern is the shape's fault."""
    def checksum(algorithm: str) -> rdflib.Graph:
        graph = rdflib.Graph()
        node, algorithm_node = rdflib.URIRef(BASE + "checksum"), rdflib.URIRef(algorithm)
        graph.add((node, rdflib.RDF.type, SPDX.Checksum))
        graph.add((node, SPDX.algorithm, algorithm_node))
        graph.add((algorithm_node, rdflib.RDF.type, SPDX.ChecksumAlgorithm))
        return graph

    name = "DCAT-AP 3.0.1 mdr-vocabularies.shape.ttl"
    official = checksum("http://spdx.org/rdf/terms#checksumAlgorithm_sha256")
    assert len(results(official, name, excuse_faults=False)) == 1
    assert results(official, name) == []  # the one result is the faulty pattern's, and only that
    assert results(checksum("https://spdx.org/rdf/terms#checksumAlgorithm_sha256"), name, excuse_faults=False) == []
    text = (Path(shapes.__globals__["STANDARDS"]) / "dcat-ap-3" / "mdr-vocabularies.shape.ttl").read_text()
    assert 'sh:pattern "^https://spdx.org/rdf/terms" ;' in text


def test_a_withdrawn_version_is_listed_as_withdrawn(documents):
    """DCAT-AP 3.0.1 (and 2.x), Catalogue Record "change type" (adms:status, ADMS change type vocabulary):
    the withdrawn version's record says Deleted, its distributions the EU distribution status WITHDRAWN;
    every other record says Created."""
    shapes("DCAT-AP 3.0.1 shapes.ttl")  # the fixture's catalogue is built for the shapes tests
    whole = documents["/catalog/volledig.rdf"]
    withdrawn = rdflib.URIRef(f"{BASE}id/catalogus/inschatting/{PUBLISHERS[0]}/2024-01-01/v1")
    changetype = rdflib.Namespace("http://purl.org/adms/changetype/")
    status = rdflib.Namespace("http://publications.europa.eu/resource/authority/distribution-status/")
    for record in whole.subjects(rdflib.RDF.type, DCAT.CatalogRecord):
        topic = whole.value(record, rdflib.FOAF.primaryTopic)
        expected = changetype.Deleted if topic == withdrawn else changetype.Created
        assert list(whole.objects(record, ADMS.status)) == [expected], topic
        for distribution in whole.objects(topic, DCAT.distribution):
            assert list(whole.objects(distribution, ADMS.status)) == [
                status.WITHDRAWN if topic == withdrawn else status.COMPLETED]
    assert sum(1 for _ in whole.subjects(ADMS.status, changetype.Deleted)) == 1
