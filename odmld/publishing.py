"""Publishing an assessment: validate, mint the next version, store it in one atomic write.

Only one process writes to the store (the one that opened it read-write); within it, a lock makes
"find the latest version, write the next" one step, so two cities (or two requests of one city)
writing at once both land, as different versions.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
import rdflib

from . import queries, statistics
from .latest import (Version, domains_file, every_latest_file, latest_file, latest_of, positions_of,
                     versions_of)
from .assessment_graph import AssessmentParts, build_triples, mint_iri, version_triples
from .loading import ParsedFile
from .scoring import Model, model_inputs, score_triples
from .store import Store
from .validation import Report, assessment_shapes, validate_graph

_WRITE_LOCK = threading.Lock()


class NotFound(LookupError):
    pass


class AlreadyWithdrawn(ValueError):
    pass


@dataclass(frozen=True)
class Published:
    iri: ox.NamedNode
    version: int
    previous: ox.NamedNode | None


def organisation_iri(base_uri: str, organisation_id: str) -> ox.NamedNode:
    return ox.NamedNode(f"{base_uri}id/organisatie/{organisation_id}")


def to_rdflib(triples: list[ox.Triple]) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def validate_parts(parts: AssessmentParts, base_uri: str) -> Report:
    """SHACL on the canonical graph of a submission, before it has a version."""
    draft = ox.NamedNode(f"{base_uri}id/inschatting/concept")
    return validate_graph(to_rdflib(build_triples(parts, draft, base_uri)), base_uri,
                          shapes=assessment_shapes(base_uri))


def publish(store: Store, parts: AssessmentParts, organisation_id: str,
            derived_from: list[ox.Quad] | None = None) -> Published:
    """Store `parts` as the next version of this organisation's assessment on this date.

    `derived_from` are the quads of a dataset the assessment was derived from (survey statistics):
    they are written in the same atomic step, and the assessment says prov:wasDerivedFrom it.
    """
    date = parts.date.value
    with _WRITE_LOCK:
        versions = store.select(queries.get("assessment-versions").text,
                                organisation=parts.organisation, date=parts.date)
        previous = versions[0]["assessment"] if versions else None
        version = int(versions[0]["version"].value) + 1 if versions else 1
        iri = mint_iri(store.base_uri, organisation_id, date, version)
        # microseconds, so the change feed's order by publication time is stable
        now = datetime.now(timezone.utc).isoformat(timespec="microseconds")
        model = model_inputs(store)
        triples = (build_triples(parts, iri, store.base_uri) + score_triples(store, parts, iri, model)
                   + version_triples(iri, version, previous, now))
        graph = ox.NamedNode(f"{store.base_uri}graph/inschatting/{organisation_id}/{date}/v{version}")
        files = []
        if derived_from:
            source = derived_from[0].subject
            triples.append(ox.Triple(iri, ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), source))
            files.append(ParsedFile(path=Path(source.value), graph=derived_from[0].graph_name,
                                    quads=derived_from))
        quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
        files.append(ParsedFile(path=Path(iri.value), graph=graph, quads=quads))
        files += derived_files(store, parts, Version(date, version, iri, published_average(triples, iri)), model)
        store.replace_graphs(file for file in files if file is not None)
    return Published(iri=iri, version=version, previous=previous)


def derived_files(store: Store, parts: AssessmentParts, written: Version, model: Model) -> list[ParsedFile]:
    """What a new version changes besides its own graph: the organisation's graph of latest versions and
    publication positions (the new version comes last), the published statistics (one more version), and,
    when it becomes the latest, the organisation's latest ranks per domain."""
    candidates = versions_of(store, parts.organisation)
    totals = statistics.read_totals(store)
    positions = positions_of(store, parts.organisation)
    positions[written.assessment] = statistics.published_versions(totals) + 1
    kind = statistics.kind_of(store, parts.organisation)
    removed: statistics.Totals = Counter()
    added = statistics.one_more_version(kind)
    files = [latest_file(store.base_uri, parts.organisation, candidates + [written], positions)]
    if latest_of(candidates + [written]) == written:
        before, ranks = latest_of(candidates), statistics.ranks_of_parts(parts, model)
        removed = statistics.contribution(
            statistics.ranks_of_stored(store, before and before.assessment), kind, model)
        added.update(statistics.contribution(ranks, kind, model))
        files.append(domains_file(store.base_uri, parts.organisation, written.assessment, ranks))
    return files + [statistics.updated_file(store.base_uri, totals, removed, added)]


def published_average(triples: list[ox.Triple], iri: ox.NamedNode) -> str | None:
    """The average maturity among the triples scored for `iri` (none if no domain was scored)."""
    node = f"{iri.value}/meting/gemiddelde-maturiteit"
    return next((t.object.value for t in triples if t.subject.value == node
                 and t.predicate.value == "http://www.w3.org/ns/dqv#value"), None)


def withdraw(store: Store, iri: ox.NamedNode, reason: str) -> None:
    """Mark a version withdrawn: it stays, as a tombstone with its reason and time."""
    graph = ox.NamedNode(iri.value.replace("/id/inschatting/", "/graph/inschatting/", 1))
    odm = f"{store.base_uri}ns/odm#"
    with _WRITE_LOCK:
        triples = list(store.query(queries.get("all-triples").text, default_graph=[graph]))
        if not any(t.subject == iri for t in triples):
            raise NotFound(iri.value)
        if any(t.subject == iri and t.predicate.value == odm + "withdrawalReason" for t in triples):
            raise AlreadyWithdrawn(iri.value)
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        triples += [
            ox.Triple(iri, ox.NamedNode(odm + "withdrawalReason"), ox.Literal(reason)),
            ox.Triple(iri, ox.NamedNode("http://www.w3.org/ns/prov#invalidatedAtTime"),
                      ox.Literal(now, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime"))),
        ]
        quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
        organisation = next(t.object for t in triples if t.subject == iri
                            and t.predicate.value == odm + "assessedOrganisation")
        versions = versions_of(store, organisation)
        candidates = [version for version in versions if version.assessment != iri]
        files = [ParsedFile(path=Path(iri.value), graph=graph, quads=quads),
                 latest_file(store.base_uri, organisation, candidates, positions_of(store, organisation))]
        before, after = latest_of(versions), latest_of(candidates)
        if before != after:
            kind, model = statistics.kind_of(store, organisation), model_inputs(store)
            old = statistics.ranks_of_stored(store, before and before.assessment)
            new = statistics.ranks_of_stored(store, after and after.assessment)
            files += [domains_file(store.base_uri, organisation, after and after.assessment, new),
                      statistics.updated_file(store.base_uri, statistics.read_totals(store),
                                              statistics.contribution(old, kind, model),
                                              statistics.contribution(new, kind, model))]
        store.replace_graphs(file for file in files if file is not None)


def rebuild_statistics(store: Store) -> int:
    """Set every organisation's latest and first assessment and its publication positions again from its
    versions, then its latest ranks per domain and the published statistics; returns the quads written.

    Two writes: the second reads the latest assessments the first one stored."""
    with _WRITE_LOCK:
        latest = every_latest_file(store)
        store.replace_graphs(latest)
        rebuilt = statistics.rebuilt_files(store)
        store.replace_graphs(rebuilt)
    return sum(len(file.quads) for file in latest + rebuilt)
