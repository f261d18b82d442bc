"""Scores and a remediation plan for an assessment, as linked data published beside it.

Per domain: the maturity and need ranks as DQV measurements of the domain's metrics, the gap to
'verworven' (3 - maturity rank) and a priority = gap x (need rank + 1), 0..9. The plan orders the
domains by priority (ties in domain order) and lists each domain's actions. Totals: average maturity,
the number of domains at each level, and the share of the 20 charter principles served by a domain at
'gevorderd' or better.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox

from .. import vocab
from ..sparql import library as queries
from .graph import AssessmentParts, ordered_datasets
from ..stars import rate
from ..store_api import Store
from ..vocab import RDF_TYPE, boolean, decimal, integer

TOP_RANK = 3
PRINCIPLES = 20
DQV = "http://www.w3.org/ns/dqv#"
COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
QUALITY_MEASUREMENT = ox.NamedNode(DQV + "QualityMeasurement")
COMPUTED_ON, MEASUREMENT_OF, VALUE = (ox.NamedNode(DQV + name) for name in ("computedOn", "isMeasurementOf", "value"))
LEVEL_SLUGS = ("niet-aanwezig", "opgestart", "gevorderd", "verworven")


def priority(gap: int, need_rank: int) -> int:
    return gap * (need_rank + 1)


def average_maturity(ranks: list[int]) -> Decimal:
    """The mean maturity rank, to two decimals: what the assessment and the statistics both publish."""
    return (Decimal(sum(ranks)) / len(ranks)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Model:
    """What scoring and the statistics need from the maturity model."""
    ranks: dict[str, int]  # level IRI -> rank
    domains: dict[str, tuple[str, set, set]]  # domain IRI -> (notation, principles, actions)


def model_inputs(store: Store) -> Model:
    """Ranks of every level, and per domain IRI: (notation, principles, actions)."""
    ranks = {row["level"].value: int(row["rank"].value)
             for row in store.select(queries.get("level-lookup").text)}
    domains: dict[str, tuple[str, set, set]] = {}
    for row in store.select(queries.get("domain-plan-inputs").text):
        notation, principles, actions = domains.setdefault(
            row["domain"].value, (row["notation"].value, set(), set()))
        if "principle" in row:
            principles.add(row["principle"].value)
        if "action" in row:
            actions.add(row["action"].value)
    return Model(ranks, domains)


def score_triples(store: Store, parts: AssessmentParts, iri: ox.NamedNode,
                  model: Model | None = None) -> list[ox.Triple]:
    """The scores, plan and totals of `parts`; pass `model` when it is already read."""
    model = model or model_inputs(store)
    ranks, domains = model.ranks, model.domains
    base = store.base_uri
    triples: list[ox.Triple] = []

    def measurement(name: str, value: ox.Literal) -> None:
        """A dqv:QualityMeasurement of the metric `id/metriek/{name}` on this assessment."""
        node = vocab.measurement(iri, name)
        triples.extend([ox.Triple(node, RDF_TYPE, QUALITY_MEASUREMENT), ox.Triple(node, COMPUTED_ON, iri),
                        ox.Triple(node, MEASUREMENT_OF, vocab.metric(base, name)), ox.Triple(node, VALUE, value)])

    items = []
    for part in parts.domains:
        notation, _principles, _actions = domains[part.domain.value]
        maturity, need = ranks[part.maturity.value], ranks[part.need.value]
        measurement(f"maturiteit-{notation}", integer(maturity))
        measurement(f"nood-{notation}", integer(need))
        gap = TOP_RANK - maturity
        items.append((-priority(gap, need), int(notation), part, gap, priority(gap, need)))

    plan = vocab.plan(iri)
    triples += [ox.Triple(plan, RDF_TYPE, vocab.odm(base, "RemediationPlan")),
                ox.Triple(plan, vocab.odm(base, "planFor"), iri)]
    plan_item, item_type = vocab.odm(base, "planItem"), vocab.odm(base, "PlanItem")
    domain_of = vocab.odm(base, "domain")
    gap_of, priority_of, order_of = vocab.odm(base, "gap"), vocab.odm(base, "priority"), vocab.odm(base, "order")
    recommended = vocab.odm(base, "recommendedAction")
    for order, (_key, notation, part, gap, value) in enumerate(sorted(items, key=lambda i: i[:2]), 1):
        item = vocab.plan_item(plan, notation)
        triples += [ox.Triple(plan, plan_item, item), ox.Triple(item, RDF_TYPE, item_type),
                    ox.Triple(item, domain_of, part.domain), ox.Triple(item, gap_of, integer(gap)),
                    ox.Triple(item, priority_of, integer(value)), ox.Triple(item, order_of, integer(order))]
        if gap > 0:
            triples += [ox.Triple(item, recommended, action) for action in sorted_actions(domains, part.domain.value)]

    scored = [ranks[p.maturity.value] for p in parts.domains]
    if scored:
        measurement("gemiddelde-maturiteit", decimal(average_maturity(scored)))
    for rank, slug in enumerate(LEVEL_SLUGS):
        measurement(f"domeinen-{slug}", integer(scored.count(rank)))
    served = set()
    for part in parts.domains:
        if ranks[part.maturity.value] >= 2:
            served |= domains[part.domain.value][1]
    share = (Decimal(len(served)) / PRINCIPLES).quantize(Decimal("0.01"))
    measurement("aandeel-principes-gevorderd", decimal(share))
    triples += dataset_ratings(parts, iri, base, measurement)
    return triples


def sorted_actions(domains: dict[str, tuple[str, set, set]], domain: str) -> list[ox.NamedNode]:
    """A domain's actions as IRIs, in a stable order."""
    return [ox.NamedNode(action) for action in sorted(domains[domain][2])]


