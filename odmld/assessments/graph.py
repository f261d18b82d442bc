"""An assessment as RDF: one canonical shape, whatever the format it was submitted in.

A submission (CSV rows, or Turtle / JSON-LD in the ontology's terms) is reduced to its parts
(organisation, date, method, per-domain levels and evidence) and built again here, so the same assessment
gives the same graph in every format, and every version gets an IRI odmld mints:
`id/inschatting/{organisation id}/{date}/v{n}`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pyoxigraph as ox

from .. import vocab
from ..sparql import library as queries
from ..vocab import RDF_TYPE

DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
DCAT = "http://www.w3.org/ns/dcat#"
OWL_VERSION = ox.NamedNode("http://www.w3.org/2002/07/owl#versionInfo")


@dataclass(frozen=True)
class DomainPart:
    domain: ox.NamedNode
    maturity: ox.NamedNode
    need: ox.NamedNode
    evidence: ox.Literal | None


@dataclass(frozen=True)
class ListedDataset:
    """An open dataset the city lists: what the 5-star rules read."""
    title: ox.Literal
    url: ox.NamedNode
    media: str
    licence: str | None
    links: bool


@dataclass
class AssessmentParts:
    organisation: ox.NamedNode
    date: ox.Literal
    method: ox.NamedNode
    domains: list[DomainPart] = field(default_factory=list)
    datasets: list[ListedDataset] = field(default_factory=list)
    licence: ox.NamedNode | None = None   # the city's choice for its assessment


class SubmissionProblem(ValueError):
    """The submission holds no single readable assessment: the message in English (str) and Dutch."""

    def __init__(self, en: str, nl: str) -> None:
        super().__init__(en)
        self.en, self.nl = en, nl

    def message(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en


def parts_from_graph(quads: list[ox.Quad], base_uri: str) -> AssessmentParts:
    """Read the one assessment a Turtle / JSON-LD submission describes."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    rows = list(scratch.query(queries.get("submission-parts").text, base_iri=base_uri))
    assessments = {row["assessment"] for row in rows}
    if len(assessments) != 1:
        raise SubmissionProblem(
            f"the submission must describe exactly one odm:Assessment with organisation, date, method "
            f"and scored domains; found {len(assessments)}",
            f"de inzending moet precies één odm:Assessment beschrijven, met organisatie, datum, methode "
            f"en gescoorde domeinen; gevonden: {len(assessments)}")
    first = rows[0]
    parts = AssessmentParts(organisation=first["organisation"], date=first["date"], method=first["method"],
                            licence=first["licence"] if isinstance(first["licence"], ox.NamedNode) else None)
    seen = set()
    for row in rows:
        key = (row["domain"], row["maturity"], row["need"])
        if key not in seen:
            seen.add(key)
            parts.domains.append(DomainPart(row["domain"], row["maturity"], row["need"], row["evidence"]))
    for row in scratch.query(queries.get("submission-datasets").text, base_iri=base_uri):
        if not isinstance(row["url"], ox.NamedNode):
            raise SubmissionProblem("a listed dataset's dcat:landingPage must be a URL",
                                    "de dcat:landingPage van een dataset moet een URL zijn")
        if row["licence"] is not None and not isinstance(row["licence"], ox.NamedNode):
            raise SubmissionProblem("a listed dataset's dcterms:license must be a URL",
                                    "de dcterms:license van een dataset moet een URL zijn")
        parts.datasets.append(ListedDataset(
            title=row["title"], url=row["url"], media=row["media"].value,
            licence=row["licence"].value if row["licence"] is not None else None,
            links=row["links"] is not None and row["links"].value == "true"))
    return parts


def ordered_datasets(parts: AssessmentParts) -> list[tuple[int, ListedDataset]]:
    """The listed datasets numbered as their nodes are minted (`{assessment}/dataset-{n}`)."""
    return list(enumerate(sorted(parts.datasets, key=lambda d: d.url.value), start=1))


def build_triples(parts: AssessmentParts, iri: ox.NamedNode, base_uri: str) -> list[ox.Triple]:
    """The canonical triples of an assessment (without version provenance)."""
    triples = [
        ox.Triple(iri, RDF_TYPE, vocab.odm(base_uri, "Assessment")),
        ox.Triple(iri, vocab.odm(base_uri, "assessedOrganisation"), parts.organisation),
        ox.Triple(iri, ox.NamedNode(DCTERMS + "date"), parts.date),
        ox.Triple(iri, vocab.odm(base_uri, "method"), parts.method),
    ]
    if parts.licence is not None:
        triples.append(ox.Triple(iri, ox.NamedNode(DCTERMS + "license"), parts.licence))
    for part in sorted(parts.domains, key=lambda p: p.domain.value):
        notation = vocab.notation(part.domain)
        node = vocab.domain_assessment(iri, notation)
        triples += [
            ox.Triple(iri, vocab.odm(base_uri, "domainAssessment"), node),
            ox.Triple(node, RDF_TYPE, vocab.odm(base_uri, "DomainAssessment")),
            ox.Triple(node, vocab.odm(base_uri, "domain"), part.domain),
            ox.Triple(node, vocab.odm(base_uri, "maturityLevel"), part.maturity),
            ox.Triple(node, vocab.odm(base_uri, "needLevel"), part.need),
        ]
        if part.evidence is not None and part.evidence.value:
            triples.append(ox.Triple(node, vocab.odm(base_uri, "evidence"), part.evidence))
    for number, listed in ordered_datasets(parts):
        node = vocab.listed_dataset(iri, number)
        triples += [
            ox.Triple(iri, vocab.odm(base_uri, "listedDataset"), node),
            ox.Triple(node, RDF_TYPE, ox.NamedNode(DCAT + "Dataset")),
            ox.Triple(node, ox.NamedNode(DCTERMS + "title"), listed.title),
            ox.Triple(node, ox.NamedNode(DCAT + "landingPage"), listed.url),
            ox.Triple(node, ox.NamedNode(DCAT + "mediaType"), ox.Literal(listed.media)),
            ox.Triple(node, vocab.odm(base_uri, "linksToOtherData"),
                      vocab.boolean(listed.links)),
        ]
        if listed.licence:
            triples.append(ox.Triple(node, ox.NamedNode(DCTERMS + "license"), ox.NamedNode(listed.licence)))
    return triples


SUBMITTED = ox.NamedNode("urn:odmld:submission")  # stands for the version IRI in a digest


def submission_digest(parts: AssessmentParts, base_uri: str) -> str:
    """SHA-256 of the canonical triples of `parts` (the same in every format a city may send): two
    submissions with the same digest say the same thing."""
    lines = sorted(str(triple) for triple in build_triples(parts, SUBMITTED, base_uri))
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def version_triples(iri: ox.NamedNode, version: int, previous: ox.NamedNode | None,
                    generated_at: str, digest: str | None = None,
                    base_uri: str | None = None) -> list[ox.Triple]:
    """Provenance of one stored version: its number, when, which version it revises, and the digest
    of what was submitted (odm:submissionDigest)."""
    triples = [
        ox.Triple(iri, OWL_VERSION, vocab.integer(version)),
        ox.Triple(iri, ox.NamedNode(PROV + "generatedAtTime"),
                  vocab.date_time(generated_at)),
    ]
    if digest is not None and base_uri is not None:
        triples.append(ox.Triple(iri, vocab.odm(base_uri, "submissionDigest"), ox.Literal(digest)))
    if previous is not None:
        triples.append(ox.Triple(iri, ox.NamedNode(PROV + "wasRevisionOf"), previous))
    return triples
