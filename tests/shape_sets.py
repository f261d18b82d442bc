"""The official shape sets of ../shared/standards/ (DCAT-AP Vlaanderen 2.0, DCAT-AP 3.0.1) for pySHACL,
and a catalogue with published and withdrawn assessments to validate against them.

A fresh clone may not have ../shared beside it: `shapes(name)` then skips the test that asked, saying so.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyshacl
import pytest
import rdflib

STANDARDS = Path(__file__).resolve().parents[2] / "shared" / "standards"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")

# name -> the files validated together (range.ttl refers to shapes of shapes.ttl)
SHAPE_SETS = {
    "DCAT-AP VL 2.0 dcatapvl.jsonld": ["dcat-ap-vl/dcatapvl.jsonld"],
    "DCAT-AP VL 2.0 dcatapvl-usagenotes.jsonld": ["dcat-ap-vl/dcatapvl-usagenotes.jsonld"],
    "DCAT-AP VL 2.0 metadata_dcat.jsonld": ["dcat-ap-vl/metadata_dcat.jsonld"],
    "DCAT-AP 3.0.1 shapes.ttl": ["dcat-ap-3/shapes.ttl"],
    "DCAT-AP 3.0.1 shapes.ttl + range.ttl": ["dcat-ap-3/shapes.ttl", "dcat-ap-3/range.ttl"],
    "DCAT-AP 3.0.1 mdr-vocabularies.shape.ttl": ["dcat-ap-3/mdr-vocabularies.shape.ttl"],
    "DCAT-AP 3.0.1 shapes_recommended.ttl": ["dcat-ap-3/shapes_recommended.ttl"],
}


def require(*names: str) -> None:
    """Skips the calling test (or fixture) unless the files of the shape sets `names` (default: all) are
    in ../shared/standards."""
    missing = [file for name in (names or SHAPE_SETS) for file in SHAPE_SETS[name]
               if not (STANDARDS / file).exists()]
    if missing:
        pytest.skip(f"the official shapes are not here ({STANDARDS / missing[0]}): "
                    "put the shared/ folder beside the repository to run this test")


def shapes(name: str) -> rdflib.Graph:
    """The shape set `name`, or a skip of the calling test when ../shared/standards is absent."""
    require(name)
    return _load(name)


@lru_cache(maxsize=None)
def _load(name: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    for file in SHAPE_SETS[name]:
        graph.parse(STANDARDS / file, format="json-ld" if file.endswith(".jsonld") else "turtle")
    return graph


# Where a shape itself is at fault (docs/standards.md): DCAT-AP 3.0.1 mdr-vocabularies.shape.ttl,
# :ChecksumAlgorithmRestriction, `sh:pattern "^https://spdx.org/rdf/terms"`, rejects the SPDX IRI of SHA-256,
# http://spdx.org/rdf/terms#checksumAlgorithm_sha256 (SPDX's namespace is http:, as DCAT-AP 3.0.1 itself writes).
MDR = rdflib.Namespace("http://data.europa.eu/r5r#")
FAULTY_PATTERNS = {MDR.ChecksumAlgorithmRestriction}


def shape_fault(report: rdflib.Graph, result: rdflib.term.Node) -> bool:
    """Whether `result` comes only from a faulty pattern: it has details, and every one is a
    sh:pattern failure of a shape in FAULTY_PATTERNS."""
    details = list(report.objects(result, SH.detail))
    return bool(details) and all(
        report.value(detail, SH.sourceConstraintComponent) == SH.PatternConstraintComponent
        and report.value(detail, SH.sourceShape) in FAULTY_PATTERNS for detail in details)


def results(data: rdflib.Graph, name: str, severity: str = "Violation", excuse_faults: bool = True) -> list[str]:
    """One line per validation result of `severity` (Violation, Warning, Info): the focus node, the
    path, the value and the message. Results caused only by a faulty shape are left out unless
    `excuse_faults` is false."""
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes(name), inference="none",
                                                allow_warnings=True)
    found = []
    for result in report.objects(None, SH.result):  # the results, not the details nested in them
        if report.value(result, SH.resultSeverity) != SH[severity]:
            continue
        if excuse_faults and shape_fault(report, result):
            continue
        values = [report.value(result, key) for key in (SH.focusNode, SH.resultPath, SH.value,
                                                         SH.resultMessage)]
        found.append(" | ".join(str(value) for value in values))
    return sorted(found)


PUBLISHERS = ("24062", "44021", "11002")


def catalogue_documents(client, tokens_of: dict[str, str]) -> dict[str, rdflib.Graph]:
    """Publish two dates for each of PUBLISHERS through the API, withdraw one version, then read the
    whole catalogue and every page of it as a harvester would (RDF/XML, what the Flemish harvester
    reads); returns each document by its path."""
    from odmld.resources import folder

    body = (folder("data") / "examples" / "assessment.csv").read_bytes()
    for organisation in PUBLISHERS:
        for date in ("2023-01-01", "2024-01-01"):
            response = client.post(f"/api/assessments?date={date}&org={organisation}", data=body, headers={
                "Content-Type": "text/csv", "Authorization": f"Bearer {tokens_of[organisation]}"})
            assert response.status_code == 201, response.data
    response = client.delete(f"/api/assessments/{PUBLISHERS[0]}/2024-01-01/v1?reason=dubbel ingevoerd",
                             headers={"Authorization": f"Bearer {tokens_of[PUBLISHERS[0]]}"})
    assert response.status_code == 200, response.data
    documents, page = {}, "/catalog.rdf?page=1"
    while page:
        documents[page] = _rdfxml(client, page)
        following = list(documents[page].objects(None, rdflib.Namespace("http://www.w3.org/ns/hydra/core#").next))
        page = "/" + str(following[0]).split("/", 3)[3] if following else None
    documents["/catalog/volledig.rdf"] = _rdfxml(client, "/catalog/volledig.rdf")
    return documents


def _rdfxml(client, path: str) -> rdflib.Graph:
    response = client.get(path, headers={"Accept": "application/rdf+xml"})
    assert response.status_code == 200, response.data
    return rdflib.Graph().parse(data=response.data, format="xml")
