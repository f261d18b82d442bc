"""The commands that read or write the store's data: load, validate, dump, statistics, rebase,
import-survey. Each write is one write of the store (store_api.py): it takes the deployment's write lock,
so it runs beside a serving server, which shows its effect at its next request."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pyoxigraph as ox

from . import caching, feed_events, register, validation, vocab
from .cli_common import base_option, make_config, open_for, require_organisation, setting_option, store_option
from .errors import EXIT_VIOLATIONS, BadRequest, Invalid
from .loading import FilePlan, LoadError, load_paths, plan_paths
from .dump_digests import keep_every_in
from .feed_members import keep_every_member
from .assessments.publish import rebuild_into, rebuild_statistics
from .resources import default_load_paths
from .store import Store, Writer
from .store_api import operation


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@store_option
@base_option
def load(paths: tuple[Path, ...], store: str | None, base_uri: str | None) -> None:
    """Load RDF files or folders (default: data/, ontology/, shapes/).

    Each triples file goes to its own named graph, TriG and N-Quads keep theirs; loading a file again
    replaces its graph. Nothing is written unless every file parses, and the whole load is one write.
    When assessment versions are loaded, what odmld derives from them is set again in the same write,
    as `odmld statistics` does.
    """
    config = make_config(store=store, base_uri=base_uri)
    target = open_for(config)
    loaded, derived = load_into(target, list(paths) or default_load_paths(), derive=True)
    for graph, count in loaded:
        click.echo(f"{count:>8}  {graph}")
    click.echo(f"loaded {sum(count for _, count in loaded)} quads into {len(loaded)} graph(s)")
    if derived is not None:
        click.echo(f"assessments loaded: latest assessments, publication positions and statistics set "
                   f"again ({derived} quads)")


def load_into(target: Store, paths: list[Path], *, derive: bool = False) -> tuple[list, int | None]:
    """Load `paths` in one write; with `derive`, when assessment versions came with them, set what is
    derived from them again in the same write (the quads written, else None)."""
    try:
        plans = plan_paths(paths, target.base_uri)
    except LoadError as error:
        raise BadRequest(f"nothing loaded: {error}") from None
    return target.write(load_in, plans, derive)


@operation
def load_in(writer: Writer, plans: list[FilePlan], derive: bool) -> tuple[list, int | None]:
    """`load_into`, as the write operation the store runs."""
    loaded, derived = load_paths(writer, plans), None
    assessments = vocab.assessment_graphs(writer.base_uri)
    if derive and any(isinstance(graph, ox.NamedNode) and graph.value.startswith(assessments)
                      for graph, _ in loaded):
        derived = rebuild_into(writer)
    return loaded, derived


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@base_option
@setting_option("lang", "--lang", type=click.Choice(["nl", "en"]))
def validate(paths: tuple[Path, ...], base_uri: str | None, lang: str | None) -> None:
    """Validate files against the shapes: RDF (Turtle, JSON-LD, ...) and the CSV template of an
    assessment (rows reported by number). Exit 0 conforms, 1 violations, 2 unreadable."""
    from .validate_files import check_csv
    config = make_config(base_uri=base_uri, lang=lang)
    tables = [path for path in paths if path.suffix.lower() == ".csv"]
    rdf = [path for path in paths if path not in tables]
    conforms = True
    try:
        for table in tables:
            problems = check_csv(table, config.base_uri, config.lang)
            conforms = conforms and not problems
            click.echo(f"{table}: " + (("conform" if config.lang == "nl" else "conforms") if not problems
                                       else f"{len(problems)} " + ("probleem/problemen" if config.lang == "nl"
                                                                   else "problem(s)")))
            for problem in problems:
                click.echo(f"    {problem}")
        if rdf:
            graph = validation.read_graph(rdf, config.base_uri)
            report = validation.validate_graph(graph, config.base_uri)
            click.echo(validation.format_report(report, config.lang, where=focus_words(graph, config)))
            conforms = conforms and report.conforms
    except validation.UnreadableInput as error:
        raise BadRequest(str(error)) from None
    if not conforms:
        sys.exit(EXIT_VIOLATIONS)


def focus_words(graph, config):
    """A finding's focus as a person names it: a blank node by the part it is (domain 4, the
    assessment, a dataset), an IRI as itself."""
    from .assessments.problems import part_of, words

    def where(focus: str) -> str:
        if not (focus or "").startswith("_:"):
            return f"<{focus}>"
        return words(part_of(focus, graph, config.base_uri), config.lang)
    return where


@click.command()
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
        try:
            handle = output.open("wb")
        except OSError as error:
            raise BadRequest(f"cannot write {output}: {error.strerror}") from None
        with handle:
            target.dump(handle, rdf_format)


@click.command()
@store_option
@base_option
@click.option("--dumps", "every_dump", is_flag=True,
              help="Set the checksum and size of every graph's dump again, not only the missing ones.")
def statistics(store: str | None, base_uri: str | None, every_dump: bool) -> None:
    """Set each organisation's latest assessment and add the published statistics up again, set the
    register of organisations again, keep the dump checksums and sizes of the graphs that have none, and
    what each publication of the change feed carries where it is not kept yet.

    Publishing keeps them up to date; run this after loading assessments with `odmld load`, on a
    store written before odmld kept them, or (with --dumps) after an upgrade of pyoxigraph.
    """
    config = make_config(store=store, base_uri=base_uri)
    opened = open_for(config)
    written = rebuild_statistics(opened)
    registered = opened.write(register.set_again)
    dumps = opened.write(keep_every_in, not every_dump)
    members = caching.feed_members(config, opened)
    carried = 0 if members is None else keep_every_member(opened, members, feed_events.state(opened).count)
    click.echo(f"statistics: {written} quads in <{config.base_uri}graph/laatste/...> and "
               f"<{config.base_uri}graph/statistiek>; the register of organisations set again "
               f"({registered} quads in <{config.base_uri}graph/register>); the dumps of {dumps} graph(s) kept in "
               f"<{config.base_uri}graph/dumps>; what {carried} publication(s) of the change feed carry kept")


@click.command()
@click.option("--to", "new_base", required=True, metavar="URI", help="The base URI to move the store to.")
@store_option
@base_option
def rebase(new_base: str, store: str | None, base_uri: str | None) -> None:
    """Move the store to another base URI: every IRI and graph name under the old base (--base-uri, the
    one the store was loaded with) is rewritten, in one write."""
    from .rebase import rebase_store

    config = make_config(store=store, base_uri=base_uri)
    target = make_config(store=store, base_uri=new_base).base_uri
    moved = rebase_store(open_for(config), target)
    click.echo(f"rebased {moved} quads from {config.base_uri} to {target}")


@click.command("import-survey")
@click.argument("responses", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "organisation", required=True, help="The organisation's id (NIS code, or vgc).")
@click.option("--date", "date", required=True, help="The date of the survey, YYYY-MM-DD.")
@setting_option("lang", "--lang", type=click.Choice(["nl", "en"]))
@store_option
@base_option
def import_survey(responses: Path, organisation: str, date: str, lang: str | None, store: str | None,
                  base_uri: str | None) -> None:
    """Aggregate individual survey responses and publish them as an assessment with method survey."""
    from .assessments.survey import MINIMUM_GROUP
    from .assessments.survey_publish import SurveyRefused, publish_survey

    config = make_config(store=store, base_uri=base_uri, lang=lang)
    target = open_for(config)
    require_organisation(target, organisation)
    try:
        text = responses.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BadRequest(f"{responses}: not UTF-8 text") from None
    try:
        done = publish_survey(target, text, organisation, date)
    except SurveyRefused as refused:
        if refused.report is not None:
            raise Invalid(validation.format_report(refused.report, config.lang)) from None
        raise BadRequest(f"{responses}: {refused.words[config.lang]}") from None
    click.echo(f"{done.respondents} responses; statistics {done.dataset.value}")
    if done.suppressed:
        click.echo(f"not published per profile (fewer than {MINIMUM_GROUP}): " + ", ".join(done.suppressed))
    click.echo(f"assessment {done.published.iri.value} (version {done.published.version})")
