"""Publishing an assessment: validate, mint the next version, store it in one atomic write.

Each write is one write operation of the store (`store.write`), run while holding the deployment's
one write lock (across processes: the server's workers and the CLI), so "find the latest version,
write the next" is one step and two cities (or two requests of one city) writing at once, through any
process, both land, as different versions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone

import pyoxigraph as ox
import rdflib

from .. import feed_events, vocab
from ..sparql import library as queries
from . import statistics
from .latest import (Version, becomes_latest, domains_file, ends_change, every_latest_file, kept_ends,
                     latest_of, publication_change, versions_of, with_averages)
from .graph import (AssessmentParts, build_triples, submission_digest,
                               version_triples)
from .model_levels import require_model
from .scoring import Model, model_inputs, score_triples
from ..store_api import NamedGraph, QuadChange, Store, Writer, operation
from ..validation import Report, assessment_background, assessment_shapes, validate_graph

class NotFound(LookupError):
    pass


class AlreadyWithdrawn(ValueError):
    pass


@dataclass(frozen=True)
class Published:
    iri: ox.NamedNode
    version: int
    previous: ox.NamedNode | None
    existing: bool = False  # an identical resubmission: the version that already said it


def to_rdflib(triples: list[ox.Triple]) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def validate_parts(parts: AssessmentParts, base_uri: str) -> Report:
    """SHACL on the canonical graph of a submission, before it has a version."""
    draft = vocab.draft_assessment(base_uri)
    data = to_rdflib(build_triples(parts, draft, base_uri))
    return validate_graph(data, base_uri, background=assessment_background(data, base_uri),
                          shapes=assessment_shapes(base_uri))


def publish(store: Store, parts: AssessmentParts, organisation_id: str,
            derived_from: list[ox.Quad] | None = None) -> Published:
    """Store `parts` as the next version of this organisation's assessment on this date.

    `derived_from` are the quads of a dataset the assessment was derived from (survey statistics):
    they are written in the same atomic step, and the assessment says prov:wasDerivedFrom it.
    """
    return store.write(publish_in, parts, organisation_id, derived_from)


@operation
def publish_in(writer: Writer, parts: AssessmentParts, organisation_id: str,
               derived_from: list[ox.Quad] | None) -> Published:
    """`publish`, as the write operation the store runs."""
    date = parts.date.value
    versions = writer.select(queries.get("assessment-versions").text,
                             organisation=parts.organisation, date=parts.date)
    digest = submission_digest(parts, writer.base_uri)
    if versions and "withdrawn" not in versions[0] and versions[0].get("digest") == ox.Literal(digest):
        latest = versions[0]  # said already: a retry, or the same file sent twice
        return Published(latest["assessment"], int(latest["version"].value),
                         versions[1]["assessment"] if len(versions) > 1 else None, existing=True)
    previous = versions[0]["assessment"] if versions else None
    version = int(versions[0]["version"].value) + 1 if versions else 1
    iri = vocab.assessment(writer.base_uri, organisation_id, date, version)
    # microseconds, so the change feed's order by publication time is stable
    now = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    model = model_inputs(writer)
    require_model(model, parts)  # the CSV was read with the bundled model's levels
    triples = (build_triples(parts, iri, writer.base_uri) + score_triples(writer, parts, iri, model)
               + version_triples(iri, version, previous, now, digest, writer.base_uri))
    graph = vocab.assessment_graph(writer.base_uri, organisation_id, date, version)
    files = []
    if derived_from:
        source = derived_from[0].subject
        triples.append(ox.Triple(iri, ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), source))
        files.append(NamedGraph(graph=derived_from[0].graph_name,
                                quads=derived_from))
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    files.append(NamedGraph(graph=graph, quads=quads))
    files += derived_files(writer, parts, Version(date, version, iri, published_average(triples, iri)), model)
    files += feed_events.next_event_files(writer, iri, at=now)  # the change feed's publication event
    write_files(writer, files)
    return Published(iri=iri, version=version, previous=previous)


@dataclass(frozen=True)
class StatisticsChange:
    """The published statistics' totals as a write read them, and what it takes out and puts in."""
    totals: statistics.Totals
    removed: statistics.Totals
    added: statistics.Totals


def write_files(writer: Writer, files: list[NamedGraph | QuadChange | StatisticsChange]) -> None:
    """Replace the graphs of `files` and make their changes of statements; in the statistics, change
    only the statements of the observations whose totals change (statistics.changed_statements: a
    publication changes a few dozen of about 2,000, and reading the graph again to compare cost more
    than the rest of the write)."""
    writer.replace_graphs(file for file in files if isinstance(file, NamedGraph))
    for change in files:
        if isinstance(change, QuadChange):
            writer.change_quads(change.removed, change.added)
        elif isinstance(change, StatisticsChange) and change.removed != change.added:
            writer.change_quads(*statistics.changed_statements(writer.base_uri, change.totals,
                                                                 change.removed, change.added))


