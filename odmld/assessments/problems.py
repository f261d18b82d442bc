"""What is wrong with a submission, in plain words: the part at fault (the assessment, domain 4, a
listed dataset) and the field, never a blank node's label or a datatype's IRI.

SHACL names the focus of a finding: in a Turtle or JSON-LD submission that is usually a blank node
(`_:N3f…`), which means nothing to the person who wrote the file. The part is read from the submitted
graph instead: a node with an `odm:domain` is that domain's score, the `odm:Assessment` is the
assessment, a listed dataset is named by its title. A CSV submission is validated as its canonical
graph, whose IRIs say the part (`…/concept/domein-4`), and its fields are the request's parameters.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import rdflib

from .. import vocab
from ..validation import Finding, Report

FIELD_PREFIXES = {"http://purl.org/dc/terms/": "dcterms:", "http://www.w3.org/ns/dcat#": "dcat:",
                  "http://www.w3.org/2004/02/skos/core#": "skos:"}
# a CSV's assessment fields are the request's parameters
CSV_PARAMETERS = {"dcterms:date": "date", "odm:method": "method", "dcterms:license": "licence",
                  "odm:assessedOrganisation": "organisation"}
DCTERMS_TITLE = rdflib.URIRef("http://purl.org/dc/terms/title")


def plain_problems(report: Report, lang: str, base_uri: str, graph: rdflib.Graph | None = None,
                   csv: bool = False) -> list[dict[str, Any]]:
    """One problem per violation: `part` in words, `field`, `value`, `message`, and `domain` (its
    number) where the part is a domain's score."""
    problems = []
    for finding in report.violations:
        part = part_of(finding.focus, graph, base_uri)
        problem: dict[str, Any] = {"severity": finding.severity, "part": words(part, lang),
                                   "field": field_of(finding, base_uri, csv),
                                   "value": finding.value, "message": finding.message(lang)}
        if part.get("domain") is not None:
            problem["domain"] = part["domain"]
        if part.get("dataset"):
            problem["dataset"] = part["dataset"]
        problems.append(problem)
    return problems


def detail_of(problems: list[dict[str, Any]], lang: str) -> str:
    """The problems as one line: `domein 4: <message> (waarde: …)`."""
    value_word = "waarde" if lang == "nl" else "value"
    return "; ".join(f"{p['part']}: {p['message']}" + (f" ({value_word}: {p['value']})" if p["value"] else "")
                     for p in problems)


def part_of(focus: str | None, graph: rdflib.Graph | None, base_uri: str) -> dict[str, Any]:
    """{"kind": "assessment"} / {"kind": "domain", "domain": 4} / {"kind": "dataset", ...}."""
    focus = focus or ""
    if "/domein-" in focus:
        return {"kind": "domain", "domain": number(focus.rsplit("/domein-", 1)[1])}
    if "/dataset-" in focus:
        return {"kind": "dataset", "dataset": focus.rsplit("/dataset-", 1)[1]}
    node = node_of(focus, base_uri)
    if graph is not None and node is not None:
        domain = graph.value(node, rdflib.URIRef(vocab.odm(base_uri, "domain").value))
        if domain is not None:
            return {"kind": "domain", "domain": number(vocab.notation(str(domain)))}
        if (node, rdflib.RDF.type, rdflib.URIRef(vocab.odm(base_uri, "DomainAssessment").value)) in graph:
            return {"kind": "domain", "domain": None}
        if (None, rdflib.URIRef(vocab.odm(base_uri, "listedDataset").value), node) in graph:
            return {"kind": "dataset", "dataset": str(graph.value(node, DCTERMS_TITLE) or "")}
    return {"kind": "assessment"}


def words(part: dict[str, Any], lang: str) -> str:
    nl = lang == "nl"
    if part["kind"] == "domain":
        if part["domain"] is None:
            return "een domeinscore zonder domein" if nl else "a domain score without a domain"
        return f"{'domein' if nl else 'domain'} {part['domain']}"
    if part["kind"] == "dataset":
        return (f"de dataset {part['dataset']!r}" if nl else f"the dataset {part['dataset']!r}") \
            if part["dataset"] else ("een dataset" if nl else "a dataset")
    return "de inschatting" if nl else "the assessment"


def field_of(finding: Finding, base_uri: str, csv: bool) -> str | None:
    """The property at fault as a city writes it (odm:maturityLevel, dcterms:date; the first step of a
    path), or for a CSV the request parameter (date, method)."""
    if not finding.path:
        return None
    name = short_field(finding.path, base_uri)
    return CSV_PARAMETERS.get(name, name) if csv else name


def short_field(path: str, base_uri: str) -> str:
    """`ns/odm#maturityLevel/http://…skos…#inScheme` -> `odm:maturityLevel` (local names hold no /)."""
    for namespace, prefix in (("ns/odm#", "odm:"), (vocab.odm_namespace(base_uri), "odm:"), *FIELD_PREFIXES.items()):
        if path.startswith(namespace):
            return prefix + path[len(namespace):].split("/", 1)[0]
    return path


def node_of(focus: str, base_uri: str) -> rdflib.term.Node | None:
    if focus.startswith("_:"):
        return rdflib.BNode(focus[2:])
    if focus:
        return rdflib.URIRef(focus if "://" in focus else vocab.resolve(base_uri, focus).value)
    return None


def number(text: str) -> int | str:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else text


def today_in_flanders() -> date:
    """Today's date where the assessed governments are (Central European time; summer time counted,
    so a date is never refused as future while it is already that day in Belgium)."""
    return (datetime.now(timezone.utc) + timedelta(hours=2)).date()


def future_date_problem(text: str, lang: str) -> str | None:
    """A message when the date (already read as YYYY-MM-DD) is after today, else None."""
    if date.fromisoformat(text) <= today_in_flanders():
        return None
    return (f"de datum {text} ligt in de toekomst: een inschatting beschrijft wat al is" if lang == "nl"
            else f"the date {text} is in the future: an assessment describes what already is")
