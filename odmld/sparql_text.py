"""Looking at SPARQL text before anything runs it: is it an update, does it call SERVICE, may its
answer be given again, what LIMIT does it state, where do bound parameters go (a VALUES block at the
start of the WHERE group)?

pyoxigraph executes SERVICE clauses over HTTP (no switch, no timeout), so a public endpoint must refuse
them before the query reaches the store. Comments, strings and IRIs are blanked out first, so a
`SERVICE` inside a literal, an IRI or a comment is not mistaken for the keyword; a false alarm only
ever refuses a query, it never lets one through.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any, Mapping

import pyoxigraph as ox

_NOISE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'      # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'                # short strings
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"                # IRIs
    r"|#[^\n]*",                           # comments
    re.DOTALL)
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:])", re.IGNORECASE)
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*|BASE\s*)\s*)*", re.IGNORECASE)
_UPDATE = re.compile(r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
_VARYING = re.compile(r"(?<![\w:?$])(?:NOW|RAND|UUID|STRUUID)\s*\(", re.IGNORECASE)
# the query's own LIMIT ends its text: a sub-select's sits inside the braces of the WHERE group
_OUTER_LIMIT = re.compile(r"(?<![\w:?$])LIMIT\s+(\d+)(?:\s+OFFSET\s+\d+)?\s*\Z", re.IGNORECASE)


@dataclass(frozen=True)
class Screening:
    """What a public endpoint must know of a query before it runs, read from one blanking of its text.

    - `is_update`: the request, after its prologue, starts with an update operation;
    - `calls_service`: it has a SERVICE clause (pyoxigraph would open a connection for it);
    - `answers_differ_between_runs`: it asks for the time or for random values (NOW, RAND, UUID,
      STRUUID), so an answer kept from an earlier run would be wrong though the store is unchanged;
    - `outer_limit`: the LIMIT of the query itself when its text ends with one, else None (a LIMIT of
      a sub-select, in a comment or in a string does not count).
    """

    is_update: bool
    calls_service: bool
    answers_differ_between_runs: bool
    outer_limit: int | None


def screen(text: str) -> Screening:
    body = blank_noise(text)
    limit = _OUTER_LIMIT.search(body)
    return Screening(is_update=bool(_UPDATE.match(body, _PROLOGUE.match(body).end())),
                     calls_service=bool(_SERVICE.search(body)),
                     answers_differ_between_runs=bool(_VARYING.search(body)),
                     outer_limit=int(limit.group(1)) if limit else None)


_QUERY_FORM = re.compile(r"(?<![\w:?$])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.IGNORECASE)
_CONSTRUCT_TEMPLATE = re.compile(r"\s*(WHERE\s*)?\{", re.IGNORECASE)


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form of the query, read past comments, strings and IRIs."""
    found = _QUERY_FORM.search(blank_noise(text))
    return found.group(1).upper() if found else None


def blank_noise(text: str) -> str:
    """The query with strings, IRIs and comments blanked out, every offset kept."""
    return _NOISE.sub(lambda match: " " * len(match.group()), text)


def where_group_start(text: str) -> int:
    """The offset just inside the `{` that opens the query's WHERE group.

    Raises ValueError for text that is not a query, and for the short `CONSTRUCT WHERE { }` form,
    whose group is also its template.
    """
    body = blank_noise(text)
    form = _QUERY_FORM.search(body)
    if form is None:
        raise ValueError("not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)")
    position = form.end()
    if form.group(1).upper() == "CONSTRUCT":
        template = _CONSTRUCT_TEMPLATE.match(body, position)
        if template is None:
            raise ValueError("CONSTRUCT without a template")
        if template.group(1):
            raise ValueError("the short CONSTRUCT WHERE form cannot take parameters")
        position = _after_group(body, template.end() - 1)
    brace = body.find("{", position)
    if brace < 0:
        raise ValueError("the query has no WHERE group to bind parameters in")
    return brace + 1


def _after_group(body: str, opening: int) -> int:
    depth = 0
    for offset in range(opening, len(body)):
        if body[offset] == "{":
            depth += 1
        elif body[offset] == "}":
            depth -= 1
            if depth == 0:
                return offset + 1
    raise ValueError("unbalanced braces in the query")


def bind_values(text: str, bindings: Mapping[str, Any]) -> str:
    """The query with a VALUES block that binds `bindings` at the start of its WHERE group.

    A binding is one term, or a list of terms (a row for each; several lists give every combination).
    Used for both stores (the SPARQL protocol has no parameters, and pyoxigraph's planner does not see
    its substitutions; see Store.query): each value is a pyoxigraph term (IRI or literal, validated
    when it was made) written by pyoxigraph's own serialiser, so no user text is pasted into the query.
    Bound first in the WHERE group, a value is seen by every pattern, FILTER and BIND of that group, as
    pyoxigraph's substitution would; the library's queries are tested to give the same answers both ways.
    """
    if not bindings:
        return text
    names, columns = [], []
    for name, value in bindings.items():
        terms = list(value) if isinstance(value, (list, tuple)) else [value]
        for term in terms:
            if not isinstance(term, (ox.NamedNode, ox.Literal)):
                raise ValueError(f"?{name}: only IRIs and literals can be bound, not {term!r}")
        names.append(str(ox.Variable(name)))
        columns.append([str(term) for term in terms])
    rows = " ".join(f"({' '.join(row)})" for row in itertools.product(*columns))
    at = where_group_start(text)
    return f"{text[:at]} VALUES ({' '.join(names)}) {{ {rows} }}\n{text[at:]}"
