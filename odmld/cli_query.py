"""`odmld query`: a query from the library, a file or standard input, on the store or an endpoint."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pyoxigraph as ox

from .sparql import library as queries
from .cli_common import base_option, make_config, open_for, store_option
from .errors import BadRequest, NotFound, StoreError
from .output import render_results
from .sparql.binding import BadValue, UnknownParameter, check_names, declared, to_term
from .terms import parse_parameter


@click.command()
@click.argument("query")
@click.option("--format", "output_format", default="table",
              type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "ntriples"]),
              help="Output: a table, SPARQL results as csv/tsv/json/xml, or RDF for CONSTRUCT.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind the query's parameter ?NAME to VALUE: an <IRI>, a literal, or for a parameter "
                   "that takes an IRI its plain code or path (organisation=24062); may be repeated. "
                   "Only the parameters the query declares; lang is nl unless given.")
@click.option("--endpoint", metavar="URL", help="Run it on this SPARQL endpoint instead of the store.")
@store_option
@base_option
def query(query: str, output_format: str, params: tuple[str, ...], endpoint: str | None,
          store: str | None, base_uri: str | None) -> None:
    """Run a SPARQL query: a name from the research library (queries/), a .rq file, or - for
    standard input."""
    config = make_config(store=store, base_uri=base_uri)
    text = read_query(query)
    if endpoint:
        base = base_uri and config.base_uri
        bindings = read_parameters(query, text, params, base or endpoint.rsplit("sparql", 1)[0])
        return remote_query(text, endpoint, base, bindings, output_format)
    bindings = read_parameters(query, text, params, config.base_uri)
    target = open_for(config, read_only=True)
    try:
        results = target.query(text, bindings=bindings)
        click.echo(render_results(results, output_format), nl=False)
    except SyntaxError as error:
        raise BadRequest(f"the query does not parse: {error}") from None
    except (ValueError, RuntimeError) as error:
        # pyoxigraph raises RuntimeError for a query it parses but cannot run as asked
        raise BadRequest(str(error)) from None


def remote_query(text: str, endpoint: str, base: str | None, bindings: dict, output_format: str) -> None:
    """A SELECT on a remote endpoint through odmld.client, printed as a table, CSV or JSON."""
    import csv
    import json

    from .client import run_text
    try:
        rows = run_text(text, endpoint, base_uri=base, **bindings)
    except Exception as error:  # SPARQLWrapper raises many types: unreachable, refused, bad query
        raise StoreError(f"{endpoint}: {error}") from None
    names = list(dict.fromkeys(name for row in rows for name in row))
    if output_format == "json":
        click.echo(json.dumps(rows, default=str, ensure_ascii=False, indent=1))
    elif output_format in ("csv", "tsv"):
        writer = csv.writer(sys.stdout, delimiter="," if output_format == "csv" else "\t",
                            lineterminator="\n")
        writer.writerow(names)
        writer.writerows([[row.get(name, "") for name in names] for row in rows])
    else:
        for row in rows:
            click.echo("  ".join(f"{name}={row[name]}" for name in names if name in row))
        click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def read_parameters(name: str, text: str, params: tuple[str, ...], base: str) -> dict:
    """`--param` values as terms. A query that declares its parameters (every library query, and a
    file with a `Parameters:` line) takes those only: another name exits 2 with the list. A plain
    value of a parameter that takes an IRI is that IRI; `lang` is nl where the query takes it."""
    named = queries.NamedQuery(name=name, text=text)
    kinds = {p.name: p.kind for p in declared(named)}
    declares = any(line.lower().startswith("parameters:") for line in named.description.splitlines())
    try:
        pairs = [param.partition("=") for param in params]
        if declares:
            check_names(named, [pair[0].strip().lstrip("?") for pair in pairs])
        bindings = {}
        for param, (key, _, value) in zip(params, pairs):
            key = key.strip().lstrip("?")
            if kinds.get(key) == "iri" and not value.startswith("<"):
                bindings[key] = to_term(value, "iri", base, key)
            else:
                bindings.update([parse_parameter(param, base)])
    except UnknownParameter as unknown:
        raise BadRequest(f"{unknown}") from None
    except (BadValue, ValueError) as error:
        raise BadRequest(str(error)) from None
    if "lang" in named.parameters and "lang" not in bindings:
        bindings["lang"] = ox.Literal("nl")
    return bindings


def read_query(name_or_path: str) -> str:
    if name_or_path == "-":
        return sys.stdin.read()
    path = Path(name_or_path)
    if path.suffix in {".rq", ".sparql"} or path.is_file():
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise BadRequest(f"cannot read {path}: {error.strerror}") from None
    try:
        return queries.library(name_or_path).text
    except queries.QueryNotFound as error:
        raise NotFound(str(error)) from None


