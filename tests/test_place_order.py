"""The top of a ranking reads a place's first organisations in name order from the place's own order
graph (place_order.py), which every write keeps right: publishing and withdrawing move an organisation
between the graphs of the places it leaves and comes to, a change of the register sets them all again,
and they always say what reading and sorting every organisation of the place says."""

import pyoxigraph as ox
import pytest

from odmld import rankings, vocab
from odmld.sparql import library as queries
from odmld.assessments.publish import publish, rebuild_statistics, withdraw
from odmld.store_api import NamedGraph

from backends import model_loaded, open_location, run_cli
from test_research_queries import BASE, parts

ORGANISATIONS = ["41002", "11002", "31005", "71016", "44021", "71022", "34022", "24062", "12025",
                 "35013", "36015", "46021", "13040", "vgc", "imec", "vvsg"]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ORG = "http://www.w3.org/ns/org#Organization"
SKOS_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
IDENTIFIER = "http://purl.org/dc/terms/identifier"
DOMAIN = ox.NamedNode(f"{BASE}id/maturiteitsdomein/4")
SORTED = """PREFIX odm: <ns/odm#>
SELECT ?place ?organisation ?position WHERE {
  { ?organisation odm:rankingPlace ?place } UNION { ?organisation odm:domainRankingPlace ?place }
  GRAPH <graph/register> { ?organisation odm:registerPosition ?position }
} ORDER BY ?position"""


def places(store, domain):
    if domain is None:
        return store.select(queries.get("ranking-places").text)
    return store.select(queries.get("domain-ranking-places").text, domain=domain)


def every_place_sorted(store) -> dict[ox.NamedNode, list[ox.NamedNode]]:
    """Each place's organisations in name order, read and sorted from every organisation."""
    found: dict = {}
    for row in store.select(SORTED):
        found.setdefault(row["place"], []).append(row["organisation"])
    return found


def every_place_kept(store) -> dict[ox.NamedNode, list[ox.NamedNode]]:
    """Each place's organisations as its order graph has them, checked against the positions it says."""
    said = {(row["organisation"], int(row["position"].value)) for row in store.select(
        "PREFIX odm: <ns/odm#> SELECT ?organisation ?position WHERE { GRAPH ?g { ?organisation odm:placeOrder ?position } }")}
    registered = {(row["organisation"], int(row["position"].value)) for row in store.select(
        "PREFIX odm: <ns/odm#> SELECT ?organisation ?position WHERE { GRAPH <graph/register> { ?organisation odm:registerPosition ?position } }")}
    assert said <= registered
    kept = {}
    for row in store.select(queries.get("place-order-graphs").text):
        place = ox.NamedNode(row["graph"].value.replace("/graph/plaatsvolgorde/", "/id/statistiek/actueel/"))
        first = [row["organisation"] for row in store.select(queries.get("place-first").text, order=row["graph"])]
        if first:
            kept[place] = first
    return kept


@pytest.mark.slow
def test_the_order_graphs_say_what_sorting_every_place_says_after_every_write(new_store):
    store = model_loaded(new_store())
    published = {}
    for number, organisation in enumerate(ORGANISATIONS):
        level = 3 if number % 4 else 1  # three in four share the first place of every ranking
        published[organisation] = publish(store, parts(organisation, "2023-01-01", level, 2), organisation).iri
        assert every_place_kept(store) == every_place_sorted(store)
    # a new organisation whose name comes first: every position in the register moves by one
    newcomer, graph = ox.NamedNode(BASE + "id/organisatie/aaa"), ox.NamedNode(BASE + "graph/data/aaa")
    store.replace_graphs([NamedGraph(graph=graph, quads=[ox.Quad(newcomer, p, o, graph) for p, o in (
        (ox.NamedNode(RDF_TYPE), ox.NamedNode(ORG)), (ox.NamedNode(SKOS_LABEL), ox.Literal("Aaa", language="nl")),
        (ox.NamedNode(IDENTIFIER), ox.Literal("aaa")))])])
    positions = {row["organisation"]: int(row["position"].value)
                 for row in store.select(queries.get("register-at").text, organisation=[newcomer])}
    assert positions == {newcomer: 1}
    assert every_place_kept(store) == every_place_sorted(store)
    publish(store, parts("31005", "2024-01-01", 1, 0), "31005")  # a new latest: it moves down
    assert every_place_kept(store) == every_place_sorted(store)
    withdraw(store, published["24062"], "test")  # one leaves every place it was counted in
    assert every_place_kept(store) == every_place_sorted(store)
    assert not any(vocab.organisation(BASE, "24062") in kept for kept in every_place_kept(store).values())
    rebuild_statistics(store)
    assert every_place_kept(store) == every_place_sorted(store)
    for domain in (None, DOMAIN):
        first = places(store, domain)[0]
        counted = int(first["organisations"].value)
        assert counted == 10  # 11 of 16 share it, one withdrawn, 31005 moved down
        every = every_place_sorted(store)[first["place"]]
        for wanted in range(1, counted):  # the top ends inside the first place
            assert [row["organisation"] for row in rankings.top(store, wanted, domain)] == every[:wanted]
        assert [row["rank"] for row in rankings.top(store, counted + 1, domain)] == [1] * counted + [counted + 1]


@pytest.mark.slow
def test_a_store_without_order_graphs_ranks_as_sorting_does_until_statistics_sets_them(new_store):
    location = new_store()
    store = model_loaded(location)
    for number, organisation in enumerate(ORGANISATIONS):
        publish(store, parts(organisation, "2023-01-01", 3 if number % 4 else 1, 2), organisation)
    graphs = [row["graph"] for row in store.select(queries.get("place-order-graphs").text)]
    store.replace_graphs([NamedGraph(graph=graph, quads=[]) for graph in graphs])  # as an earlier odmld left it
    assert graphs and every_place_kept(store) == {}
    for domain in (None, DOMAIN):
        every = every_place_sorted(store)[places(store, domain)[0]["place"]]
        assert [row["organisation"] for row in rankings.top(store, 5, domain)] == every[:5]
    done = run_cli("statistics", store=location)
    assert done.returncode == 0, done.stderr
    reopened = open_location(location, read_only=True)
    assert every_place_kept(reopened) == every_place_sorted(reopened)
