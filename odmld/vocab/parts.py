"""The IRIs of the parts of a thing, minted under the thing's own IRI (docs/modelling.md, "IRIs minted
at run time"): the domains and datasets of an assessment, its measurements and plan, the survey's
observations, and the distributions of a catalogue dataset."""

from __future__ import annotations

import pyoxigraph as ox


def domain_assessment(assessment: ox.NamedNode, notation: str) -> ox.NamedNode:
    """`{assessment}/domein-{n}`, the assessment of one domain."""
    return ox.NamedNode(f"{assessment.value}/domein-{notation}")


def listed_dataset(assessment: ox.NamedNode, number: int) -> ox.NamedNode:
    """`{assessment}/dataset-{n}`, the n-th dataset an assessment lists."""
    return ox.NamedNode(f"{assessment.value}/dataset-{number}")


def measurement(subject: ox.NamedNode, name: str) -> ox.NamedNode:
    """`{thing}/meting/{name}`, a DQV measurement of an assessment or an organisation."""
    return ox.NamedNode(f"{subject.value}/meting/{name}")


def plan(assessment: ox.NamedNode) -> ox.NamedNode:
    """`{assessment}/plan`, its remediation plan."""
    return ox.NamedNode(f"{assessment.value}/plan")


def plan_item(plan_iri: ox.NamedNode, notation: str) -> ox.NamedNode:
    """`{plan}/domein-{n}`, the plan's item for one domain."""
    return ox.NamedNode(f"{plan_iri.value}/domein-{notation}")


def star_rating(dataset: ox.NamedNode) -> ox.NamedNode:
    """`{dataset}/sterren`, the five-star rating of a listed dataset or a distribution."""
    return ox.NamedNode(f"{dataset.value}/sterren")


def star_check(dataset: ox.NamedNode, number: int) -> ox.NamedNode:
    """`{dataset}/ster-{1..5}`, whether a listed dataset earns one star."""
    return ox.NamedNode(f"{dataset.value}/ster-{number}")


def survey_observation(dataset: ox.NamedNode, segment: str, question: str, answer: str) -> ox.NamedNode:
    """`{survey}/{segment}/{question}/{answer}`, how many of a segment gave one answer."""
    return ox.NamedNode(f"{dataset.value}/{segment}/{question}/{answer}")


def distribution(dataset: ox.NamedNode, key: str) -> ox.NamedNode:
    """`{dataset}/distributie/{key}` (ttl, nt, jsonld, rdf, dump, csv)."""
    return ox.NamedNode(f"{dataset.value}/distributie/{key}")


def checksum(distribution_iri: ox.NamedNode) -> ox.NamedNode:
    """`{distribution}/checksum`."""
    return ox.NamedNode(f"{distribution_iri.value}/checksum")


def period(dataset: ox.NamedNode) -> ox.NamedNode:
    """`{dataset}/periode`, its temporal coverage."""
    return ox.NamedNode(f"{dataset.value}/periode")


def record(dataset: ox.NamedNode) -> ox.NamedNode:
    """`{dataset}/record`, its catalogue record."""
    return ox.NamedNode(f"{dataset.value}/record")


__all__ = [name for name, value in list(globals().items())  # the functions above, for `from .x import *`
           if callable(value) and getattr(value, "__module__", None) == __name__]
