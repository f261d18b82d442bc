"""What a /doc/ page shows besides its property table: the facts an assessment page opens with, the
charter as a numbered list, a domain's definition, and the names people read for well-known properties.

Each reads one bounded query in the page's language (Dutch where the data has no English).
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from markupsafe import Markup, escape

from .i18n import said
from ..vocab import RDF_TYPE

SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"

# notes for the people who keep the data (SKOS: "for editors"), not for the public pages; the RDF
# formats keep them
HIDDEN_ON_PAGES = {SKOS + "editorialNote", SKOS + "changeNote", SKOS + "historyNote"}

# names for properties of other vocabularies, whose labels the store does not hold
PROPERTY_NAMES = {
    SKOS + "prefLabel": ("naam", "name"), SKOS + "altLabel": ("andere naam", "other name"),
    SKOS + "definition": ("definitie", "definition"), SKOS + "notation": ("nummer", "number"),
    SKOS + "scopeNote": ("toelichting", "scope note"), SKOS + "note": ("opmerking", "note"),
    SKOS + "inScheme": ("in schema", "in scheme"), SKOS + "topConceptOf": ("topconcept van", "top concept of"),
    SKOS + "hasTopConcept": ("topconcepten", "top concepts"), SKOS + "closeMatch": ("nauw verwant", "close match"),
    SKOS + "exactMatch": ("zelfde als", "exact match"), SKOS + "broadMatch": ("ruimer verwant", "broad match"),
    DCT + "source": ("bron", "source"), DCT + "identifier": ("identificator", "identifier"),
    DCT + "title": ("titel", "title"), DCT + "description": ("beschrijving", "description"),
    DCT + "date": ("datum", "date"), DCT + "license": ("licentie", "licence"),
    DCT + "audience": ("doelpubliek", "audience"), DCT + "publisher": ("uitgever", "publisher"),
    RDF_TYPE.value: ("soort", "type"), RDFS + "label": ("label", "label"), RDFS + "seeAlso": ("zie ook", "see also"),
    RDFS + "comment": ("omschrijving", "comment"),
    "http://www.w3.org/2002/07/owl#versionInfo": ("versie", "version"),
    "http://www.w3.org/ns/prov#generatedAtTime": ("gepubliceerd op", "published at"),
    "http://www.w3.org/ns/prov#wasRevisionOf": ("herziening van", "revision of"),
    "http://www.w3.org/ns/org#classification": ("soort organisatie", "kind of organisation"),
    "http://data.vlaanderen.be/ns/besluit#werkingsgebied": ("werkingsgebied", "area of operation"),
}


# and for the classes of other vocabularies a resource is typed with
CLASS_NAMES = {
    SKOS + "Concept": ("begrip", "concept"), SKOS + "ConceptScheme": ("begrippenschema", "concept scheme"),
    "http://www.w3.org/ns/org#Organization": ("organisatie", "organisation"),
    "http://data.vlaanderen.be/ns/besluit#Bestuurseenheid": ("bestuurseenheid", "administrative unit"),
    "http://xmlns.com/foaf/0.1/Document": ("document", "document"),
    DCT + "BibliographicResource": ("bibliografische bron", "bibliographic resource"),
    "http://www.w3.org/ns/dcat#Dataset": ("dataset", "dataset"),
    "http://www.w3.org/ns/dcat#Catalog": ("catalogus", "catalogue"),
    "http://www.w3.org/ns/prov#Entity": ("entiteit (PROV)", "entity (PROV)"),
}


def property_name(iri: str, lang: str) -> str | None:
    """A name for a property or class of another vocabulary, whose label the store does not hold."""
    names = PROPERTY_NAMES.get(iri) or CLASS_NAMES.get(iri)
    return None if names is None else names[0 if lang == "nl" else 1]


def charter_principles(rows: list[dict[str, Any]], domains: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of `charter-page` as one entry per principle (in charter order) with its domains,
    named from the rows of `domains`."""
    names = {d["domain"].value: d["label"] for d in domains}
    principles: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = principles.setdefault(row["principle"].value, {
            "principle": row["principle"], "notation": row["notation"].value, "label": row.get("label"),
            "domains": []})
        if "domain" in row:
            entry["domains"].append({"domain": row["domain"], "notation": row["domain_notation"].value,
                                     "label": names.get(row["domain"].value)})
    return sorted(principles.values(), key=lambda p: int(p["notation"]))


def domain_opening(rows: list[dict[str, Any]], charter: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The rows of `domain-page` as the definition and the principles a domain's page opens with, the
    principles named from the rows of `charter-page`."""
    if not rows:
        return None
    names = {p["principle"].value: p.get("label") for p in charter}
    return {"notation": rows[0]["notation"].value, "definition": rows[0].get("definition"),
            "principles": [{"principle": r["principle"], "notation": r["principle_notation"].value,
                            "label": names.get(r["principle"].value)} for r in rows if "principle" in r]}


def assessment_title(header: dict[str, Any], t: Any, lang: str) -> tuple[str, Markup]:
    """An assessment in words (whose, of when, which version): as text for the window title, and as
    markup for the heading, where a name kept in Dutch on an English page says it is Dutch."""
    words = t("assessment_title")
    values = {"date": header["date"].value, "version": header["version"].value}
    return (words.format(name=header["name"].value, **values),
            Markup(escape(words)).format(name=said(header["name"], lang), **values))


def is_named(term: Any) -> bool:
    return isinstance(term, ox.NamedNode)
