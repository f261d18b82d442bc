"""One code path for every way a city submits an assessment: the write API and the self-assessment form.

`submit` takes the body, its media type and the request's parameters, and either publishes the next
version or says what is wrong, as an HTTP status with problems that name the row or domain at fault.
It knows nothing of Flask: the API turns the outcome into JSON or Turtle, the form into a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import pyoxigraph as ox

from .assessment_csv import CsvUnreadable, level_lookup, parse_csv
from .assessment_graph import AssessmentParts, DomainPart, SubmissionProblem, parts_from_graph
from .loading import syntax_message
from .publishing import Published, organisation_iri, publish, to_rdflib, validate_parts
from .store_api import Store
from .user_text import identifier
from .validation import Report, validate_graph

RDF_INPUTS = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD}
MEDIA_TYPES = ("text/csv", *RDF_INPUTS)
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")


@dataclass
class Outcome:
    status: int
    title: str = ""
    detail: str = ""
    problems: list[dict[str, Any]] = field(default_factory=list)
    report: Report | None = None
    published: Published | None = None


def submit(store: Store, organisation_id: str, media: str, body: bytes,
           values: Mapping[str, str], lang: str) -> Outcome:
    """Validate and publish; nothing is written unless everything is valid."""
    if media not in MEDIA_TYPES:
        return Outcome(415, "Unsupported Media Type", "send text/csv, text/turtle or application/ld+json")
    read = (parts_from_csv(store, body, values, organisation_id, lang) if media == "text/csv"
            else parts_from_rdf(store.base_uri, body, RDF_INPUTS[media], lang))
    if isinstance(read, Outcome):
        return read
    if read.organisation != organisation_iri(store.base_uri, organisation_id):
        return Outcome(403, "Forbidden", f"this token writes for organisation {organisation_id} only, "
                       f"not for {read.organisation.value}")
    report = validate_parts(read, store.base_uri)
    if not report.conforms:
        return invalid(report, lang)
    return Outcome(201, "Created", report=report, published=publish(store, read, organisation_id))


def parts_from_csv(store: Store, body: bytes, values: Mapping[str, str], organisation_id: str,
                   lang: str) -> AssessmentParts | Outcome:
    """CSV rows from the body; organisation (default: the token's), date and method from `values`."""
    try:
        parsed = parse_csv(body.decode("utf-8"), level_lookup(store))
    except UnicodeDecodeError:
        return Outcome(400, "Bad Request", "the CSV is not UTF-8 text")
    except CsvUnreadable as error:
        return Outcome(400, "Bad Request", str(error))
    if parsed.problems:
        problems = [{"row": p.row, "column": p.column, "value": p.value,
                     "message": p.message_nl if lang == "nl" else p.message_en} for p in parsed.problems]
        detail = "; ".join(f"row {p['row']} {p['column']} {p['value']!r}: {p['message']}" for p in problems)
        return Outcome(422, "Unprocessable Content", detail, problems=problems)
    base = store.base_uri
    organisation = values.get("organisation") or values.get("org") or organisation_id
    method = values.get("method") or "zelfevaluatie"
    licence = (values.get("licence") or values.get("license") or "").strip()
    try:
        licence_iri = ox.NamedNode(licence) if licence else None
    except ValueError:  # the shapes say which IRIs are allowed; this is not an IRI at all
        return Outcome(422, "Unprocessable Content",
                       f"de licentie moet de URL van de licentie zijn, niet {licence!r}" if lang == "nl"
                       else f"licence must be the licence's URL, got {licence!r}")
    return AssessmentParts(
        licence=licence_iri,
        organisation=organisation_iri(base, identifier(organisation) or "-"),
        date=ox.Literal(values.get("date", ""), datatype=XSD_DATE),
        method=ox.NamedNode(f"{base}id/methode/{identifier(method) or '-'}"),
        domains=[DomainPart(ox.NamedNode(f"{base}id/maturiteitsdomein/{s.domain}"), s.maturity, s.need,
                            ox.Literal(s.evidence, language="nl") if s.evidence else None)
                 for s in parsed.scores])


def parts_from_rdf(base_uri: str, body: bytes, rdf_format: ox.RdfFormat,
                   lang: str) -> AssessmentParts | Outcome:
    try:
        quads = list(ox.parse(body, format=rdf_format, base_iri=base_uri))
    except SyntaxError as error:
        return Outcome(400, "Bad Request", f"the submission does not parse: {syntax_message(error)}")
    except (ValueError, OSError) as error:
        return Outcome(400, "Bad Request", f"the submission does not parse: {error}")
    report = validate_graph(to_rdflib([ox.Triple(q.subject, q.predicate, q.object) for q in quads]),
                            base_uri)
    if not report.conforms:
        return invalid(report, lang)
    try:
        return parts_from_graph(quads, base_uri)
    except SubmissionProblem as error:
        return Outcome(422, "Unprocessable Content", str(error))


def invalid(report: Report, lang: str) -> Outcome:
    """422 with the SHACL findings; each problem names its focus (the domain part) and value."""
    problems = [{"severity": f.severity, "focus": f.focus, "path": f.path, "value": f.value,
                 "domain": domain_of(f.focus), "message": f.message(lang)} for f in report.violations]
    detail = "; ".join(f"{p['focus']}: {p['message']}" + (f" ({p['value']})" if p["value"] else "")
                       for p in problems)
    return Outcome(422, "Unprocessable Content", detail, problems=problems, report=report)


def domain_of(focus: str | None) -> str | None:
    """The domain number of a canonical domain part (`.../domein-4` -> "4"), else None."""
    if focus and "/domein-" in focus:
        return focus.rsplit("/domein-", 1)[1]
    return None
