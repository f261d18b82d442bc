"""Each organisation's latest and first assessment, and where its versions stand in the order of
publication, kept in a small graph of its own.

Comparisons across organisations start from "the latest assessment of each": finding it at query time
means looking at every version of every organisation (at 10,000 organisations x 10 years, 100,000
assessments). So each publication or withdrawal rewrites the organisation's graph
<graph/laatste/{id}> in the same atomic write: odm:latestAssessment (newest date, then the highest
version, not withdrawn), and two DQV measurements of the organisation, the average maturity of its
latest and of its first assessment, each saying which assessment it was derived from.

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
from ..store_api import NamedGraph, Store
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


def positions_of(store: Store, organisation: ox.NamedNode) -> dict[ox.NamedNode, int]:
    """The publication position of each of the organisation's versions, withdrawn ones included."""
    return {row["assessment"]: int(row["position"].value)
            for row in store.select(queries.get("publication-positions").text, organisation=organisation)}


def latest_file(base: str, organisation: ox.NamedNode, candidates: list[Version],
                positions: Mapping[ox.NamedNode, int]) -> NamedGraph:
    """The organisation's graph <graph/laatste/{id}> for these versions (not withdrawn) and the
    publication positions of all its versions."""
    graph = vocab.kept_graph(base, organisation)
    latest, first = latest_of(candidates), first_of(candidates)
    position_of = vocab.odm(base, "publicationPosition")
    triples = [(assessment, position_of, integer(position))
               for assessment, position in sorted(positions.items(), key=lambda item: item[1])]
    if latest is not None:
        triples.append((organisation, vocab.odm(base, "latestAssessment"), latest.assessment))
        triples += comparison_triples(base, organisation, latest, first)
        for name, version in (("laatste", latest), ("eerste", first)):
            if version.average is None:
                continue
            node = average_measurement(organisation, name)
            triples += [(node, RDF_TYPE, ox.NamedNode(DQV + "QualityMeasurement")),
                        (node, ox.NamedNode(DQV + "computedOn"), organisation),
                        (node, ox.NamedNode(DQV + "isMeasurementOf"),
                         vocab.metric(base, f"{name}-gemiddelde-maturiteit")),
                        (node, ox.NamedNode(DQV + "value"), ox.Literal(version.average, datatype=DECIMAL)),
                        (node, PROV_DERIVED, version.assessment)]
            if name == "laatste":  # its place in the ranking (statistics.contribution counts it there)
                place = ranking_observation(base, "rangschikking", average_key(version.average))
                triples += [(node, vocab.odm(base, "countedIn"), place),
                            (organisation, vocab.odm(base, "rankingPlace"), place)]
    return NamedGraph(graph=graph,
                      quads=[ox.Quad(s, p, o, graph) for s, p, o in triples])


def comparison_triples(base: str, organisation: ox.NamedNode, latest: Version, first: Version) -> list[tuple]:
    """What comparisons across organisations read of each, as properties of the organisation itself:
    the date, version and average maturity of its latest assessment, the date and average of its first.

    The DQV measurements say the same with provenance, but their dqv:value is shared by every
    measurement of the store (2.5 million at 10,000 organisations), so a ranking had to look each value
    up (30-50 us an organisation). A property that only these statements use is read for every
    organisation in one scan, and joined by hash."""
    triples = [(organisation, vocab.odm(base, "latestAssessmentDate"), ox.Literal(latest.date, datatype=DATE)),
               (organisation, vocab.odm(base, "latestAssessmentVersion"), integer(latest.version)),
               (organisation, vocab.odm(base, "firstAssessmentDate"), ox.Literal(first.date, datatype=DATE))]
    for name, version in (("latestAverageMaturity", latest), ("firstAverageMaturity", first)):
        if version.average is not None:
            triples.append((organisation, vocab.odm(base, name), ox.Literal(version.average, datatype=DECIMAL)))
    return triples


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