def derived_files(store: Store, parts: AssessmentParts, written: Version,
                  model: Model) -> list[NamedGraph | QuadChange | StatisticsChange]:
    """What a new version changes besides its own graph: the organisation's kept graph (its position in
    the order of publication, and its latest or first version where it becomes either), the published
    statistics (one more version), and, when it becomes the latest, the organisation's latest ranks per
    domain. It reads the organisation's kept ends, not its versions: the cost does not grow with them."""
    ends = kept_ends(store, parts.organisation)
    kind = statistics.kind_of(store, parts.organisation)
    removed: statistics.Totals = Counter()
    added = statistics.one_more_version(kind)
    files: list[NamedGraph | QuadChange | StatisticsChange] = []
    if becomes_latest(ends, written):
        ranks = statistics.ranks_of_parts(parts, model)
        removed = statistics.contribution(
            statistics.ranks_of_stored(store, ends.latest and ends.latest.assessment), kind, model)
        added.update(statistics.contribution(ranks, kind, model))
        files.append(domains_file(store.base_uri, parts.organisation, written.assessment, ranks))
    change = statistics_change(store, removed, added)
    position = statistics.published_versions(change.totals) + 1
    return [publication_change(store.base_uri, parts.organisation, ends, written, position), *files, change]


def statistics_change(store: Store, removed: statistics.Totals, added: statistics.Totals) -> StatisticsChange:
    """The change to the published statistics, with the totals of only the observations it changes
    (and the versions published) read from the store."""
    members = {(slice_name, member) for slice_name, member, _measure in (*removed, *added)}
    return StatisticsChange(statistics.read_totals(store, members), removed, added)


def published_average(triples: list[ox.Triple], iri: ox.NamedNode) -> str | None:
    """The average maturity among the triples scored for `iri` (none if no domain was scored)."""
    node = vocab.measurement(iri, "gemiddelde-maturiteit")
    return next((t.object.value for t in triples if t.subject == node
                 and t.predicate.value == "http://www.w3.org/ns/dqv#value"), None)


def withdraw(store: Store, iri: ox.NamedNode, reason: str) -> None:
    """Mark a version withdrawn: it stays, as a tombstone with its reason and time."""
    store.write(withdraw_in, iri, reason)


@operation
def withdraw_in(writer: Writer, iri: ox.NamedNode, reason: str) -> None:
    """`withdraw`, as the write operation the store runs."""
    graph = vocab.graph_of_assessment(iri)
    triples = list(writer.query(queries.get("all-triples").text, default_graph=[graph]))
    if not any(t.subject == iri for t in triples):
        raise NotFound(iri.value)
    if any(t.subject == iri and t.predicate == vocab.odm(writer.base_uri, "withdrawalReason") for t in triples):
        raise AlreadyWithdrawn(iri.value)
    now = datetime.now(timezone.utc).isoformat(timespec="microseconds")  # the events' order
    triples += [
        ox.Triple(iri, vocab.odm(writer.base_uri, "withdrawalReason"), ox.Literal(reason)),
        ox.Triple(iri, ox.NamedNode("http://www.w3.org/ns/prov#invalidatedAtTime"),
                  vocab.date_time(now)),
    ]
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    organisation = next(t.object for t in triples if t.subject == iri
                        and t.predicate == vocab.odm(writer.base_uri, "assessedOrganisation"))
    versions = versions_of(writer, organisation)
    candidates = [version for version in versions if version.assessment != iri]
    files = [NamedGraph(graph=graph, quads=quads),
             ends_change(writer.base_uri, organisation, kept_ends(writer, organisation),
                         with_averages(writer, candidates))]
    before, after = latest_of(versions), latest_of(candidates)
    if before != after:
        kind, model = statistics.kind_of(writer, organisation), model_inputs(writer)
        old = statistics.ranks_of_stored(writer, before and before.assessment)
        new = statistics.ranks_of_stored(writer, after and after.assessment)
        files += [domains_file(writer.base_uri, organisation, after and after.assessment, new),
                  statistics_change(writer, statistics.contribution(old, kind, model),
                                    statistics.contribution(new, kind, model))]
    files += feed_events.next_event_files(writer, iri, reason, at=now)  # the feed's withdrawal event
    write_files(writer, files)


def rebuild_statistics(store: Store) -> int:
    """Set everything derived from the assessments again, in one write (see `rebuild_into`)."""
    return store.write(rebuild_into)


@operation
def rebuild_into(writer: Writer) -> int:
    """Set every organisation's latest and first assessment and its publication positions again from its
    versions, then its latest ranks per domain and the published statistics, and, on a store written
    before odmld kept them, the change feed's events; returns the quads written.

    In two steps of one write: the second reads the latest assessments the first one stored."""
    latest = every_latest_file(writer)
    writer.replace_graphs(latest)
    rebuilt = statistics.rebuilt_files(writer) + feed_events.history_files(writer)
    writer.replace_graphs(rebuilt)
    return sum(len(file.quads) for file in latest + rebuilt)
