"""The first organisations of a ranking's large place are found by walking the register in name order
(ranking_walk.py), and are those that reading and sorting every organisation of the place gives (in the
register's name order, which folds case and accents; the research queries order ties by the name as
it is)."""

import pyoxigraph as ox
import pytest

from odmld import rankings
from odmld.sparql import library as queries
from odmld.assessments.publish import publish, withdraw
from odmld.ranking_walk import first_of_place, register_size, walk_pays

from backends import model_loaded
from test_research_queries import BASE, parts

ORGANISATIONS = ["41002", "11002", "31005", "71016", "44021", "71022", "34022", "24062", "12025",
                 "35013", "36015", "46021", "13040", "vgc", "imec", "vvsg"]
DOMAIN = ox.NamedNode(f"{BASE}id/maturiteitsdomein/4")


def places(store, domain):
    if domain is None:
        return store.select(queries.get("ranking-places").text)
    return store.select(queries.get("domain-ranking-places").text, domain=domain)


@pytest.mark.slow
def test_a_large_place_is_walked_in_name_order_and_gives_what_sorting_it_gives(new_store):
    store = model_loaded(new_store())
    published = {}
    for number, organisation in enumerate(ORGANISATIONS):
        level = 3 if number % 4 else 1  # three in four share the first place of every ranking
        published[organisation] = publish(store, parts(organisation, "2023-01-01", level, 2), organisation).iri
    withdraw(store, published["24062"], "test")  # one leaves the place it was counted in
    organisations = register_size(store)
    for domain in (None, DOMAIN):
        first = places(store, domain)[0]
        counted = int(first["organisations"].value)
        assert counted == 11 and walk_pays(counted, 2, organisations)  # the walk is what is tested
        name = "ranking-place-first" if domain is None else "domain-ranking-place-first"
        every = [row["organisation"] for row in store.select(queries.get(name).text, place=first["place"])]
        for wanted in range(1, counted + 1):
            assert [row["organisation"] for row in first_of_place(store, first, wanted)] == every[:wanted]
            if wanted < counted:  # the top ends inside the first place
                assert [row["organisation"] for row in rankings.top(store, wanted, domain)] == every[:wanted]
        assert [row["rank"] for row in rankings.top(store, counted + 1, domain)] == [1] * counted + [counted + 1]
