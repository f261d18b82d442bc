"""The IRIs of the maturity model, one function per URI pattern of docs/modelling.md ("URI patterns").

Each takes the deployment's base URI (ending in "/") first, so that no other module builds an IRI
under the base; the parsers (`organisation_id`, `odm_term_name`) read one back.
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox


def odm_namespace(base: str) -> str:
    """`ns/odm#`, the namespace of the ontology's terms."""
    return f"{base}ns/odm#"


@lru_cache(maxsize=None)
def odm(base: str, term: str) -> ox.NamedNode:
    """`ns/odm#Term`: a class or property of the ontology (made once per term, as every write uses them)."""
    return ox.NamedNode(f"{base}ns/odm#{term}")


def odm_term_name(base: str, iri: str) -> str | None:
    """The local name of a `ns/odm#Term` IRI, or None for an IRI outside the namespace."""
    namespace = odm_namespace(base)
    return iri[len(namespace):] if iri.startswith(namespace) else None


def ontology(base: str) -> ox.NamedNode:
    """`ns/odm`, the ontology IRI."""
    return ox.NamedNode(f"{base}ns/odm")


def base_of_ontology(iri: str) -> str | None:
    """The base URI of an ontology IRI `{base}ns/odm`, or None for another IRI."""
    return iri[: -len("ns/odm")] if iri.endswith("/ns/odm") else None


def ontology_version(base: str, version: str) -> ox.NamedNode:
    """`ns/odm/{version}`, the ontology's version IRI."""
    return ox.NamedNode(f"{base}ns/odm/{version}")


def shape(base: str, name: str) -> ox.NamedNode:
    """`ns/odm-shapes#ShapeName`."""
    return ox.NamedNode(f"{base}ns/odm-shapes#{name}")


def domain(base: str, n: int | str) -> ox.NamedNode:
    """`id/maturiteitsdomein/{n}`, a maturity domain 1..11."""
    return ox.NamedNode(f"{base}id/maturiteitsdomein/{n}")


def maturity_level(base: str, level: str) -> ox.NamedNode:
    """`id/maturiteitsniveau/{niet-aanwezig,opgestart,gevorderd,verworven}`, a maturity level."""
    return ox.NamedNode(f"{base}id/maturiteitsniveau/{level}")


def need_level(base: str, level: str) -> ox.NamedNode:
    """`id/noodniveau/{geen-nood,redelijke-nood,sterke-nood}`, a need level."""
    return ox.NamedNode(f"{base}id/noodniveau/{level}")


def principle(base: str, n: int | str) -> ox.NamedNode:
    """`id/charterprincipe/{n}`, a charter principle 1..20."""
    return ox.NamedNode(f"{base}id/charterprincipe/{n}")


def user_profile(base: str, profile: str) -> ox.NamedNode:
    """`id/gebruikersprofiel/{stadsmedewerker,beleidsmedewerker,data-expert,data-manager,aankoopdienst}`."""
    return ox.NamedNode(f"{base}id/gebruikersprofiel/{profile}")


def action(base: str, domain_n: int | str, n: int | str) -> ox.NamedNode:
    """`id/actie/{domain}-{n}`, the n-th action of a domain."""
    return ox.NamedNode(f"{base}id/actie/{domain_n}-{n}")


def method(base: str, name: str) -> ox.NamedNode:
    """`id/methode/{zelfevaluatie,bevraging,interview}`, an assessment method."""
    return ox.NamedNode(f"{base}id/methode/{name}")


@lru_cache(maxsize=4096)
def metric(base: str, name: str) -> ox.NamedNode:
    """`id/metriek/{name}`: maturiteit-{n} and nood-{n} per domain, vijf-sterren, and the averages
    ({laatste,eerste}-gemiddelde-maturiteit)."""
    return ox.NamedNode(f"{base}id/metriek/{name}")


def maturity_metric(base: str, n: int | str) -> ox.NamedNode:
    """`id/metriek/maturiteit-{n}`, the maturity metric of domain n."""
    return metric(base, f"maturiteit-{n}")


def need_metric(base: str, n: int | str) -> ox.NamedNode:
    """`id/metriek/nood-{n}`, the need metric of domain n."""
    return metric(base, f"nood-{n}")


def concept_scheme(base: str, name: str) -> ox.NamedNode:
    """`id/conceptschema/{name}`."""
    return ox.NamedNode(f"{base}id/conceptschema/{name}")


def organisation(base: str, organisation_id: str) -> ox.NamedNode:
    """`id/organisatie/{NIS code}` (the VGC, which has none, `id/organisatie/vgc`)."""
    return ox.NamedNode(f"{base}id/organisatie/{organisation_id}")


def organisation_id(organisation_iri: ox.NamedNode | str) -> str:
    """The NIS code (or "vgc") at the end of an `id/organisatie/{NIS code}` IRI."""
    value = organisation_iri.value if isinstance(organisation_iri, ox.NamedNode) else organisation_iri
    return value.rsplit("/", 1)[-1]


def notation(iri: ox.NamedNode | str) -> str:
    """The last path segment of a domain, principle, kind or catalogue IRI ("4" of
    `id/maturiteitsdomein/4`), a trailing "/" ignored."""
    value = iri.value if isinstance(iri, ox.NamedNode) else iri
    return value.rstrip("/").rsplit("/", 1)[-1]


def smart_portrait(base: str, path: str) -> ox.NamedNode:
    """`id/smartportrait/2017/...`, a part of the Smart Portrait 2017."""
    return ox.NamedNode(f"{base}id/smartportrait/2017/{path}")


def survey_2019(base: str, path: str) -> ox.NamedNode:
    """`id/bevraging/opendata-awareness-2019/...`, a part of the City of Things survey 2019-2020."""
    return ox.NamedNode(f"{base}id/bevraging/opendata-awareness-2019/{path}")


def checklist(base: str, area: str) -> ox.NamedNode:
    """`id/checklist/{area}`."""
    return ox.NamedNode(f"{base}id/checklist/{area}")


def checklist_item(base: str, area: str, n: int | str) -> ox.NamedNode:
    """`id/checklistitem/{area}-{n}`."""
    return ox.NamedNode(f"{base}id/checklistitem/{area}-{n}")


def star(base: str, n: int | str) -> ox.NamedNode:
    """`id/ster/{1..5}`, one of the five stars of open data."""
    return ox.NamedNode(f"{base}id/ster/{n}")


def source(base: str, seed: str) -> ox.NamedNode:
    """`id/bron/{seed-stem}`, the seed document a fact was taken from."""
    return ox.NamedNode(f"{base}id/bron/{seed}")


__all__ = [name for name, value in list(globals().items())  # the functions above, for `from .x import *`
           if callable(value) and getattr(value, "__module__", None) == __name__]
