"""A library query's parameters: which it declares, what kind of value each takes, and binding them.

One place for the CLI (`--param`), the Python client and the SPARQL page's forms: a name the query
does not declare is refused with the list of those it does; `lang` is Dutch where the query takes it
and none is given; a plain string for an IRI parameter (`"id/organisatie/24062"`, or a full IRI) is
made an IRI, resolved against the service's base URI. Values become pyoxigraph terms (validated when
made) and reach the query through `bind_values`, never spliced into its text.

The kind of each parameter is read from the query's header line, as its author wrote it:
`Parameters: ?organisation (IRI), ?date (xsd:date), ?lang ("nl" or "en")`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

import pyoxigraph as ox

from .. import vocab
from ..vocab import XSD
from .library import NamedQuery
from .screen import bind_values

DEFAULT_LANG = "nl"
# `?name`, then what the header says of it in parentheses (which may run on to the next line)
# where a plain value of an IRI parameter lives under the base URI ("24062" -> id/organisatie/24062)
IRI_PLACES = {"organisation": vocab.organisation, "assessment": vocab.assessment_at, "domain": vocab.domain}
DECLARED = re.compile(r"\?(\w+)\s*(?:\(([^()]*(?:\([^()]*\)[^()]*)*)\)?)?")


class UnknownParameter(ValueError):
    """A parameter the query does not declare; the message lists those it does."""

    def __init__(self, query: NamedQuery, unknown: list[str]) -> None:
        declared = ", ".join(query.parameters) or "none"
        super().__init__(f"{query.name} has no parameter {', '.join(sorted(unknown))}; "
                         f"its parameters: {declared}")
        self.unknown, self.declared = unknown, query.parameters


class BadValue(ValueError):
    """A value that cannot be the term its parameter takes (not an IRI, not a date)."""


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str        # "iri", "date", "integer" or "literal"
    optional: bool
    note: str        # the header's words about it, e.g. '"nl" or "en"'


def declared(query: NamedQuery) -> list[Parameter]:
    """The parameters the query's header declares, with their kind."""
    for line in query.description.splitlines():
        if line.lower().startswith("parameters:"):
            return [parameter(name, note or "") for name, note in DECLARED.findall(line)]
    return []


def parameter(name: str, note: str) -> Parameter:
    lowered = note.lower()
    kind = ("iri" if "iri" in lowered else "date" if "xsd:date" in lowered or name == "date"
            else "integer" if "integer" in lowered else "literal")
    return Parameter(name, kind, "optional" in lowered or name == "lang", note.strip())


def check_names(query: NamedQuery, names: list[str] | tuple[str, ...] | Any) -> None:
    unknown = [name for name in names if name not in query.parameters]
    if unknown:
        raise UnknownParameter(query, unknown)


def terms_for(query: NamedQuery, values: Mapping[str, Any], base_uri: str) -> dict[str, ox.NamedNode | ox.Literal]:
    """The terms to bind: declared names only (UnknownParameter otherwise), `lang` Dutch by default,
    each value the kind its parameter takes (BadValue when it cannot be)."""
    check_names(query, list(values))
    kinds = {p.name: p for p in declared(query)}
    terms = {name: to_term(value, kinds[name].kind if name in kinds else "literal", base_uri, name)
             for name, value in values.items() if value is not None and value != ""}
    if "lang" in query.parameters and "lang" not in terms:
        terms["lang"] = ox.Literal(DEFAULT_LANG)
    return terms


def bound_text(query: NamedQuery, values: Mapping[str, Any], base_uri: str) -> str:
    """`BASE <base>` and the query with its parameters bound as a VALUES block."""
    return f"BASE {ox.NamedNode(base_uri)}\n" + bind_values(query.text, terms_for(query, values, base_uri))


def to_term(value: Any, kind: str, base_uri: str, name: str = "value") -> ox.NamedNode | ox.Literal:
    """`value` as the term a parameter of `kind` takes; a term given as one is kept as it is."""
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if kind == "iri":
        text = str(value).strip()
        try:
            return ox.NamedNode(text) if "://" in text else place(name, text, base_uri)
        except ValueError:
            raise BadValue(f"?{name}: {text!r} is not an IRI") from None
    if kind == "date" and isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise BadValue(f"?{name}: {value!r} is not a date written YYYY-MM-DD") from None
    return python_term(value)


def place(name: str, value: str, base_uri: str) -> ox.NamedNode:
    """A plain value of an IRI parameter as its IRI under the base: "24062" for an organisation is
    <id/organisatie/24062>, "4" for a domain <id/maturiteitsdomein/4>; a path that already says
    where it is (id/..., ns/...) is taken as it is, under the base."""
    minted, path = IRI_PLACES.get(name), value.lstrip("/")
    if minted is None or path.startswith(("id/", "ns/")):
        return vocab.resolve(base_uri, path)
    return minted(base_uri, path)


def python_term(value: Any) -> ox.Literal:
    """A Python value as the typed literal it is (str: a plain literal)."""
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, Decimal):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    if isinstance(value, dt.datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    return ox.Literal(str(value))
