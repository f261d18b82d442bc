"""Comparing organisations: a heat map (organisations x domains), a radar per organisation and a bar chart
per domain, as server-rendered SVG with titles, each with a link to its query and a CSV of its data;
and a page per domain ranking the organisations."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for
from markupsafe import Markup

from ..errors import BadRequest, NotFound
from .. import rankings, user_text, vocab
from ..sparql import library as queries
from .bounded_lists import organisation_asked, search, search_text
from .charts import Axis, radar_svg
from .db import base_uri, get_store
from .errors import worded
from .i18n import current_language, translator
from .pages import select

bp = Blueprint("compare", __name__)
TOP = 20  # organisations the ranking page shows at its top
COLOURS = ("#d7301f", "#fc8d59", "#91bfdb", "#4575b4")  # niet aanwezig .. verworven


def chosen_assessments(identifiers: list[str], date: str | None) -> list[dict[str, Any]]:
    """Per chosen organisation: its newest version on or before `date` (without one: its latest, as
    publication keeps it), each with its plan; three queries however many are chosen (at most 20)."""
    base = base_uri()
    for identifier in identifiers[:20]:
        if user_text.identifier(identifier) is None:
            raise BadRequest(worded("bad_org_id", value=repr(identifier)))
    organisations = {identifier: vocab.organisation(base, identifier) for identifier in identifiers[:20]}
    if not organisations:
        return []
    newest: dict[ox.NamedNode, dict[str, Any]] = {}
    if date is None:
        newest = {row["organisation"]: row for row in select("latest-assessments", organisation=list(organisations.values()))}
    else:
        for row in select("organisation-versions", organisation=list(organisations.values())):
            if row["date"].value <= date and row["organisation"] not in newest:  # newest first
                newest[row["organisation"]] = row
    plans: dict[ox.NamedNode, list[dict[str, Any]]] = {}
    if newest:
        for row in select("assessment-plan", assessment=[row["assessment"] for row in newest.values()]):
            plans.setdefault(row["assessment"], []).append(row)
    return [{"id": identifier, "assessment": newest[organisation]["assessment"],
             "date": newest[organisation]["date"].value, "plan": plans.get(newest[organisation]["assessment"], [])}
            for identifier, organisation in organisations.items() if organisation in newest]


def names(chosen: list[dict[str, Any]]) -> dict[str, ox.Literal]:
    """The names of the chosen organisations in the page's language (Dutch where they have none), by
    identifier, each with its language (looked up: the page does not list all)."""
    if not chosen:
        return {}
    base = base_uri()
    organisations = [vocab.organisation(base, c["id"]) for c in chosen]
    return {r["identifier"].value: r["name"] for r in select("organisation-names", organisation=organisations)}


def named(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows that name organisations (a ranking's, in Dutch) with their names in the page's language
    where they have one: looked up for these few, not kept in the ranking."""
    if not rows:
        return rows
    found = {r["organisation"]: r["name"] for r in select(
        "organisation-names", organisation=list({row["organisation"] for row in rows}))}
    return [{**row, "name": found.get(row["organisation"], row["name"])} for row in rows]


@bp.route("/vergelijk")
def compare() -> str:
    identifiers = request.args.getlist("org")
    date = request.args.get("date") or None
    t = translator(current_language())
    chosen = chosen_assessments(identifiers, date)
    label = names(chosen)
    for c in chosen:
        c["name"] = label.get(c["id"], ox.Literal(c["id"]))
    domains = select("domains")
    matrix = {(c["id"], r["notation"].value): int(r["maturity_rank"].value) for c in chosen for r in c["plan"]}
    # each radar is named by its figure's caption (said(): a Dutch name on an English page is marked)
    radars = [(c["name"], f"radar-name-{c['id']}", radar_svg(
        sorted((Axis(r["notation"].value, r["label"].value, int(r["maturity_rank"].value),
                     int(r["need_rank"].value)) for r in c["plan"]), key=lambda a: int(a.notation)),
        t("radar_title"), (t("maturity"), t("need"), t("domain_legend")),
        key=c["id"], named_by=f"radar-name-{c['id']}")) for c in chosen]
    query_link = url_for("sparql.endpoint", query=queries.get("latest-maturity-table").text)
    csv_link = url_for("compare.data", **{"org": identifiers}) + ("&" + urlencode({"date": date}) if date else "")
    found = [r for r in search(search_text(), 20) if r["identifier"].value not in identifiers]
    return render_template("compare.html", found=found, chosen=chosen, q=search_text(),
                           domains=domains, matrix=matrix, colours=COLOURS,
                           radars=radars, query_link=query_link, csv_link=csv_link,
                           selected=set(identifiers), date=date or "", levels=select("maturity-levels"),
                           bars=[bar_chart(d, chosen, matrix) for d in domains])


def bar_chart(domain: dict, chosen: list[dict], matrix: dict) -> Markup:
    notation = domain["notation"].value
    rows = [(c["name"], matrix.get((c["id"], notation))) for c in chosen]
    return Markup(render_template("bars.svg", title=f"{notation}. {domain['label'].value}", rows=rows,
                                  colours=COLOURS, height=24 * len(rows) + 30))


@bp.route("/vergelijk/data.csv")
def data() -> Response:
    chosen = chosen_assessments(request.args.getlist("org"), request.args.get("date") or None)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["organisation", "assessment", "date", "domain", "maturity", "need", "gap", "priority"])
    for c in chosen:
        for r in sorted(c["plan"], key=lambda r: int(r["notation"].value)):
            writer.writerow([c["id"], c["assessment"].value, c["date"], r["notation"].value,
                             r["maturity_rank"].value, r["need_rank"].value, r["gap"].value, r["priority"].value])
    return Response(out.getvalue(), mimetype="text/csv")


@bp.route("/domein/<int:notation>/ranking")
def domain_ranking(notation: int) -> str:
    if not 1 <= notation <= 11:
        raise NotFound(worded("no_domain"))
    domain = vocab.domain(base_uri(), notation)
    store = get_store()
    rows = named(rankings.top(store, TOP, domain))
    organisation = organisation_asked()
    asked = None
    if organisation is not None:
        found = select("organisation-names", organisation=[organisation])
        if not found:
            raise NotFound(worded("no_organisation"))
        asked = {"name": found[0]["name"], "organisation": organisation,
                 "rank": rankings.rank_of(store, organisation, domain)}
    title = next((d["label"].value for d in select("domains") if d["notation"].value == str(notation)), "")
    return render_template("domain_ranking.html", rows=rows, title=f"{notation}. {title}", domain=domain,
                           asked=asked, q=search_text(), found=search(search_text(), 20),
                           query_link=url_for("sparql.endpoint", query=queries.get("domain-ranking").text))
