"""One code path for every way a city submits an assessment: the write API and the self-assessment form.

`submit` takes the body, its media type and the request's parameters, and either publishes the next
version or raises what is wrong (odmld.errors: 400 unreadable, 403, 415, 422 invalid), with problems
(`extra["violations"]`) that name the row or domain at fault, worded in the language asked for. It
knows nothing of Flask: the web's one error handler answers the error, the form places its problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import pyoxigraph as ox

from .csv import CsvUnreadable, parse_csv
from .graph import AssessmentParts, DomainPart, SubmissionProblem, parts_from_graph
from ..errors import BadRequest, Forbidden, Invalid, OdmldError, UnsupportedMediaType
from ..loading import syntax_message
from .model_levels import levels
from .publish import Published, publish, to_rdflib, validate_parts
from ..store_api import Store
from .problems import detail_of, future_date_problem, plain_problems
from ..user_text import identifier, plain_date
from ..validation import Report, validate_graph
from .. import vocab
from ..vocab import XSD_DATE

RDF_INPUTS = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD}
MEDIA_TYPES = ("text/csv", *RDF_INPUTS)


@dataclass
class Outcome:
    report: Report
    published: Published


def refused(kind: type[OdmldError], detail: str, lang: str, problems: list[dict[str, Any]] | None = None,
            report: Report | None = None) -> OdmldError:
    """The error that refuses a submission: `detail` in `lang`, the problems as `violations`, and the
    SHACL report (for the API's Turtle answer) as `report`."""
    error = kind({lang: detail}, extra={"violations": problems} if problems else None)
    if report is not None:
        error.report = report  # type: ignore[attr-defined] - an Invalid's
    return error


def submit(store: Store, organisation_id: str, media: str, body: bytes,
           values: Mapping[str, str], lang: str) -> Outcome:
    """Validate and publish; nothing is written unless everything is valid."""
    if media not in MEDIA_TYPES:
        raise refused(UnsupportedMediaType, "stuur text/csv, text/turtle of application/ld+json"
                      if lang == "nl" else "send text/csv, text/turtle or application/ld+json", lang)
    read = (parts_from_csv(store, body, values, organisation_id, lang) if media == "text/csv"
            else parts_from_rdf(store.base_uri, body, RDF_INPUTS[media], lang))
    field = "date" if media == "text/csv" else "dcterms:date"
    if not plain_date(read.date.value):
        message = (f"{read.date.value!r} is geen datum geschreven als JJJJ-MM-DD" if lang == "nl"
                   else f"{read.date.value!r} is not a date written YYYY-MM-DD")
        raise refused(Invalid, f"{field}: {message}", lang,
                      problems=[{"field": field, "value": read.date.value, "message": message}])
    future = future_date_problem(read.date.value, lang)
    if future is not None:
        raise refused(Invalid, f"{field}: {future}", lang,
                      problems=[{"field": field, "value": read.date.value, "message": future}])
    if read.organisation != vocab.organisation(store.base_uri, organisation_id):
        raise refused(Forbidden,
                      f"deze schrijfsleutel schrijft alleen voor organisatie {organisation_id}, niet voor "
                      f"{read.organisation.value}" if lang == "nl" else
                      f"this token writes for organisation {organisation_id} only, "
                      f"not for {read.organisation.value}", lang)
    report = validate_parts(read, store.base_uri)
    if not report.conforms:
        raise invalid(report, lang, store.base_uri, csv=media == "text/csv")
    return Outcome(report=report, published=publish(store, read, organisation_id))


def parts_from_csv(store: Store, body: bytes, values: Mapping[str, str], organisation_id: str,
                   lang: str) -> AssessmentParts:
    """CSV rows from the body; organisation (default: the token's), date and method from `values`."""
    try:
        parsed = parse_csv(body.decode("utf-8"), levels(store.base_uri))
    except UnicodeDecodeError:
        raise refused(BadRequest, "de CSV is geen UTF-8-tekst" if lang == "nl"
                      else "the CSV is not UTF-8 text", lang) from None
    except CsvUnreadable as error:
        raise refused(BadRequest, error.message(lang), lang) from None
    if parsed.problems:
        problems = [{"row": p.row, "column": p.column, "value": p.value,
                     "message": p.message_nl if lang == "nl" else p.message_en} for p in parsed.problems]
        detail = "; ".join(row_words(p, lang) for p in problems)
        raise refused(Invalid, detail, lang, problems=problems)
    base = store.base_uri
    organisation = values.get("organisation") or values.get("org") or organisation_id
    method = values.get("method") or "zelfevaluatie"
    licence = (values.get("licence") or values.get("license") or "").strip()
    try:
        licence_iri = ox.NamedNode(licence) if licence else None
    except ValueError:  # the shapes say which IRIs are allowed; this is not an IRI at all
        raise refused(Invalid, f"de licentie moet de URL van de licentie zijn, niet {licence!r}"
                      if lang == "nl" else f"licence must be the licence's URL, got {licence!r}", lang) from None
    return AssessmentParts(
        licence=licence_iri,
        organisation=vocab.organisation(base, identifier(organisation) or "-"),
        date=ox.Literal(values.get("date", ""), datatype=XSD_DATE),
        method=vocab.method(base, identifier(method) or "-"),
        domains=[DomainPart(vocab.domain(base, s.domain), s.maturity, s.need,
                            ox.Literal(s.evidence, language="nl") if s.evidence else None)
                 for s in parsed.scores])


def parts_from_rdf(base_uri: str, body: bytes, rdf_format: ox.RdfFormat,
                   lang: str) -> AssessmentParts:
    try:
        quads = list(ox.parse(body, format=rdf_format, base_iri=base_uri))
        unreadable = None
    except SyntaxError as error:
        unreadable = refused(BadRequest, unparsable(syntax_message(error), rdf_format, lang), lang)
    except (ValueError, OSError) as error:
        unreadable = refused(BadRequest, unparsable(str(error), rdf_format, lang), lang)
    if unreadable is not None or rdf_format == ox.RdfFormat.JSON_LD:
        # a JSON-LD parser drops a value with an ill-formed language tag or IRI without a word, and
        # Turtle's calls a well-formed-looking tag a syntax error: both are a field the city got wrong
        problems = ill_formed_terms(body, rdf_format, base_uri, lang)
        if problems:
            raise refused(Invalid, "; ".join(p["message"] for p in problems), lang, problems=problems)
    if unreadable is not None:
        raise unreadable
    submitted = to_rdflib([ox.Triple(q.subject, q.predicate, q.object) for q in quads])
    report = validate_graph(submitted, base_uri)
    if not report.conforms:
        raise invalid(report, lang, base_uri, graph=submitted)
    try:
        return parts_from_graph(quads, base_uri)
    except SubmissionProblem as error:
        raise refused(Invalid, error.message(lang), lang) from None


def invalid(report: Report, lang: str, base_uri: str, graph=None, csv: bool = False) -> OdmldError:
    """422 with the SHACL findings; each problem names the part at fault in words (the assessment,
    domain 4, a dataset), its field and value, never a blank node."""
    problems = plain_problems(report, lang, base_uri, graph=graph, csv=csv)
    return refused(Invalid, detail_of(problems, lang), lang, problems=problems, report=report)


def row_words(problem: dict[str, Any], lang: str) -> str:
    """`rij 2, kolom domain ('12'): …` / `row 2, column domain ('12'): …`."""
    row, column = ("rij", "kolom") if lang == "nl" else ("row", "column")
    return f"{row} {problem['row']}, {column} {problem['column']} ({problem['value']!r}): {problem['message']}"


def unparsable(message: str, rdf_format: ox.RdfFormat, lang: str) -> str:
    """The parser's own words (English, with the line and column) after a sentence in `lang`."""
    name = "JSON-LD" if rdf_format == ox.RdfFormat.JSON_LD else "Turtle"
    return (f"de inzending is geen geldige {name} (melding van de parser: {message})" if lang == "nl"
            else f"the submission is not valid {name}: {message}")


def ill_formed_terms(body: bytes, rdf_format: ox.RdfFormat, base_uri: str, lang: str) -> list[dict[str, Any]]:
    """The language tags and IRIs of a submission that are not well-formed, each naming its field.

    Read with the parser's lenient mode, which keeps what the strict one drops or refuses; every term it
    gives is checked again by building it strictly. Only a report: the data published is always what the
    strict parser read."""
    problems: list[dict[str, Any]] = []
    try:
        for quad in ox.parse(body, format=rdf_format, base_iri=base_uri, lenient=True):
            for term in (quad.subject, quad.predicate, quad.object):
                problem = ill_formed(term)
                if problem is not None:
                    problems.append(term_problem(field_name(quad.predicate, base_uri), *problem, lang))
    except (SyntaxError, ValueError, OSError):
        pass  # unreadable even leniently: the strict parser's message says where
    return problems


def ill_formed(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> tuple[str, str] | None:
    """("language", tag) or ("iri", text) when a term could not have been built strictly."""
    try:
        if isinstance(term, ox.Literal) and term.language is not None:
            ox.Literal(term.value, language=term.language)
        elif isinstance(term, ox.NamedNode):
            ox.NamedNode(term.value)
    except ValueError:
        return ("language", term.language) if isinstance(term, ox.Literal) else ("iri", term.value)
    return None


def term_problem(field: str, kind: str, value: str, lang: str) -> dict[str, Any]:
    if kind == "language":
        message = (f"{field}: {value!r} is geen taalcode (BCP 47, zoals nl of en)" if lang == "nl"
                   else f"{field}: {value!r} is not a language tag (BCP 47, such as nl or en)")
    else:
        message = (f"{field}: {value!r} is geen geldige IRI" if lang == "nl"
                   else f"{field}: {value!r} is not a valid IRI")
    return {"field": field, "value": value, "message": message}


FIELD_PREFIXES = {"http://purl.org/dc/terms/": "dcterms:", "http://www.w3.org/ns/dcat#": "dcat:"}


def field_name(predicate: ox.NamedNode, base_uri: str) -> str:
    """A property as a city writes it: odm:evidence, dcterms:title, dcat:landingPage."""
    for namespace, prefix in ((vocab.odm_namespace(base_uri), "odm:"), *FIELD_PREFIXES.items()):
        if predicate.value.startswith(namespace):
            return prefix + predicate.value[len(namespace):]
    return predicate.value
