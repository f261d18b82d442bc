"""The top of a ranking and an organisation's rank, read from the kept counts of each place, equal what
sorting every organisation gives, after publications and withdrawals and after a rebuild."""

import pyoxigraph as ox
import pytest

from odmld import rankings
from odmld.sparql import library as queries
from odmld.assessments.publish import rebuild_statistics

from backends import model_loaded
from test_research_queries import BASE
from test_statistics import random_history

pytestmark = pytest.mark.slow  # many publications, each validated with pySHACL

DOMAINS = [None] + [ox.NamedNode(f"{BASE}id/maturiteitsdomein/{n}") for n in (1, 4, 11)]


def sorted_ranking(store, domain):
    """The whole ranking as the research queries sort it, with competition ranks (1, 1, 3, ...)."""
    if domain is None:
        rows = store.select(queries.get("ranking").text)
        keys = [(row["organisation"].value, (row["average"].value,)) for row in rows]
    else:
        rows = store.select(queries.get("domain-ranking").text, domain=domain)
        keys = [(row["organisation"].value, (row["maturity"].value, row["need"].value)) for row in rows]
    ranked, previous, rank = [], None, 0
    for position, (organisation, key) in enumerate(keys, start=1):
        if key != previous:
            rank, previous = position, key
        ranked.append((organisation, rank))
    return ranked


def answers(store):
    found = {}
    for domain in DOMAINS:
        whole = sorted_ranking(store, domain)
        for size in range(1, len(whole) + 2):
            found[domain, size] = [(row["organisation"].value, row["rank"]) for row in rankings.top(store, size, domain)]
            assert found[domain, size] == whole[:size], (domain, size)
        for organisation, rank in whole:
            kept = rankings.rank_of(store, ox.NamedNode(organisation), domain)
            assert (kept["rank"], kept["ranked"]) == (rank, len(whole)), (domain, organisation)
    return found


def counted_places(store) -> dict[str, int]:
    """Each place of every ranking with the number of organisations that say it counts them."""
    rows = store.select("""PREFIX odm: <ns/odm#>
        SELECT ?place (COUNT(?counted) AS ?n) WHERE { ?counted odm:countedIn ?place } GROUP BY ?place""")
    return {row["place"].value: int(row["n"].value) for row in rows}


def kept_places(store) -> dict[str, int]:
    rows = store.select(queries.get("ranking-places").text)
    for domain in DOMAINS[1:] + [ox.NamedNode(f"{BASE}id/maturiteitsdomein/{n}") for n in (2, 3, 5, 6, 7, 8, 9, 10)]:
        rows += store.select(queries.get("domain-ranking-places").text, domain=domain)
    return {row["place"].value: int(row["organisations"].value) for row in rows}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_top_and_every_rank_equal_sorting_every_organisation(new_store, seed):
    store = model_loaded(new_store())
    random_history(store, seed)
    found = answers(store)
    assert any(len(rows) > 1 for rows in found.values())
    assert counted_places(store) == kept_places(store)
    rebuild_statistics(store)
    assert answers(store) == found and counted_places(store) == kept_places(store)


def test_an_organisation_without_a_latest_assessment_has_no_rank(model_store):
    organisation = ox.NamedNode(f"{BASE}id/organisatie/24062")
    assert rankings.rank_of(model_store, organisation) is None
    assert rankings.top(model_store) == []
