"""Run a query from odmld's research library against any SPARQL endpoint and get typed rows.

    from odmld.client import run
    rows = run("maturity-trend", "http://127.0.0.1:5000/sparql", organisation="24062")
    frame = rows.to_dataframe()   # pandas: pip install 'odmld[research]'

A parameter is one the query declares (`odmld query --help` and the SPARQL page list them; another
name is refused with UnknownParameter, which lists them); `lang` is "nl" unless given. A plain
string does for an IRI parameter: an organisation's code ("24062"), a path under the service
("id/maturiteitsdomein/4", or just "4" for a domain) or a full IRI. Values are bound safely: each
becomes an RDF term, serialised by pyoxigraph, in a VALUES block at the start of the query's WHERE
group, exactly as odmld binds them itself (odmld.sparql.binding), so no text is pasted into SPARQL. At
the start of the group the store plans with the value; a VALUES block after the query is joined only
at the end (maturity-trend at 10,000 organisations: 15 ms against a minute). The library's queries use
IRIs relative to the service's base URI: `base_uri` defaults to the endpoint's address without `sparql`.

Rows are dictionaries of Python values: int, Decimal, float, bool, datetime.date and datetime, str
(an IRI as its text); `to_dataframe()` gives a DataFrame with a dtype per column.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from . import vocab
from .sparql import library as queries
from .sparql.binding import UnknownParameter, bound_text, python_term
from .sparql.screen import bind_values, query_form
from .vocab import XSD

__all__ = ["run", "run_text", "iri", "Rows", "UnknownParameter"]


class RelativeIri(str):
    """An IRI relative to the service's base URI (resolved when the query is sent)."""


def iri(value: str) -> ox.NamedNode | RelativeIri:
    """An IRI for `run_text`'s parameters (the library's queries take plain strings)."""
    return ox.NamedNode(value) if "://" in value else RelativeIri(value)


class Rows(list):
    """The rows of an answer (a list of dicts), in the order of its columns `columns`."""

    def __init__(self, rows: list[dict[str, Any]], columns: list[str]) -> None:
        super().__init__(rows)
        self.columns = columns

    def to_dataframe(self) -> Any:
        """A pandas DataFrame, one column per variable, each with its type: Int64 for integers,
        float64 for decimals and doubles, datetime64 for dates and date-times, boolean, and string for
        text and IRIs. pandas comes with the `research` extra."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the installation
            raise ImportError("to_dataframe needs pandas: pip install 'odmld[research]'") from None
        frame = pd.DataFrame({name: [row.get(name) for row in self] for name in self.columns},
                             columns=self.columns)
        for name in self.columns:
            frame[name] = typed_column(pd, frame[name])
        return frame


def typed_column(pd: Any, column: Any) -> Any:
    present = [value for value in column if value is not None]
    if not present:
        return column.astype("string")
    if all(isinstance(value, bool) for value in present):
        return column.astype("boolean")
    if all(isinstance(value, int) and not isinstance(value, bool) for value in present):
        return column.astype("Int64")
    if all(isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) for value in present):
        return column.map(lambda value: None if value is None else float(value)).astype("float64")
    if all(isinstance(value, (dt.date, dt.datetime)) for value in present):
        return pd.to_datetime(column)
    return column.map(lambda value: None if value is None else str(value)).astype("string")


def to_term(value: Any, base_uri: str) -> ox.NamedNode | ox.Literal:
    """A value of `run_text`'s parameters as a term: `iri(...)` an IRI, any other a typed literal."""
    if isinstance(value, RelativeIri):
        return vocab.resolve(base_uri, value)
    return python_term(value) if not isinstance(value, (ox.NamedNode, ox.Literal)) else value


def python_value(cell: dict[str, str]) -> Any:
    """A SPARQL JSON results cell as a Python value."""
    value, datatype = cell["value"], cell.get("datatype", "")
    if cell["type"] == "uri":
        return value
    converters = {XSD + "integer": int, XSD + "decimal": Decimal, XSD + "double": float,
                  XSD + "float": float, XSD + "boolean": lambda v: v == "true",
                  XSD + "date": dt.date.fromisoformat, XSD + "dateTime": dt.datetime.fromisoformat}
    try:
        return converters[datatype](value) if datatype in converters else value
    except ValueError:
        return value


def base_of(endpoint: str, base_uri: str | None) -> str:
    return base_uri or endpoint.rsplit("sparql", 1)[0]


def ask(text: str, endpoint: str) -> Rows:
    """Send the query text as it is; the answer's rows."""
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setQuery(text)
    # SPARQLWrapper guesses the form from keywords and takes a word in a comment ("add up") for an
    # update, which it would send as one; the form read past comments, strings and IRIs is the truth
    client.queryType = query_form(text) or client.queryType
    client.setReturnFormat(JSON)
    results = client.queryAndConvert()
    columns = results.get("head", {}).get("vars", [])
    return Rows([{name: python_value(cell) for name, cell in binding.items()}
                 for binding in results["results"]["bindings"]], columns)


def run_text(text: str, endpoint: str, *, base_uri: str | None = None, **params: Any) -> Rows:
    """Any SELECT text, with `params` (use `iri()` for an IRI) bound as a VALUES block."""
    base = base_of(endpoint, base_uri)
    terms = {name: to_term(value, base) for name, value in params.items()}
    return ask(f"BASE {ox.NamedNode(base)}\n" + bind_values(text, terms), endpoint)


def run(name: str, endpoint: str, *, base_uri: str | None = None, **params: Any) -> Rows:
    """The rows of the library query `name` on `endpoint`. UnknownParameter for a parameter it does
    not declare; QueryNotFound for a name that is not in the library."""
    return ask(bound_text(queries.library(name), params, base_of(endpoint, base_uri)), endpoint)
