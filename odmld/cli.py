"""The `odmld` command line: load, validate, query and dump the store, and serve it.

Exit codes follow pySHACL's: 0 success (or conforms), 1 violations (or a failed run), 2 unreadable
input or bad usage. Every error is one line on stderr, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import click
import pyoxigraph as ox

from . import queries, tokens, validation
from .config import SETTINGS_BY_NAME, Config, ConfigError, load_config
from .loading import LoadError, parse_paths
from .resources import default_load_paths
from .store import Store, StoreError, open_store
from .terms import parse_parameter
from .output import render_results

EXIT_UNREADABLE = 2
EXIT_FAILED = 1


class Failure(click.ClickException):
    """An error that ends the command with a message and an exit code, never a traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_UNREADABLE) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"odmld: error: {self.format_message()}", err=True)


def setting_option(name: str, *flags: str, **kwargs: Any) -> Callable:
    """A flag for a setting; its help comes from the settings table, so it is written once."""
    setting = SETTINGS_BY_NAME[name]
    return click.option(*flags, name, default=None,
                        help=f"{setting.help} [env: {setting.env}]", **kwargs)


store_option = setting_option("store", "--store", metavar="PATH|URL")
base_option = setting_option("base_uri", "--base-uri", metavar="URI")


def make_config(**flags: Any) -> Config:
    try:
        return load_config({name: value for name, value in flags.items() if value is not None})
    except ConfigError as error:
        raise Failure(str(error)) from None


