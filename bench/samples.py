"""How the benchmarks bind each query: the values a request binds, so that a query is timed as odmld runs
it (bench/run.py and bench/queries.py both time from here).

A query no request runs (UPKEEP: a rebuild, a load, the store's checks when it is opened) reads the whole
store by design and is not timed against the per-request limits; SUBMISSION_ONLY runs on a scratch store
holding one submission.
"""

from __future__ import annotations

import pyoxigraph as ox

from generate import BASE
from odmld import vocab
from odmld.rankings import MOST
from odmld.sparql import library as queries
from odmld.vocab import integer

SAMPLES = {"lang": ox.Literal("nl"), "domain": ox.NamedNode(f"{BASE}id/maturiteitsdomein/4"),
           "principle": ox.NamedNode(f"{BASE}id/charterprincipe/2"),
           "organisation": ox.NamedNode(f"{BASE}id/organisatie/b1"),
           "date": ox.Literal("2020-06-30", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
           "resource": ox.NamedNode(f"{BASE}id/maturiteitsdomein/4"),
           "assessment": ox.NamedNode(f"{BASE}id/inschatting/b1/2020-06-30/v1"), "kind": ox.Literal("nood"),
           # one page of the feed or the catalogue, as the app binds it: the 50 positions of page 20
           "position": [integer(n) for n in range(951, 1001)]}
# Queries odmld runs only on a scratch store holding one submission (odmld/assessments/graph.py). On the
# 10,000 store submission-parts ran for over 10 minutes a time, for a figure that means nothing.
SUBMISSION_ONLY = {"submission-parts", "submission-datasets"}
# The app's own queries that no request runs: a rebuild (`odmld statistics`), a load, the register set
# again after a write of organisations, the store's checks when it is opened, the CLI.
UPKEEP = {"all-triples", "latest-domain-ranks", "publication-order", "organisation-version-counts",
          "event-history", "register-sources", "store-base-graphs", "store-counts", "store-graphs",
          "store-holds-anything", "store-ontology-iris", "store-size", "store-union-check",
          "survey-answer-scales", "organisation-exists",
          # the place order graphs set again with the register, and a place sorted on a store written
          # before them (odmld.place_order)
          "place-order-sources", "place-order-graphs", "place-sorted"} | SUBMISSION_ONLY
# Library queries timed with other bindings than SAMPLES: their optional parameters unbound (the whole
# answer); latest-maturity also for one domain (unbound it is 11 rows per organisation).
LIBRARY_CASES = {"latest-maturity": [{}, {"domain": SAMPLES["domain"]}], "smart-portrait": [{}],
                 "domains": [{}], "survey-findings-by-profile": [{"kind": ox.Literal("nood")}]}
# Sample values for the app's own parameters: a search key a few generated names share ("Bestuur 123",
# "Bestuur 1230", ...: the app looks a key up only when at most register.COMMON organisations share it,
# and reads the register in name order otherwise), one version's graph; the places of the rankings are
# the most crowded (see `places`).
INTERNAL_SAMPLES = {
    "key": vocab.register_key(BASE, "123"), "identifier": ox.Literal("b1"), "base": ox.Literal(BASE),
    "kind": {"organisations-of-kind-page": ox.NamedNode(f"{BASE}id/organisatietype/centrumstad")},
    # the register's pages as they exist at every size (page 20 of the catalogue's positions is past
    # the 300 organisations of the small store): its third page of 50, a kind's first
    "position": {"organisations-page": [integer(n) for n in range(101, 151)],
                 "register-at": [integer(n) for n in range(101, 151)],
                 "organisation-search": [integer(n) for n in range(101, 151)],
                 "organisations-of-kind-page": [integer(n) for n in range(1, 51)]},
    # what a request binds: the 50 dumps of a catalogue page, the subjects of a write's changes
    # (odmld.kept_write), the kept graphs of one organisation (placed-in-graphs, at every write)
    "dump": [vocab.dump(BASE, f"inschatting/b{n}/2020-06-30/v1") for n in range(50)],
    "subject": {"kept-ends": [vocab.organisation(BASE, "b1"),
                              vocab.measurement(vocab.organisation(BASE, "b1"), "laatste-gemiddelde-maturiteit")],
                "*": [vocab.assessment(BASE, "b1", "2020-06-30", 1)]},
    "graph": {"placed-in-graphs": [vocab.kept_graph(BASE, vocab.organisation(BASE, "b1")),
                                   vocab.kept_graph(BASE, vocab.organisation(BASE, "b1"), "/domeinen")],
              "kept-ends": vocab.kept_graph(BASE, vocab.organisation(BASE, "b1")),
              "*": ox.NamedNode(f"{BASE}graph/inschatting/b1/2020-06-30/v1")},
    "organisation": {"register-at": [vocab.organisation(BASE, f"b{n}") for n in range(12)]},
}


def places(store) -> dict[str, ox.NamedNode]:
    """The places of each ranking (by average maturity; of domain 4) as the top of a ranking asks them
    (odmld.rankings): place-first the order graph of domain 4's most crowded place; ranking-at the most
    crowded place that counts at most rankings.MOST, the most it is asked for."""
    def crowded(rows: list[dict], most: int | None = None) -> ox.NamedNode:
        rows = [row for row in rows if most is None or int(row["organisations"].value) <= most] or rows
        return max(rows, key=lambda row: int(row["organisations"].value))["place"]
    average = store.select(queries.get("ranking-places").text)
    domain = store.select(queries.get("domain-ranking-places").text, domain=SAMPLES["domain"])
    return {"ranking-at": crowded(average, MOST), "domain-ranking-at": crowded(domain, MOST),
            "place-first": vocab.place_order_graph(crowded(domain))}


def cases(name: str, store_places: dict[str, ox.NamedNode]) -> list[dict]:
    """The bindings to time the query `name` with (`store_places` from `places`): one set, or
    (LIBRARY_CASES) several."""
    if name in LIBRARY_CASES:
        return LIBRARY_CASES[name]
    found = {}
    for parameter in queries.get(name).parameters:
        value = INTERNAL_SAMPLES.get(parameter, SAMPLES.get(parameter))
        if parameter in ("place", "order"):
            value = store_places.get(name)
        elif isinstance(value, dict):
            value = value.get(name, value.get("*", SAMPLES.get(parameter)))
        if value is not None:
            found[parameter] = value
    return [found]
