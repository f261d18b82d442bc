"""Each organisation's latest and first assessment, and where its versions stand in the order of
publication, kept in a small graph of its own.

Comparisons across organisations start from "the latest assessment of each": finding it at query time
means looking at every version of every organisation (at 10,000 organisations x 10 years, 100,000
assessments). So each publication or withdrawal keeps the organisation's graph <graph/laatste/{id}>
right in the same atomic write: odm:latestAssessment (newest date, then the highest version, not
withdrawn), and two DQV measurements of the organisation, the average maturity of its latest and of its
first assessment, each saying which assessment it was derived from.

A publication changes that graph by its difference (`publication_change`): it reads what the graph
says of the organisation and its two measurements (a few dozen statements, `kept_ends`), replaces the
latest's or the first's statements only where the new version becomes either, and adds the new
version's position. So its cost does not grow with the organisation's versions: reading every version
and writing the graph whole cost a write about 40 us a version (115 ms against 75 for an organisation
with 290 versions, at 10,000 organisations).

Beside it, <graph/laatste/{id}/domeinen> holds the latest maturity and need rank per domain as RDF Data
Cube observations (data set <id/statistiek/laatste>), so ranking organisations in a domain reads one
observation per organisation instead of every version's domain parts. It changes only when the latest
assessment does.

Both also say of the organisation itself where the rankings place it (odm:rankingPlace,
odm:domainRankingPlace: the statistics' observation that counts it, whose dimensions are its average,
or its domain, maturity and need). A query of a domain's organisations starts from the domain's dozen
places and reads each place's organisations in one index range: no scan of the 110,000 observations
of every domain (at 10,000 organisations), and no join of each observation to its organisation.

The organisation's graph also numbers each of its versions, withdrawn ones included, in the order of
publication across the whole store (odm:publicationPosition): the change feed and the catalogue are
paged in that order, so a page looks up its positions instead of sorting every version.
"""

from __future__ import annotations

from typing import Mapping, NamedTuple

import pyoxigraph as ox

from .. import vocab
from ..sparql import library as queries
from ..ranking_keys import average_key, ranking_key, ranking_observation
from ..store_api import NamedGraph, QuadChange, Store
from ..vocab import RDF_TYPE, XSD_DATE as DATE, XSD_DECIMAL as DECIMAL, integer

DQV = "http://www.w3.org/ns/dqv#"
PROV_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")


class Version(NamedTuple):
    date: str
    version: int
    assessment: ox.NamedNode
    average: str | None  # the average maturity published with it (none if no domain was scored)


def version_of(row: dict) -> Version:
    average = row.get("average")
    return Version(row["date"].value, int(row["version"].value), row["assessment"],
                   average.value if average is not None else None)


def versions_of(store: Store, organisation: ox.NamedNode) -> list[Version]:
    """Every version of the organisation's assessments that is not withdrawn, without its average
    (`average` None): `with_averages` reads those that `latest_file` publishes."""
    return [version_of(row) for row in store.select(queries.get("organisation-version-list").text,
                                                    organisation=organisation)]


def with_averages(store: Store, versions: list[Version]) -> list[Version]:
    """`versions` with the average maturity of the latest and the first read from the store where not
    known yet: all that `latest_file` publishes of them (reading every version's, for an organisation
    with ten, cost a write more than its other reads of the organisation together)."""
    ends = {version.assessment for version in (latest_of(versions), first_of(versions))
            if version is not None and version.average is None}
    if not ends:
        return versions
    found = {row["assessment"]: row["average"].value for row in store.select(
        queries.get("assessment-averages").text, assessment=sorted(ends, key=str))}
    return [version._replace(average=found.get(version.assessment)) if version.assessment in ends
            else version for version in versions]


def latest_of(candidates: list[Version]) -> Version | None:
    """The newest date, then the highest version."""
    return max(candidates, key=lambda c: (c.date, c.version)) if candidates else None


def first_of(candidates: list[Version]) -> Version | None:
    """The oldest date, then the lowest version."""
    return min(candidates, key=lambda c: (c.date, c.version)) if candidates else None


def organisations_with_graph(store: Store, suffix: str = "") -> set[ox.NamedNode]:
    """The organisations that have a graph <graph/laatste/{id}{suffix}> (a scan of every named graph)."""
    prefix = vocab.kept_graphs(store.base_uri)
    ids = [graph.value[len(prefix):len(graph.value) - len(suffix)] for graph in store.named_graphs()
           if isinstance(graph, ox.NamedNode) and graph.value.startswith(prefix) and graph.value.endswith(suffix)]
    return {vocab.organisation(store.base_uri, id_) for id_ in ids if "/" not in id_}


