"""The IRIs odmld mints while it runs, one function per pattern of docs/modelling.md ("IRIs minted at
run time"): assessment versions and their graphs, what is derived from them (statistics, the latest
versions, the register), and the change feed. Each takes the base URI first; the parsers read one back.
"""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox

from .model import organisation_id


def assessment(base: str, organisation: str, date: str, version: int) -> ox.NamedNode:
    """`id/inschatting/{organisation}/{date}/v{n}`, one published version of an assessment."""
    return ox.NamedNode(f"{base}id/inschatting/{organisation}/{date}/v{version}")


def assessment_at(base: str, ref: str) -> ox.NamedNode:
    """`id/inschatting/{ref}`, an assessment by the path after id/inschatting/ (as a route takes it)."""
    return ox.NamedNode(f"{base}id/inschatting/{ref}")


def draft_assessment(base: str) -> ox.NamedNode:
    """`id/inschatting/concept`, the assessment of a submission before it has its version's IRI."""
    return ox.NamedNode(f"{base}id/inschatting/concept")


def assessment_ref(base: str, iri: ox.NamedNode) -> str:
    """The `{organisation id}/{date}/v{n}` of an `id/inschatting/...` IRI."""
    return iri.value[len(f"{base}id/inschatting/"):]


def assessment_graph(base: str, organisation: str, date: str, version: int) -> ox.NamedNode:
    """`graph/inschatting/{organisation}/{date}/v{n}`, the named graph of one assessment version."""
    return ox.NamedNode(f"{base}graph/inschatting/{organisation}/{date}/v{version}")


def graph_of_assessment(iri: ox.NamedNode) -> ox.NamedNode:
    """The graph `graph/inschatting/...` of the assessment `id/inschatting/...`."""
    return ox.NamedNode(iri.value.replace("/id/inschatting/", "/graph/inschatting/", 1))


def assessment_graphs(base: str) -> str:
    """`graph/inschatting/`, what the name of every assessment version's graph starts with."""
    return f"{base}graph/inschatting/"


def survey_dataset(base: str, organisation: str, date: str) -> ox.NamedNode:
    """`id/bevraging/{organisation}/{date}`, the statistics of a survey an organisation held."""
    return ox.NamedNode(f"{base}id/bevraging/{organisation}/{date}")


def survey_graph(base: str, organisation: str, date: str) -> ox.NamedNode:
    """`graph/bevraging/{organisation}/{date}`."""
    return ox.NamedNode(f"{base}graph/bevraging/{organisation}/{date}")


def statistics_graph(base: str) -> ox.NamedNode:
    """`graph/statistiek`, the statistics over every organisation's latest version."""
    return ox.NamedNode(f"{base}graph/statistiek")


def current_statistics(base: str, data_set: str) -> ox.NamedNode:
    """`id/statistiek/actueel/{data set}`, a data set of the statistics."""
    return ox.NamedNode(f"{base}id/statistiek/actueel/{data_set}")


def current_observation(base: str, slice_name: str, key: str) -> ox.NamedNode:
    """`id/statistiek/actueel/{slice}/{key}`, one observation of the statistics."""
    return ox.NamedNode(f"{base}id/statistiek/actueel/{slice_name}/{key}")


def place_order_graph(place: ox.NamedNode) -> ox.NamedNode:
    """`graph/plaatsvolgorde/{slice}/{key}`: the organisations the observation of that slice and key
    (`place`) counts, in name order (odmld.place_order)."""
    return ox.NamedNode(place.value.replace("/id/statistiek/actueel/", "/graph/plaatsvolgorde/", 1))


def observation_slice_key(base: str, iri: ox.NamedNode) -> tuple[str, str]:
    """The (slice, key) of an `id/statistiek/actueel/{slice}/{key}` IRI."""
    slice_name, _, key = iri.value[len(f"{base}id/statistiek/actueel/"):].partition("/")
    return slice_name, key


def latest_statistics(base: str) -> ox.NamedNode:
    """`id/statistiek/laatste`, the data set of each organisation's latest ranks per domain."""
    return ox.NamedNode(f"{base}id/statistiek/laatste")


def latest_observation(base: str, organisation: ox.NamedNode, domain: str) -> ox.NamedNode:
    """`id/statistiek/laatste/{organisation}/{domain}`: the latest ranks in one domain (an IRI)."""
    return ox.NamedNode(f"{base}id/statistiek/laatste/{organisation_id(organisation)}/"
                        f"{domain.rsplit('/', 1)[-1]}")


def kept_graph(base: str, organisation: ox.NamedNode, suffix: str = "") -> ox.NamedNode:
    """`graph/laatste/{organisation}`, or with suffix "/domeinen" `graph/laatste/{organisation}/domeinen`
    (its latest ranks per domain)."""
    return ox.NamedNode(f"{base}graph/laatste/{organisation_id(organisation)}{suffix}")


def kept_graphs(base: str) -> str:
    """`graph/laatste/`, what the name of every kept graph starts with."""
    return f"{base}graph/laatste/"


def register_graph(base: str) -> ox.NamedNode:
    """`graph/register`, the register of organisations (its name order and search keys)."""
    return ox.NamedNode(f"{base}graph/register")


def register(base: str) -> ox.NamedNode:
    """`id/register`."""
    return ox.NamedNode(f"{base}id/register")


def register_key(base: str, key: str) -> ox.NamedNode:
    """`id/register/sleutel/{key}`, a search key of the register (percent-encoded)."""
    return ox.NamedNode(f"{base}id/register/sleutel/{quote(key, safe='')}")


def register_kind(base: str, kind: str) -> ox.NamedNode:
    """`id/register/soort/{kind}`, a kind of organisation (by its notation)."""
    return ox.NamedNode(f"{base}id/register/soort/{kind}")


def event(base: str, position: int) -> ox.NamedNode:
    """`id/gebeurtenis/{n}`, the n-th event of the change feed."""
    return ox.NamedNode(f"{base}id/gebeurtenis/{position}")


def event_graph(base: str, position: int) -> ox.NamedNode:
    """`graph/gebeurtenis/{n}`."""
    return ox.NamedNode(f"{base}graph/gebeurtenis/{position}")


def feed_graph(base: str) -> ox.NamedNode:
    """`graph/feed`."""
    return ox.NamedNode(f"{base}graph/feed")


def event_stream(base: str) -> ox.NamedNode:
    """`id/feed/inschattingen`, the event stream of publications and withdrawals."""
    return ox.NamedNode(f"{base}id/feed/inschattingen")


def feed_page(base: str, page: int) -> ox.NamedNode:
    """`feed?page={n}`, a page of the change feed."""
    return ox.NamedNode(f"{base}feed?page={page}")


def feed_relation(base: str, page: int, name: str) -> ox.NamedNode:
    """`feed?page={n}#volgende-{name}`, a relation from a feed page to the next."""
    return ox.NamedNode(f"{base}feed?page={page}#volgende-{name}")


__all__ = [name for name, value in list(globals().items())  # the functions above, for `from .x import *`
           if callable(value) and getattr(value, "__module__", None) == __name__]