def dataset_ratings(parts: AssessmentParts, iri: ox.NamedNode, base: str, measurement) -> list[ox.Triple]:
    """Each listed dataset's stars with a check per star (met, or why not), and the city's totals."""
    triples, counts = [], [0] * 6
    for number, listed in ordered_datasets(parts):
        dataset = vocab.listed_dataset(iri, number)
        rating = rate(listed.media, listed.licence, listed.links)
        counts[rating.stars] += 1
        node = vocab.star_rating(dataset)
        triples += [ox.Triple(dataset, ox.NamedNode(DQV + "hasQualityMeasurement"), node),
                    ox.Triple(node, RDF_TYPE, ox.NamedNode(DQV + "QualityMeasurement")),
                    ox.Triple(node, ox.NamedNode(DQV + "computedOn"), dataset),
                    ox.Triple(node, ox.NamedNode(DQV + "isMeasurementOf"),
                              vocab.metric(base, "vijf-sterren")),
                    ox.Triple(node, ox.NamedNode(DQV + "value"), integer(rating.stars))]
        for check in rating.checks:
            star = vocab.star_check(dataset, check.number)
            triples += [ox.Triple(dataset, vocab.odm(base, "starCheck"), star),
                        ox.Triple(star, RDF_TYPE, vocab.odm(base, "StarCheck")),
                        ox.Triple(star, vocab.odm(base, "star"), vocab.star(base, check.number)),
                        ox.Triple(star, vocab.odm(base, "met"), boolean(check.met))]
            if not check.met:
                triples += [ox.Triple(star, COMMENT, ox.Literal(check.reason_nl, language="nl")),
                            ox.Triple(star, COMMENT, ox.Literal(check.reason_en, language="en"))]
    if parts.datasets:
        for stars, count in enumerate(counts):
            measurement(f"datasets-{stars}-sterren", integer(count))
        at_least_three = Decimal(sum(counts[3:])) / len(parts.datasets)
        measurement("aandeel-datasets-3-sterren", decimal(at_least_three.quantize(Decimal("0.01"))))
    return triples