def open_for(config: Config, *, read_only: bool = False) -> Store:
    try:
        return open_store(config, read_only=read_only)
    except StoreError as error:
        raise Failure(str(error), EXIT_FAILED) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """odmld: open data maturity of local governments as Linked Open Data."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@store_option
@base_option
def load(paths: tuple[Path, ...], store: str | None, base_uri: str | None) -> None:
    """Load RDF files or folders (default: data/, ontology/, shapes/).

    Each triples file goes to its own named graph, TriG and N-Quads keep theirs; loading a file again
    replaces its graph. Nothing is written unless every file parses. When assessment versions are loaded,
    what odmld derives from them is set again afterwards, as `odmld statistics` does.
    """
    config = make_config(store=store, base_uri=base_uri)
    target = open_for(config)
    loaded = load_into(target, list(paths) or default_load_paths())
    for graph, count in loaded:
        click.echo(f"{count:>8}  {graph}")
    click.echo(f"loaded {sum(count for _, count in loaded)} quads into {len(loaded)} graph(s)")
    assessments = f"{config.base_uri}graph/inschatting/"
    if any(isinstance(graph, ox.NamedNode) and graph.value.startswith(assessments) for graph, _ in loaded):
        from .publishing import rebuild_statistics
        written = rebuild_statistics(target)
        click.echo(f"assessments loaded: latest assessments, publication positions and statistics set "
                   f"again ({written} quads)")


def load_into(target: Store, paths: list[Path]) -> list[tuple[Any, int]]:
    try:
        parsed = parse_paths(paths, target.base_uri)
    except LoadError as error:
        raise Failure(f"nothing loaded: {error}") from None
    return target.replace_graphs(parsed)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@base_option
@setting_option("lang", "--lang", type=click.Choice(["nl", "en"]))
def validate(paths: tuple[Path, ...], base_uri: str | None, lang: str | None) -> None:
    """Validate RDF files against the shapes: exit 0 conforms, 1 violations, 2 unreadable."""
    config = make_config(base_uri=base_uri, lang=lang)
    try:
        report = validation.validate_paths(list(paths), config.base_uri)
    except validation.UnreadableInput as error:
        raise Failure(str(error)) from None
    click.echo(validation.format_report(report, config.lang))
    if not report.conforms:
        sys.exit(EXIT_FAILED)


@cli.command()
@click.argument("query")
@click.option("--format", "output_format", default="table",
              type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "ntriples"]),
              help="Output: a table, SPARQL results as csv/tsv/json/xml, or RDF for CONSTRUCT.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME to VALUE (an <IRI> or a literal); may be repeated.")
@click.option("--endpoint", metavar="URL", help="Run it on this SPARQL endpoint instead of the store.")
@store_option
@base_option
def query(query: str, output_format: str, params: tuple[str, ...], endpoint: str | None,
          store: str | None, base_uri: str | None) -> None:
    """Run a SPARQL query: a name from queries/, a .rq file, or - for standard input."""
    config = make_config(store=store, base_uri=base_uri)
    text = read_query(query)
    if endpoint:
        base = base_uri and config.base_uri
        try:
            bindings = dict(parse_parameter(param, base or endpoint.rsplit("sparql", 1)[0]) for param in params)
        except ValueError as error:
            raise Failure(str(error)) from None
        return remote_query(text, endpoint, base, bindings, output_format)
    try:
        bindings = dict(parse_parameter(param, config.base_uri) for param in params)
    except ValueError as error:
        raise Failure(str(error)) from None
    target = open_for(config, read_only=True)
    try:
        results = target.query(text, bindings=bindings)
        click.echo(render_results(results, output_format), nl=False)
    except SyntaxError as error:
        raise Failure(f"the query does not parse: {error}") from None
    except (ValueError, RuntimeError) as error:
        # pyoxigraph raises RuntimeError for queries it parses but cannot run as asked, e.g. a
        # parameter that the query does not project (substitution needs it in the projection).
        raise Failure(str(error)) from None


def remote_query(text: str, endpoint: str, base: str | None, bindings: dict, output_format: str) -> None:
    """A SELECT on a remote endpoint through odmld.client, printed as a table, CSV or JSON."""
    import csv
    import json

    from .client import run_text
    try:
        rows = run_text(text, endpoint, base_uri=base, **bindings)
    except Exception as error:  # SPARQLWrapper raises many types: unreachable, refused, bad query
        raise Failure(f"{endpoint}: {error}", EXIT_FAILED) from None
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


def read_query(name_or_path: str) -> str:
    if name_or_path == "-":
        return sys.stdin.read()
    path = Path(name_or_path)
    if path.suffix in {".rq", ".sparql"} or path.is_file():
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise Failure(f"cannot read {path}: {error.strerror}") from None
    try:
        return queries.get(name_or_path).text
    except queries.QueryNotFound as error:
        raise Failure(str(error)) from None


@cli.command()
@click.option("--format", "output_format", default="nquads", type=click.Choice(["nquads", "trig"]),
              help="N-Quads (default) or TriG; both keep every named graph.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@store_option
@base_option
def dump(output_format: str, output: Path | None, store: str | None, base_uri: str | None) -> None:
    """Write the whole store, every named graph included, losslessly."""
    config = make_config(store=store, base_uri=base_uri)
    rdf_format = ox.RdfFormat.N_QUADS if output_format == "nquads" else ox.RdfFormat.TRIG
    target = open_for(config, read_only=True)
    if output is None:
        target.dump(sys.stdout.buffer, rdf_format)
        sys.stdout.buffer.flush()
    else:
        with output.open("wb") as handle:
            target.dump(handle, rdf_format)


@cli.command()
@store_option
@base_option
def statistics(store: str | None, base_uri: str | None) -> None:
    """Set each organisation's latest assessment and add the published statistics up again.

    Publishing keeps them up to date; run this after loading assessments with `odmld load`, or on a
    store written before odmld kept them.
    """
    from .publishing import rebuild_statistics

    config = make_config(store=store, base_uri=base_uri)
    written = rebuild_statistics(open_for(config))
    click.echo(f"statistics: {written} quads in <{config.base_uri}graph/laatste/...> and "
               f"<{config.base_uri}graph/statistiek>")


@cli.command()
@setting_option("host", "--host")
@setting_option("port", "--port", type=int)
@store_option
@base_option
def serve(host: str | None, port: int | None, store: str | None, base_uri: str | None) -> None:
    """Load the bundled model into the store, then serve it over HTTP (development server)."""
    from .web import create_app

    config = make_config(host=host, port=port, store=store, base_uri=base_uri)
    target = open_for(config)
    loaded = load_into(target, default_load_paths())
    target.flush()
    foreign = [g.value for g in target.named_graphs() if not g.value.startswith(config.base_uri)]
    if foreign:
        click.echo(f"warning: the store also holds {len(foreign)} graph(s) minted under another base "
                   f"URI (e.g. {foreign[0]}); a store serves one base URI", err=True)
    click.echo(f"store {config.store}: {sum(c for _, c in loaded)} quads in {len(loaded)} graphs, "
               f"base URI {config.base_uri}")
    app = create_app(config, store=target)
    click.echo(f"odmld is serving on http://{config.host}:{config.port}/ (Ctrl+C stops it)")
    app.run(host=config.host, port=config.port, threaded=True, use_reloader=False)


@cli.group()
def token() -> None:
    """Write tokens: each bound to one organisation, shown once, stored as a hash."""


@token.command("create")
@click.option("--org", "organisation", required=True, help="The organisation's id (NIS code, or vgc).")
@store_option
@base_option
def token_create(organisation: str, store: str | None, base_uri: str | None) -> None:
    """Create a token for one organisation and print it (it is not shown again)."""
    config = make_config(store=store, base_uri=base_uri)
    require_organisation(open_for(config, read_only=True), organisation)
    token_id, secret = tokens.create(Path(config.tokens), organisation)
    click.echo(f"token {token_id} for organisation {organisation} (shown once, keep it safe):")
    click.echo(secret)


def require_organisation(target: Store, organisation: str) -> None:
    known = {row["identifier"].value for row in target.select(
        queries.get("organisations").text, lang=ox.Literal("nl"))}
    if organisation not in known:
        raise Failure(f"no organisation {organisation!r} in the store (known: {', '.join(sorted(known))})")


@token.command("revoke")
@click.argument("token_id")
@store_option
def token_revoke(token_id: str, store: str | None) -> None:
    """Revoke a token by its id (the part before the dot)."""
    config = make_config(store=store)
    if not tokens.revoke(Path(config.tokens), token_id.partition(".")[0]):
        raise Failure(f"no active token {token_id!r}", EXIT_FAILED)
    click.echo(f"revoked {token_id.partition('.')[0]}")


@token.command("list")
@store_option
def token_list(store: str | None) -> None:
    """List tokens (ids and organisations; never the secrets)."""
    config = make_config(store=store)
    for entry in tokens.listing(Path(config.tokens)):
        state = f"revoked {entry.revoked}" if entry.revoked else "active"
        click.echo(f"{entry.id}  {entry.organisation}  created {entry.created}  {state}")


@cli.command("import-survey")
@click.argument("responses", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "organisation", required=True, help="The organisation's id (NIS code, or vgc).")
@click.option("--date", "date", required=True, help="The date of the survey, YYYY-MM-DD.")
@store_option
@base_option
def import_survey(responses: Path, organisation: str, date: str, store: str | None,
                  base_uri: str | None) -> None:
    """Aggregate individual survey responses and publish them as an assessment with method survey."""
    from datetime import date as calendar_date

    from . import survey_import
    from .publishing import organisation_iri, publish, validate_parts

    config = make_config(store=store, base_uri=base_uri)
    try:
        calendar_date.fromisoformat(date)
    except ValueError:
        raise Failure(f"--date must be YYYY-MM-DD, got {date!r}") from None
    target = open_for(config)
    require_organisation(target, organisation)
    try:
        text = responses.read_text(encoding="utf-8")
        aggregate = survey_import.read_responses(text, survey_import.answer_scales(target))
    except (UnicodeDecodeError, survey_import.SurveyInputError) as error:
        raise Failure(f"{responses}: {error}") from None
    dataset = ox.NamedNode(f"{config.base_uri}id/bevraging/{organisation}/{date}")
    graph = ox.NamedNode(f"{config.base_uri}graph/bevraging/{organisation}/{date}")
    quads, suppressed = survey_import.statistics_quads(target, aggregate, dataset, graph)
    parts = survey_import.survey_parts(target, aggregate, organisation_iri(config.base_uri, organisation), date)
    report = validate_parts(parts, config.base_uri)
    if not report.conforms:
        raise Failure(validation.format_report(report, config.lang), EXIT_FAILED)
    published = publish(target, parts, organisation, derived_from=quads)
    click.echo(f"{sum(aggregate.respondents.values())} responses; statistics {dataset.value}")
    if suppressed:
        click.echo(f"not published per profile (fewer than {survey_import.MINIMUM_GROUP}): "
                   + ", ".join(suppressed))
    click.echo(f"assessment {published.iri.value} (version {published.version})")


def main() -> None:
    """The console script. A store that fails mid-command (a remote one can, at any request) ends it
    with its message and exit 1, never a traceback."""
    try:
        cli(prog_name="odmld", standalone_mode=False)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.Abort:
        click.echo("Aborted!", err=True)
        sys.exit(EXIT_FAILED)
    except StoreError as error:
        click.echo(f"odmld: error: {error}", err=True)
        sys.exit(EXIT_FAILED)


if __name__ == "__main__":
    main()
