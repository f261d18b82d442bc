"""Every term data/ uses is declared: in the odm: ontology, or in a vocabulary the ontology imports."""

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from odmld.resources import folder
from odmld.validation import read_graph

BASE = "http://odmld.test/"
ODM = BASE + "ns/odm#"


def ontology() -> rdflib.Graph:
    return read_graph([folder("ontology")], BASE)


def data() -> rdflib.Graph:
    return read_graph([folder("data")], BASE)


def used_terms(graph: rdflib.Graph) -> set[rdflib.URIRef]:
    terms = set(graph.predicates())
    terms |= {o for o in graph.objects(None, RDF.type) if isinstance(o, rdflib.URIRef)}
    return terms


def imported_namespaces(graph: rdflib.Graph) -> set[str]:
    """The namespaces of the vocabularies the ontology imports (owl:imports, by their IRI)."""
    namespaces = set()
    for imported in graph.objects(None, OWL.imports):
        iri = str(imported)
        namespaces |= {iri, iri.rstrip("#/") + "#", iri.rstrip("#/") + "/"}
    return namespaces


def namespace_of(term: rdflib.URIRef) -> str:
    text = str(term)
    cut = max(text.rfind("#"), text.rfind("/"))
    return text[:cut + 1]


def test_every_odm_term_used_in_data_is_declared_in_the_ontology():
    onto = ontology()
    declared = {s for s in onto.subjects(RDF.type, None) if str(s).startswith(ODM)}
    missing = sorted(str(t) for t in used_terms(data()) if str(t).startswith(ODM) and t not in declared)
    assert missing == []


@pytest.mark.slow
def test_every_other_term_comes_from_an_imported_vocabulary():
    onto = ontology()
    allowed = imported_namespaces(onto) | {str(RDF), str(RDFS), str(OWL)}
    foreign = sorted({namespace_of(t) for t in used_terms(data()) if not str(t).startswith(ODM)}
                     - allowed)
    assert foreign == []


def test_every_odm_term_has_labels_and_comments_in_dutch_and_english():
    onto = ontology()
    incomplete = []
    for term in {s for s in onto.subjects(RDF.type, None) if str(s).startswith(ODM)}:
        for prop in (RDFS.label, RDFS.comment):
            languages = {getattr(v, "language", None) for v in onto.objects(term, prop)}
            if not {"nl", "en"} <= languages:
                incomplete.append(f"{term} {prop}")
    assert incomplete == []


def test_the_ontology_is_versioned_and_licensed():
    onto = ontology()
    ontology_iri = rdflib.URIRef(BASE + "ns/odm")
    assert (ontology_iri, RDF.type, OWL.Ontology) in onto
    for prop in (OWL.versionIRI, OWL.versionInfo, rdflib.DCTERMS.license, rdflib.DCTERMS.creator):
        assert onto.value(ontology_iri, prop) is not None, prop
