"""Every assessment shape still refuses what it guards, however odmld hands the shapes to pySHACL (kept
parsed once per process, in a store without contexts, with the constraint parameters hashed): for each
shape a submission that breaks it, sent as Turtle (the API's RDF path: every shape, the whole model) and
checked as its canonical graph (the CSV path: the assessment shapes, the model's statements about the
terms it names). Every violation is refused with the shape's message; every "not scored" warning is given.
"""

from __future__ import annotations

from typing import Callable

import pyoxigraph as ox
import pytest
import rdflib

from odmld.assessments.graph import AssessmentParts, DomainPart, ListedDataset, build_triples
from odmld import vocab
from odmld.assessments.publish import to_rdflib
from odmld.resources import folder
from odmld.errors import Invalid
from odmld.assessments.submit import parts_from_rdf
from odmld.validation import Report, assessment_background, assessment_shapes, validate_graph

BASE = "http://odmld.test/"
ODM, DCTERMS, DCAT = f"{BASE}ns/odm#", "http://purl.org/dc/terms/", "http://www.w3.org/ns/dcat#"
ASSESSMENT = ox.NamedNode(f"{BASE}id/inschatting/concept")
DOMAIN_NAMES = {1: "Sponsoring", 2: "Visie/strategie", 3: "Attitude & Awareness", 4: "Kennis",
                5: "Inspiratie & concept", 6: "Dialoog & co-creatie hergebruikers", 7: "Ondersteuning",
                8: "Kennisdeling", 9: "(Open) Data governance", 10: "Aankoopbeleid", 11: "Infrastructuur"}
Triples = list[ox.Triple]


