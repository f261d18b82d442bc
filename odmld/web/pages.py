"""HTML pages for people: home, the maturity model, organisations, and every resource's /doc/ page.

Pages are rendered on the server with autoescaped Jinja templates, in Dutch or English; all data comes
from named queries and every page links its RDF alternates.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request

from .. import feed_events, vocab
from ..sparql import library as queries
from ..vocab import integer
from .bounded_lists import organisation_list
from .db import base_uri, get_store
from .charts import Axis, radar_svg
from .i18n import current_language, said, translator
from .resource_views import (HIDDEN_ON_PAGES, assessment_title, charter_principles, domain_opening,
                             property_name)
from ..vocab import RDF_TYPE as RDF_TYPE_TERM

bp = Blueprint("pages", __name__)

RDF_TYPE = RDF_TYPE_TERM.value  # compared with and used as a predicate's text
LABELS = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label",
          "http://purl.org/dc/terms/title")
PROPERTY_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def odm(term: str) -> str:
    return vocab.odm(base_uri(), term).value


def select(name: str, **bindings: Any) -> list[dict[str, Any]]:
    """A named query's rows, with the page language bound as ?lang where the query takes it."""
    query = queries.get(name)
    values = dict(bindings)
    if "lang" in query.parameters:
        values["lang"] = ox.Literal(current_language())
    return get_store().select(query.text, **values)


def local_href(iri: str) -> str:
    """A link that stays on this server for our own IRIs (their /id/ path 303s to /doc/)."""
    path = vocab.local_path(base_uri(), iri)
    return iri if path is None else "/" + path


LATEST_SHOWN = 10  # publications on the home page


@bp.route("/")
def home() -> str:
    """The front door: the latest publications (the feed's last events, by position), maturity per
    domain across organisations (kept totals), the counts kept by every write, and a way to everything
    else. Bounded whatever the size."""
    count = feed_events.state(get_store()).count
    positions = [integer(n) for n in range(max(count - LATEST_SHOWN, 0) + 1, count + 1)]
    latest = select("home-publications", position=positions) if positions else []
    summary = next(iter(select("home-summary")), {})
    return render_template("home.html", latest=latest, overview=select("home-domains"), summary=summary)


@bp.route("/model")
def model() -> str:
    domains = select("domains")
    principles = charter_principles(select("charter-page"), domains)
    served = {(d["notation"].value, p) for d in domains
              for p in d.get("principles", ox.Literal("")).value.split()}
    return render_template("model.html", domains=domains, principles=principles, served=served,
                           maturity=select("maturity-levels"), need=select("need-levels"))


@bp.route("/organisaties")
def organisations() -> str:
    return render_template("organisations.html", **organisation_list())


def pick_literal(values: list[ox.Literal], lang: str) -> ox.Literal | None:
    """The value in the page's language, else Dutch, else English, else any."""
    for wanted in (lang, "nl", "en", None):
        for value in values:
            if getattr(value, "language", None) == wanted:
                return value
    return values[0] if values else None


def pick_label(values: list[ox.Literal], lang: str) -> str | None:
    picked = pick_literal(values, lang)
    return None if picked is None else picked.value


def render_resource_page(resource: ox.NamedNode, triples: list[ox.Triple]) -> str:
    """The HTML of a /doc/ page: the resource's properties, plus sections for its type."""
    lang = current_language()
    labels: dict[str, list[ox.Literal]] = defaultdict(list)
    property_labels: dict[str, list[ox.Literal]] = defaultdict(list)
    rows: dict[str, list[ox.Term]] = defaultdict(list)
    for triple in triples:
        if triple.subject == resource:
            rows[triple.predicate.value].append(triple.object)
        if isinstance(triple.object, ox.Literal) and triple.predicate.value in LABELS:
            labels[triple.subject.value].append(triple.object)
        if triple.predicate.value == PROPERTY_LABEL:
            property_labels[triple.subject.value].append(triple.object)
    properties = []
    for predicate, objects in sorted(rows.items()):
        if predicate in HIDDEN_ON_PAGES:
            continue
        shown = [object_view(o, labels, lang) for o in objects]
        shown = [v for v in shown if v["lang"] in (None, "", lang)] or shown
        properties.append({"iri": predicate,
                           "label": pick_label(property_labels.get(predicate, []), lang)
                           or property_name(predicate, lang) or predicate,
                           "values": sorted(shown, key=lambda v: v["text"])})
    types = {o.value for o in rows.get(RDF_TYPE, [])}
    sections = type_sections(resource, types)
    label = pick_literal(labels.get(resource.value, []), lang)
    title, heading = (label.value, said(label, lang)) if label else (resource.value, resource.value)
    if sections.get("header"):
        title, heading = assessment_title(sections["header"], translator(lang), lang)
    return render_template("resource.html", iri=resource.value, title=title, heading=heading,
                           properties=properties, sections=sections)