def latest_file(base: str, organisation: ox.NamedNode, candidates: list[Version],
                positions: Mapping[ox.NamedNode, int]) -> NamedGraph:
    """The organisation's graph <graph/laatste/{id}> for these versions (not withdrawn) and the
    publication positions of all its versions."""
    graph = vocab.kept_graph(base, organisation)
    position_of = vocab.odm(base, "publicationPosition")
    quads = [ox.Quad(assessment, position_of, integer(position), graph)
             for assessment, position in sorted(positions.items(), key=lambda item: item[1])]
    return NamedGraph(graph=graph, quads=quads + ends_quads(base, organisation, latest_of(candidates),
                                                            first_of(candidates)))


def ends_quads(base: str, organisation: ox.NamedNode, latest: Version | None,
               first: Version | None) -> list[ox.Quad]:
    """What the kept graph says of the organisation's latest and first versions."""
    graph = vocab.kept_graph(base, organisation)
    triples = (latest_triples(base, organisation, latest) if latest is not None else []) + \
        (first_triples(base, organisation, first) if first is not None else [])
    return [ox.Quad(s, p, o, graph) for s, p, o in triples]


def latest_triples(base: str, organisation: ox.NamedNode, latest: Version) -> list[tuple]:
    """odm:latestAssessment, and what comparisons across organisations read of it as properties of the
    organisation itself: its date, version and average maturity; then the measurement of that average,
    and the place in the ranking it counts in (statistics.contribution counts it there).

    The measurement says the average with provenance, but its dqv:value is shared by every measurement
    of the store (2.5 million at 10,000 organisations), so a ranking had to look each value up (30-50 us
    an organisation). A property that only these statements use is read for every organisation in one
    scan, and joined by hash."""
    triples = [(organisation, vocab.odm(base, "latestAssessment"), latest.assessment),
               (organisation, vocab.odm(base, "latestAssessmentDate"),
                ox.Literal(latest.date, datatype=DATE)),
               (organisation, vocab.odm(base, "latestAssessmentVersion"), integer(latest.version))]
    if latest.average is not None:
        node = average_measurement(organisation, "laatste")
        place = ranking_observation(base, "rangschikking", average_key(latest.average))
        triples += [(organisation, vocab.odm(base, "latestAverageMaturity"),
                     ox.Literal(latest.average, datatype=DECIMAL)),
                    *measurement_triples(base, organisation, "laatste", latest),
                    (node, vocab.odm(base, "countedIn"), place),
                    (organisation, vocab.odm(base, "rankingPlace"), place)]
    return triples


def first_triples(base: str, organisation: ox.NamedNode, first: Version) -> list[tuple]:
    """The date and average maturity of the organisation's first version, and the measurement of it."""
    triples = [(organisation, vocab.odm(base, "firstAssessmentDate"), ox.Literal(first.date, datatype=DATE))]
    if first.average is not None:
        triples += [(organisation, vocab.odm(base, "firstAverageMaturity"),
                     ox.Literal(first.average, datatype=DECIMAL)),
                    *measurement_triples(base, organisation, "eerste", first)]
    return triples


def measurement_triples(base: str, organisation: ox.NamedNode, name: str, version: Version) -> list[tuple]:
    """The DQV measurement of the average maturity of `version`, the organisation's "laatste" or "eerste"."""
    node = average_measurement(organisation, name)
    return [(node, RDF_TYPE, ox.NamedNode(DQV + "QualityMeasurement")),
            (node, ox.NamedNode(DQV + "computedOn"), organisation),
            (node, ox.NamedNode(DQV + "isMeasurementOf"),
             vocab.metric(base, f"{name}-gemiddelde-maturiteit")),
            (node, ox.NamedNode(DQV + "value"), ox.Literal(version.average, datatype=DECIMAL)),
            (node, PROV_DERIVED, version.assessment)]


class KeptEnds(NamedTuple):
    """What an organisation's kept graph says of its latest and first versions (`quads`: all it holds
    but the publication positions), the latest version it names and the date of the first."""
    quads: set[ox.Quad]
    latest: Version | None
    first_date: str | None


def kept_ends(store: Store, organisation: ox.NamedNode) -> KeptEnds:
    """The organisation's kept ends, read from its graph by subject: the organisation and its two
    measurements, a few dozen statements however many versions it has."""
    graph = vocab.kept_graph(store.base_uri, organisation)
    subjects = [organisation, *(average_measurement(organisation, name) for name in ("laatste", "eerste"))]
    rows = store.select(queries.get("kept-ends").text, graph=graph, subject=subjects)
    quads = {ox.Quad(row["subject"], row["predicate"], row["object"], graph) for row in rows}
    said = {quad.predicate: quad.object for quad in quads if quad.subject == organisation}  # functional
    assessment, date, version, average, first = (said.get(vocab.odm(store.base_uri, name)) for name in (
        "latestAssessment", "latestAssessmentDate", "latestAssessmentVersion", "latestAverageMaturity",
        "firstAssessmentDate"))
    latest = None if None in (assessment, date, version) else \
        Version(date.value, int(version.value), assessment, average.value if average is not None else None)
    return KeptEnds(quads, latest, first.value if first is not None else None)