def valid_triples() -> Triples:
    """The canonical graph of an assessment every shape accepts: 11 domains, a licence, a listed dataset."""
    parts = AssessmentParts(
        organisation=vocab.organisation(BASE, "24062"),
        date=ox.Literal("2024-05-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
        method=ox.NamedNode(f"{BASE}id/methode/zelfevaluatie"),
        licence=ox.NamedNode("https://creativecommons.org/licenses/by/4.0/"),
        domains=[DomainPart(ox.NamedNode(f"{BASE}id/maturiteitsdomein/{n}"),
                            ox.NamedNode(f"{BASE}id/maturiteitsniveau/gevorderd"),
                            ox.NamedNode(f"{BASE}id/noodniveau/redelijke-nood"), ox.Literal("plan", language="nl"))
                 for n in range(1, 12)],
        datasets=[ListedDataset(ox.Literal("Parkings"), ox.NamedNode("https://leuven.example/p.csv"), "text/csv",
                                "https://creativecommons.org/licenses/by/4.0/", False)])
    return build_triples(parts, ASSESSMENT, BASE)


def part(n: int) -> ox.NamedNode:
    return ox.NamedNode(f"{ASSESSMENT.value}/domein-{n}")


DATASET = ox.NamedNode(f"{ASSESSMENT.value}/dataset-1")


def setting(subject: ox.NamedNode, predicate: str, value) -> Callable[[Triples], Triples]:
    """The triples with `subject`'s values of `predicate` replaced by `value` (None: removed)."""
    def change(triples: Triples) -> Triples:
        kept = [t for t in triples if not (t.subject == subject and t.predicate.value == predicate)]
        return kept + ([ox.Triple(subject, ox.NamedNode(predicate), value)] if value is not None else [])
    return change


def adding(*extra: ox.Triple) -> Callable[[Triples], Triples]:
    return lambda triples: triples + list(extra)


def without_domain(n: int) -> Callable[[Triples], Triples]:
    return lambda triples: [t for t in triples if part(n) not in (t.subject, t.object)]


def twice(n: int) -> Callable[[Triples], Triples]:
    """A second part that scores domain `n`."""
    second = ox.NamedNode(f"{ASSESSMENT.value}/domein-{n}-nog-eens")
    return lambda triples: triples + [ox.Triple(ASSESSMENT, ox.NamedNode(ODM + "domainAssessment"), second)] + [
        ox.Triple(second, t.predicate, t.object) for t in triples if t.subject == part(n)]


def javascript() -> ox.NamedNode:
    return ox.NamedNode("javascript:alert(1)")


# (what is broken, the change, the English message of the shape it breaks)
VIOLATIONS = [
    ("no organisation", setting(ASSESSMENT, ODM + "assessedOrganisation", None),
     "An assessment is about exactly one organisation (odm:assessedOrganisation)."),
    ("no date", setting(ASSESSMENT, DCTERMS + "date", None),
     "An assessment has exactly one date, written YYYY-MM-DD."),
    ("a date without its zeros", setting(ASSESSMENT, DCTERMS + "date", ox.Literal(
        "2024-5-1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))),
     "An assessment's date is written as YYYY-MM-DD, without a time or time zone."),
    ("a method that is none", setting(ASSESSMENT, ODM + "method", ox.NamedNode(f"{BASE}id/methode/raden")),
     "An assessment has exactly one method: interview, survey or self-evaluation."),
    ("a javascript: licence", setting(ASSESSMENT, DCTERMS + "license", javascript()),
     "An assessment's licence must be one http or https URL."),
    ("no domain scored", lambda triples: [t for t in triples if t.predicate.value != ODM + "domainAssessment"],
     "An assessment scores at least one maturity domain."),
    *[(f"domain {n} twice", twice(n), f"Domain {n} ({name}) is scored more than once.")
      for n, name in DOMAIN_NAMES.items()],
    ("a domain that is none", setting(part(3), ODM + "domain", ox.NamedNode(f"{BASE}id/maturiteitsdomein/12")),
     "Every domain score is about exactly one of the 11 maturity domains."),
    ("a need level as maturity", setting(part(3), ODM + "maturityLevel", ox.NamedNode(f"{BASE}id/noodniveau/geen-nood")),
     "Every domain score has exactly one maturity level: not present, started, advanced or acquired."),
    ("a need level as maturity (its scheme)",
     setting(part(3), ODM + "maturityLevel", ox.NamedNode(f"{BASE}id/noodniveau/geen-nood")),
     "The maturity level is not from the scheme of maturity levels."),
    ("a maturity level as need", setting(part(3), ODM + "needLevel", ox.NamedNode(f"{BASE}id/maturiteitsniveau/verworven")),
     "Every domain score has exactly one need level: no, reasonable or strong need."),
    ("a maturity level as need (its scheme)",
     setting(part(3), ODM + "needLevel", ox.NamedNode(f"{BASE}id/maturiteitsniveau/verworven")),
     "The need level is not from the scheme of need levels."),
    ("evidence too long", setting(part(3), ODM + "evidence", ox.Literal("x" * 10_001, language="nl")),
     "The evidence is text of at most 10,000 characters."),
    ("evidence with a control character", setting(part(3), ODM + "evidence", ox.Literal("a\x07b", language="nl")),
     "The evidence contains a control character; only text, tab and line breaks are allowed."),
    ("a javascript: landing page", setting(DATASET, DCAT + "landingPage", javascript()),
     "A dataset's landing page must be one http or https URL."),
    ("a javascript: dataset licence", setting(DATASET, DCTERMS + "license", javascript()),
     "A dataset's licence must be one http or https URL."),
    ("a title with a control character", setting(DATASET, DCTERMS + "title", ox.Literal("Park\x1bings")),
     "A dataset's title contains a control character."),
    ("a media type with a control character", setting(DATASET, DCAT + "mediaType", ox.Literal("text/\x00csv")),
     "A dataset's media type contains a control character."),
]
WARNINGS = [(f"domain {n} not scored", without_domain(n), f"Domain {n} ({name}) is not scored.")
            for n, name in DOMAIN_NAMES.items()]


def as_submitted(triples: Triples) -> AssessmentParts | Invalid:
    """The API's RDF path: Turtle read and validated as a city's submission (refused: the error)."""
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)  # N-Triples is Turtle
    try:
        return parts_from_rdf(BASE, body, ox.RdfFormat.TURTLE, "en")
    except Invalid as refused:
        return refused


def as_submitted_report(triples: Triples) -> Report:
    """The report the RDF path validates a submission by: every shape, the whole model."""
    return validate_graph(to_rdflib(triples), BASE)


def as_canonical(triples: Triples) -> Report:
    """The CSV path: the canonical graph against the assessment shapes, as publish.validate_parts."""
    data = to_rdflib(triples)
    return validate_graph(data, BASE, background=assessment_background(data, BASE), shapes=assessment_shapes(BASE))


def violation_messages(report: Report) -> set[str]:
    return {finding.message("en") for finding in report.violations}


def test_the_unbroken_assessment_conforms_on_both_paths():
    assert as_canonical(valid_triples()).findings == []
    assert isinstance(as_submitted(valid_triples()), AssessmentParts)
    assert as_submitted_report(valid_triples()).findings == []


@pytest.mark.parametrize("broken, change, message", VIOLATIONS, ids=[v[0] for v in VIOLATIONS])
def test_a_submission_breaking_a_shape_is_refused_with_its_message(broken, change, message):
    refused = as_submitted(change(valid_triples()))
    assert isinstance(refused, Invalid) and refused.status == 422, broken
    assert message in violation_messages(refused.report), (broken, refused.detail)
    assert message in violation_messages(as_canonical(change(valid_triples()))), broken


@pytest.mark.parametrize("broken, change, message", WARNINGS, ids=[w[0] for w in WARNINGS])
def test_a_domain_not_scored_is_warned_about_on_both_paths(broken, change, message):
    assert isinstance(as_submitted(change(valid_triples())), AssessmentParts), broken
    for report in (as_canonical(change(valid_triples())), as_submitted_report(change(valid_triples()))):
        assert report.conforms, broken
        assert [finding.message("en") for finding in report.warnings] == [message], broken


def test_every_shape_of_the_assessment_shapes_is_broken_above():
    """The lists above name a submission for every message the assessment shapes give (those of the
    value shapes that only count a domain's parts are never reported)."""
    shapes = rdflib.Graph().parse(folder("shapes") / "assessment.ttl", format="turtle", publicID=BASE)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    counting = set(shapes.objects(None, sh.qualifiedValueShape))
    given = {str(message) for node, message in shapes.subject_objects(sh.message)
             if node not in counting and getattr(message, "language", None) == "en"}
    assert given == {message for _, _, message in VIOLATIONS + WARNINGS}