def object_view(term: ox.Term, labels: dict[str, list[ox.Literal]], lang: str) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        label = pick_literal(labels.get(term.value, []), lang)
        named = None if label else property_name(term.value, lang)
        return {"text": label.value if label else named or term.value, "iri": term.value, "lang": None,
                "literal": label}
    if isinstance(term, ox.Literal):
        return {"text": term.value, "iri": None, "lang": term.language, "literal": term}
    return {"text": str(term), "iri": None, "lang": None, "literal": None}


def type_sections(resource: ox.NamedNode, types: set[str]) -> dict[str, Any]:
    """Extra sections for the kinds of resource people look at most."""
    sections: dict[str, Any] = {}
    if odm("MaturityDomain") in types:
        sections["domain"] = domain_opening(select("domain-page", domain=resource), select("charter-page"))
        sections["actions"] = select("domain-actions", domain=resource)
    if resource == vocab.concept_scheme(base_uri(), "open-data-charter"):
        sections["charter"] = charter_principles(select("charter-page"), select("domains"))
    if odm("CharterPrinciple") in types:
        sections["domains"] = select("principle-domains", principle=resource)
    if "http://www.w3.org/ns/org#Organization" in types:
        sections["portrait"] = select("smart-portrait", organisation=resource)
        sections["history"] = history(resource)
        sections["methods"] = {r["notation"].value: r["label"] for r in select("method-labels")}
        current = next((h for h in sections["history"] if "withdrawn" not in h["row"]), None)
        if current is not None:
            sections["latest"] = assessment_sections(current["row"]["assessment"])
            sections["latest"]["row"] = current["row"]
    if odm("Assessment") in types:
        sections["header"] = next(iter(select("assessment-header", assessment=resource)), None)
        sections["assessment"] = assessment_sections(resource)
    return sections


def assessment_sections(assessment: ox.NamedNode, plan: list[dict] | None = None) -> dict[str, Any]:
    """An assessment's plan (with each domain's actions), totals and radar chart; `plan` when the
    caller already read it."""
    plan = select("assessment-plan", assessment=assessment) if plan is None else plan
    t = translator(current_language())
    axes = sorted((Axis(r["notation"].value, r["label"].value, int(r["maturity_rank"].value),
                        int(r["need_rank"].value)) for r in plan), key=lambda a: int(a.notation))
    return {"iri": assessment.value, "plan": plan, "totals": select("assessment-totals", assessment=assessment),
            "datasets": select("assessment-datasets", assessment=assessment),
            "actions": {r["domain"].value: select("domain-actions", domain=r["domain"])
                        for r in plan if int(r["gap"].value) > 0},
            "radar": radar_svg(axes, t("radar_title"), (t("maturity"), t("need"), t("domain_legend")))}


def history(organisation: ox.NamedNode) -> list[dict[str, Any]]:
    """Every version, newest first, with what changed since the version before it: the versions and
    the levels of all of them in two queries, whatever their number."""
    versions = select("organisation-assessments", organisation=organisation)
    levels: dict[str, dict[str, tuple[str, str]]] = {v["assessment"].value: {} for v in versions}
    for row in select("organisation-history", organisation=organisation):
        levels.setdefault(row["assessment"].value, {})[row["notation"].value] = (row["maturity"].value,
                                                                                   row["need"].value)
    entries = []
    for newer, older in zip(versions, versions[1:] + [None]):
        now = levels[newer["assessment"].value]
        before = levels[older["assessment"].value] if older else {}
        changes = [f"{n}: {before[n][0]} → {now[n][0]}, {before[n][1]} → {now[n][1]}"
                   for n in sorted(now, key=int) if n in before and before[n] != now[n]]
        entries.append({"row": newer, "changes": changes, "first": older is None})
    return entries


def render_ontology_page() -> str:
    terms = select("ontology-terms")
    return render_template("ontology.html", classes=[t for t in terms if t["kind"].value == "class"],
                           properties=[t for t in terms if t["kind"].value != "class"])


@bp.after_app_request
def remember_language(response: Response) -> Response:
    chosen = request.args.get("lang")
    if chosen in ("nl", "en"):
        response.set_cookie("lang", chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                            secure=current_app.config["ODMLD"].base_uri.startswith("https://"))
    return response
