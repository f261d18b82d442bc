"""Statistics over every organisation's latest assessment, published when an assessment is written.

The comparisons researchers ask for most (gap against need per domain, first priorities, least served
principles, centrumsteden against the rest) aggregate one row per organisation. Aggregating raw scores
at query time grows with the number of organisations: at 10,000 organisations x 10 years those queries
took 18-58 s. Instead, each publication or withdrawal that changes an organisation's latest assessment
takes that assessment's contribution out of running totals and adds the new one's, in the same atomic
write. The totals are RDF Data Cube observations in the graph <graph/statistiek>, so the queries read a
few dozen numbers. `rebuilt_files` adds everything up again from the store (`odmld statistics`).

One write runs at a time (see publish.py; on a remote store, across machines, by the server's write
lease, remote_lease.py), so no two updates read the same totals.

Totals are sums and counts, not averages, so that they can be updated by adding and subtracting; the
queries divide. One more count goes up with every publication, whether or not it changes a latest
assessment: the versions published per kind of organisation, whose sum is the length of the change feed.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Iterable

import pyoxigraph as ox

from .. import vocab
from ..sparql import library as queries
from .graph import AssessmentParts
from .latest import Ranks, domains_file, organisations_with_graph
from ..ranking_keys import average_key, ranking_key, ranking_observation
from .scoring import TOP_RANK, Model, average_maturity, model_inputs, priority
from ..store_api import NamedGraph, Store, rows_of
from ..vocab import RDF_TYPE, decimal, integer

QB = "http://purl.org/linked-data/cube#"
CENTRUMSTAD = "centrumstad"
OTHER = "other"

# A key of the totals is (slice, member, measure): the slice names the data set and its dimension,
# the member is the dimension's value (a domain or principle IRI, or a kind), the measure is an odm: term.
# The two ranking slices count the organisations at each place a ranking can give: per latest average
# maturity ("2.91"), and per domain, maturity rank and need rank ("4/3/2"); their member is that key.
Totals = Counter
SLICES = {  # slice: (data set, dimension property, measures)
    "domein": ("domeinen", "maturityDomain", ("organisationCount", "gapTotal", "needTotal", "firstPriorityCount")),
    "principe": ("principes", "charterPrinciple", ("organisationCount",)),
    "soort": ("soorten", "organisationKind", ("organisationCount", "averageMaturityTotal")),
    "versies": ("versies", "organisationKind", ("versionCount",)),
    "rangschikking": ("rangschikking", "averageMaturity", ("organisationCount",)),
    "domeinrangschikking": ("domeinrangschikking", "maturityDomain", ("organisationCount",)),
}
KEYED = {"rangschikking", "domeinrangschikking"}  # slices whose member is the observation's key
DECIMAL_MEASURES = {"averageMaturityTotal"}


def contribution(ranks: Ranks, kind: str, model: Model) -> Totals:
    """What one latest assessment adds: `ranks` maps each scored domain IRI to (maturity, need)."""
    totals: Totals = Counter()
    if not ranks:
        return totals
    for domain, (maturity, need) in ranks.items():
        totals["domein", domain, "organisationCount"] += 1
        totals["domein", domain, "gapTotal"] += TOP_RANK - maturity
        totals["domein", domain, "needTotal"] += need
    # the plan's first item: highest priority, ties in domain order (as scoring orders the plan)
    first, (maturity, need) = min(ranks.items(), key=lambda item: (
        -priority(TOP_RANK - item[1][0], item[1][1]), int(model.domains[item[0]][0])))
    if priority(TOP_RANK - maturity, need) > 0:
        totals["domein", first, "firstPriorityCount"] += 1
    served = set()
    for domain, (maturity, _need) in ranks.items():
        if maturity >= 2:
            served |= model.domains[domain][1]
    for principle in served:
        totals["principe", principle, "organisationCount"] += 1
    totals["soort", kind, "organisationCount"] += 1
    average = average_maturity([m for m, _ in ranks.values()])
    totals["soort", kind, "averageMaturityTotal"] += average
    totals["rangschikking", average_key(average), "organisationCount"] += 1
    for domain, (maturity, need) in ranks.items():
        totals["domeinrangschikking", ranking_key(domain, maturity, need), "organisationCount"] += 1
    return totals


def kind_of(store: Store, organisation: ox.NamedNode) -> str:
    rows = store.select(queries.get("organisation-kinds").text, organisation=organisation)
    return CENTRUMSTAD if any(row["classification"].value == CENTRUMSTAD for row in rows) else OTHER


def ranks_of_parts(parts: AssessmentParts, model: Model) -> Ranks:
    """The maturity and need rank per domain of an assessment about to be written."""
    return {part.domain.value: (model.ranks[part.maturity.value], model.ranks[part.need.value])
            for part in parts.domains}


def ranks_of_stored(store: Store, assessment: ox.NamedNode | None) -> Ranks:
    """The maturity and need rank per domain of an assessment in the store (none for None)."""
    if assessment is None:
        return {}
    rows = store.select(queries.get("assessment-domain-ranks").text, assessment=assessment)
    return {row["domain"].value: (int(row["maturity"].value), int(row["need"].value)) for row in rows}


def read_totals(store: Store, members: Iterable[tuple[str, str]] | None = None) -> Totals:
    """The totals as published in <graph/statistiek>: all of them, or those of `members` (slice,
    member) and the versions published (what a write changes and reads)."""
    base = store.base_uri
    if members is None:
        rows = store.select(queries.get("statistics").text)
    else:
        wanted = {*members, *(("versies", kind) for kind in (CENTRUMSTAD, OTHER))}
        observations = sorted({observation_iri(base, *member) for member in wanted}, key=str)
        rows = rows_of(store.query(queries.get("statistics-of").text, bindings={"observation": observations},
                                   default_graph=[vocab.statistics_graph(base)]))
    totals: Totals = Counter()
    for row in rows:
        slice_name, key = vocab.observation_slice_key(base, row["observation"])
        member = key if slice_name in KEYED else row["member"].value
        totals[slice_name, member, vocab.odm_term_name(base, row["measure"].value)] = Decimal(row["value"].value)
    return totals


def published_versions(totals: Totals) -> int:
    """How many assessment versions were published, withdrawn ones included."""
    return int(sum(value for (slice_name, _, _), value in totals.items() if slice_name == "versies"))


def page_count(items: int, page_size: int) -> int:
    """The pages of `page_size` that hold `items` (the feed's, the catalogue's): one even when empty."""
    return max(1, -(-items // page_size))


def one_more_version(kind: str) -> Totals:
    return Counter({("versies", kind, "versionCount"): 1})


def updated_file(base: str, totals: Totals, removed: Totals, added: Totals) -> NamedGraph | None:
    """The statistics graph after taking `removed` out of `totals` (as read from the store) and putting
    `added` in; None if unchanged."""
    if removed == added:
        return None
    totals = Counter(totals)
    totals.update(added)
    totals.subtract(removed)
    return statistics_file(base, totals)


def changed_statements(base: str, totals: Totals, removed: Totals,
                       added: Totals) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """The statements of <graph/statistiek> to remove and to add when `removed` is taken out of
    `totals` (as read from the store) and `added` put in: only those of the observations whose totals
    change (a publication changes a few dozen of ~2,000 statements), so the graph is neither read
    again nor written whole."""
    members = {(slice_name, member) for slice_name, member, _measure in (*removed, *added)}
    before: Totals = Counter({key: value for key, value in totals.items() if key[:2] in members})
    after = Counter(before)
    after.update(added)
    after.subtract(removed)
    old, new = set(statistics_file(base, before).quads), set(statistics_file(base, after).quads)
    return old - new, new - old


def rebuilt_files(store: Store) -> list[NamedGraph]:
    """The statistics graph added up from every organisation's latest assessment in the store, and
    each organisation's graph of latest ranks per domain (emptied where it has no latest assessment)."""
    model = model_inputs(store)
    ranks: dict[ox.NamedNode, Ranks] = {}
    latest: dict[ox.NamedNode, ox.NamedNode] = {}
    for row in store.select(queries.get("latest-domain-ranks").text):
        ranks.setdefault(row["organisation"], {})[row["domain"].value] = (
            int(row["maturity"].value), int(row["need"].value))
        latest[row["organisation"]] = row["assessment"]
    centrumsteden = {row["organisation"].value for row in store.select(queries.get("organisation-kinds").text)
                     if row["classification"].value == CENTRUMSTAD}
    kind = {True: CENTRUMSTAD, False: OTHER}
    totals: Totals = Counter()
    for organisation, scored in ranks.items():
        totals.update(contribution(scored, kind[organisation.value in centrumsteden], model))
    for row in store.select(queries.get("organisation-version-counts").text):
        totals["versies", kind[row["organisation"].value in centrumsteden], "versionCount"] += int(
            row["versions"].value)
    emptied = organisations_with_graph(store, "/domeinen") - set(ranks)
    return [statistics_file(store.base_uri, totals)] + [
        domains_file(store.base_uri, organisation, latest.get(organisation), ranks.get(organisation, {}))
        for organisation in sorted(set(ranks) | emptied, key=str)]