def becomes_latest(ends: KeptEnds, written: Version) -> bool:
    """Whether a new version is its organisation's latest: it has the highest version of its date, so
    it is unless the latest has a later date."""
    return ends.latest is None or (written.date, written.version) > (ends.latest.date, ends.latest.version)


def publication_change(base: str, organisation: ox.NamedNode, ends: KeptEnds, written: Version,
                       position: int) -> QuadChange:
    """What a new version changes in its organisation's kept graph: its publication position, and the
    statements of the latest or of the first where it becomes either (the first only if no version
    kept has an earlier or the same date)."""
    latest_before = set(ends_quads(base, organisation, ends.latest, None))
    first_before = ends.quads - latest_before
    is_first = ends.first_date is None or written.date < ends.first_date
    wanted = (set(ends_quads(base, organisation, written, None)) if becomes_latest(ends, written)
              else latest_before)
    wanted |= set(ends_quads(base, organisation, None, written)) if is_first else first_before
    position_quad = ox.Quad(written.assessment, vocab.odm(base, "publicationPosition"), integer(position),
                            vocab.kept_graph(base, organisation))
    return QuadChange(removed=ends.quads - wanted, added=(wanted - ends.quads) | {position_quad})


def ends_change(base: str, organisation: ox.NamedNode, ends: KeptEnds,
                candidates: list[Version]) -> QuadChange:
    """The change that makes the kept graph name the latest and first of `candidates` (a withdrawal's)."""
    wanted = set(ends_quads(base, organisation, latest_of(candidates), first_of(candidates)))
    return QuadChange(removed=ends.quads - wanted, added=wanted - ends.quads)


Ranks = dict[str, tuple[int, int]]  # domain IRI -> (maturity rank, need rank)


def average_measurement(organisation: ox.NamedNode, name: str = "laatste") -> ox.NamedNode:
    """The measurement of the average maturity of the organisation's latest ("laatste") or first
    ("eerste") assessment."""
    return vocab.measurement(organisation, f"{name}-gemiddelde-maturiteit")


def domains_file(base: str, organisation: ox.NamedNode, latest: ox.NamedNode | None, ranks: Ranks) -> NamedGraph:
    """The graph <graph/laatste/{id}/domeinen>: the maturity and need rank per domain of the latest
    assessment `latest` (empty when there is none)."""
    graph = vocab.kept_graph(base, organisation, "/domeinen")
    qb = "http://purl.org/linked-data/cube#"
    quads = []
    for domain, (maturity, need) in sorted(ranks.items()) if latest is not None else ():
        observation = vocab.latest_observation(base, organisation, domain)
        place = ranking_observation(base, "domeinrangschikking", ranking_key(domain, maturity, need))
        quads += [ox.Quad(observation, p, o, graph) for p, o in (
            (RDF_TYPE, ox.NamedNode(qb + "Observation")),
            (ox.NamedNode(qb + "dataSet"), vocab.latest_statistics(base)),
            (vocab.odm(base, "observedOrganisation"), organisation),
            (vocab.odm(base, "maturityDomain"), ox.NamedNode(domain)),
            (vocab.odm(base, "maturityRank"), integer(maturity)),
            (vocab.odm(base, "needRank"), integer(need)),
            (vocab.odm(base, "countedIn"), place),
            (PROV_DERIVED, latest))]
        quads.append(ox.Quad(organisation, vocab.odm(base, "domainRankingPlace"), place, graph))
    return NamedGraph(graph=graph, quads=quads)


def every_latest_file(store: Store) -> list[NamedGraph]:
    """The graph <graph/laatste/{id}> of every organisation, from the store: its latest and first
    versions, and every version numbered in the order of publication across the store (publication
    time, then IRI). A graph that exists for an organisation without versions is emptied."""
    positions: dict[ox.NamedNode, dict[ox.NamedNode, int]] = {
        organisation: {} for organisation in organisations_with_graph(store)}
    for position, row in enumerate(store.select(queries.get("publication-order").text), start=1):
        positions.setdefault(row["organisation"], {})[row["assessment"]] = position
    versions: dict[ox.NamedNode, list[Version]] = {}
    for row in store.select(queries.get("organisation-versions").text):
        versions.setdefault(row["organisation"], []).append(version_of(row))
    return [latest_file(store.base_uri, organisation, versions.get(organisation, []), numbered)
            for organisation, numbered in positions.items()]
