"""The research library on the web: a page per query with a form for its parameters, its answer as a
table once they are given, and its text with them bound (for the SPARQL page's editor).

The form's values are bound by odmld.sparql.binding (terms built and validated by pyoxigraph, bound as
a VALUES block): the text sent to the query pool is the library's own with bound terms, never with
the visitor's text pasted in. An organisation is asked for by its code (NIS code or vgc), an
assessment by its path, a domain and a charter principle chosen from their lists: none of the
fields lists the organisations, so a form costs the same however many there are.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from ..sparql import library as queries
from ..sparql.binding import BadValue, Parameter, UnknownParameter, bound_text, check_names, declared
from .db import get_store
from ..errors import BadRequest, NotFound
from .errors import DEFAULT_DETAILS
from .i18n import current_language, translator
from .sparql_html import html_answer

bp = Blueprint("library", __name__)

PLACEHOLDERS = {"organisation": "24062", "assessment": "24062/2024-05-01/v1", "kind": "nood"}
SPARQL_QUERY = "application/sparql-query"


def library_query(name: str) -> queries.NamedQuery:
    try:
        return queries.library(name)
    except queries.QueryNotFound:
        raise NotFound(DEFAULT_DETAILS[404]) from None


@bp.route("/sparql/library/<name>")
def example(name: str) -> Response:
    """The query's page: with every required parameter given, its answer; else its form."""
    query = library_query(name)
    values, problem = form_values(query)
    if problem is None and all(p.optional or p.name in values for p in declared(query)):
        try:
            text = bound_text(query, values, current_app.config["ODMLD"].base_uri)
        except BadValue as bad:
            problem = str(bad)
        else:
            intro = render_template("_library_form.html", q=query, fields=fields_for([query]))
            return html_answer(text, MultiDict(), title=query.name, intro=Markup(intro))
    return Response(render_template("sparql_library.html", q=query, problem=problem or "",
                                    fields=fields_for([query])),
                    status=200 if problem is None else 400, mimetype="text/html")


@bp.route("/sparql/library/<name>.rq")
def text(name: str) -> Response:
    """The query's text with the given parameters bound, for the SPARQL page's editor."""
    query = library_query(name)
    values, problem = form_values(query)
    if problem is None:
        try:
            return Response(bound_text(query, values, current_app.config["ODMLD"].base_uri),
                            mimetype=SPARQL_QUERY)
        except BadValue as bad:
            problem = str(bad)
    raise BadRequest(problem)


def form_values(query: queries.NamedQuery) -> tuple[dict[str, Any], str | None]:
    """The declared parameters given in the query string (empty ones left out), as the binder takes
    them; a problem naming any parameter the query does not declare."""
    page_only = {"lang"} - set(query.parameters)  # ?lang chooses the page's language too
    given = {name: value.strip() for name, value in request.args.items()
             if value.strip() and name not in page_only}
    try:
        check_names(query, list(given))
    except UnknownParameter as unknown:
        return {}, str(unknown)
    return given, None


def fields_for(listed: list[queries.NamedQuery]) -> dict[str, list[dict[str, Any]]]:
    """For each query, the form's fields: label, kind, choices (domains, principles, languages)."""
    lang = current_language()
    choices = Choices(lang)
    return {q.name: [field(p, lang, choices) for p in declared(q)] for q in listed}


def field(parameter: Parameter, lang: str, choices: "Choices") -> dict[str, Any]:
    t = translator(lang)
    return {"name": parameter.name, "kind": parameter.kind, "optional": parameter.optional,
            "label": t(f"param_{parameter.name}") if t(f"param_{parameter.name}") != f"param_{parameter.name}"
            else parameter.name,
            "placeholder": PLACEHOLDERS.get(parameter.name), "choices": choices.of(parameter.name),
            "value": request.args.get(parameter.name) if request.endpoint == "library.example" else None}


class Choices:
    """The lists a form offers, read once per request and only when a form needs them."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.found: dict[str, list[tuple[str, str]]] = {}

    def of(self, name: str) -> list[tuple[str, str]] | None:
        if name == "lang":
            return [("nl", "Nederlands"), ("en", "English")]
        if name not in ("domain", "principle"):
            return None
        if name not in self.found:
            self.found[name] = self.read(name)
        return self.found[name]

    def read(self, name: str) -> list[tuple[str, str]]:
        """(value, text) pairs: a domain by its number, a principle by its IRI."""
        store = get_store()
        if name == "domain":
            rows = store.select(queries.get("domains").text, lang=ox.Literal(self.lang))
            return [(row["notation"].value, f"{row['notation'].value}. {row['label'].value}") for row in rows]
        rows = store.select(queries.get("charter-principles").text)
        return [(row["principle"].value, f"{row['notation'].value}. {row['label'].value}") for row in rows]