def statistics_file(base: str, totals: Totals) -> NamedGraph:
    """The graph <graph/statistiek>: one qb:Observation per slice and member with a count."""
    graph, quads = vocab.statistics_graph(base), []
    members = sorted({(s, m) for (s, m, _measure), value in totals.items() if value})
    for slice_name, member in members:
        data_set, dimension, measures = SLICES[slice_name]
        observation = observation_iri(base, slice_name, member)
        triples = [(RDF_TYPE, ox.NamedNode(QB + "Observation")),
                   (ox.NamedNode(QB + "dataSet"), vocab.current_statistics(base, data_set))]
        triples += _dimensions(base, slice_name, dimension, member)
        for measure in measures:  # zeros too, so that every observation has every measure
            number = totals[slice_name, member, measure]
            literal = decimal(Decimal(number)) if measure in DECIMAL_MEASURES else integer(int(number))
            triples.append((vocab.odm(base, measure), literal))
        quads += [ox.Quad(observation, p, o, graph) for p, o in triples]
    return NamedGraph(graph=graph, quads=quads)


def _dimensions(base: str, slice_name: str, dimension: str, member: str) -> list[tuple]:
    """The dimension values of one observation."""
    if slice_name == "rangschikking":
        return [(vocab.odm(base, dimension), decimal(Decimal(member)))]
    if slice_name == "domeinrangschikking":
        notation, maturity, need = member.split("/")
        return [(vocab.odm(base, "maturityDomain"), vocab.domain(base, notation)),
                (vocab.odm(base, "maturityRank"), integer(int(maturity))),
                (vocab.odm(base, "needRank"), integer(int(need)))]
    value = ox.Literal(member) if dimension == "organisationKind" else ox.NamedNode(member)
    return [(vocab.odm(base, dimension), value)]


def observation_iri(base: str, slice_name: str, member: str) -> ox.NamedNode:
    """The observation of `member` in a slice: its key is the member itself in the ranking slices."""
    return ranking_observation(base, slice_name, member if slice_name in KEYED else _member_key(member))


def _member_key(member: str) -> str:
    """The last segment of a domain or principle IRI ("3"), or the kind itself."""
    return vocab.notation(member)

