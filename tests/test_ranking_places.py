"""Where each organisation says the rankings place it (odm:rankingPlace, odm:domainRankingPlace: what
domain-ranking, latest-maturity and the top of a ranking read) equals what its versions give: the
place of its latest assessment's average and of each of its domain ranks. After publications and
withdrawals, after `odmld statistics` and after `odmld load`, on every store backend."""


import pyoxigraph as ox
import pytest

from odmld.sparql import library as queries
from odmld.assessments.latest import latest_of, version_of
from odmld.store_api import NamedGraph
from odmld.assessments.publish import publish, rebuild_statistics
from odmld.ranking_keys import average_key, ranking_key, ranking_observation
from odmld.assessments.statistics import ranks_of_stored

from backends import model_loaded, open_location, run_cli
from test_research_queries import BASE, parts
from test_statistics import random_history, versions_loaded_elsewhere

pytestmark = pytest.mark.slow  # many publications, each validated with pySHACL

KEPT = """PREFIX odm: <ns/odm#>
SELECT ?organisation ?property ?place WHERE {
  VALUES ?property { odm:rankingPlace odm:domainRankingPlace }
  ?organisation ?property ?place }"""


def kept(store) -> set[tuple[str, str, str]]:
    return {(row["organisation"].value, row["property"].value.rsplit("#", 1)[-1], row["place"].value)
            for row in store.select(KEPT)}


def from_the_versions(store) -> set[tuple[str, str, str]]:
    """The places recomputed from every organisation's versions that are not withdrawn (their own
    scores, as published), not from anything kept beside them."""
    versions: dict = {}
    for row in store.select(queries.get("organisation-versions").text):
        versions.setdefault(row["organisation"], []).append(version_of(row))
    places = set()
    for organisation, candidates in versions.items():
        latest = latest_of(candidates)
        if latest.average is not None:
            places.add((organisation.value, "rankingPlace",
                        ranking_observation(BASE, "rangschikking", average_key(latest.average)).value))
        for domain, (maturity, need) in ranks_of_stored(store, latest.assessment).items():
            places.add((organisation.value, "domainRankingPlace",
                        ranking_observation(BASE, "domeinrangschikking", ranking_key(domain, maturity, need)).value))
    return places


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_organisation_is_placed_where_its_latest_version_puts_it(new_store, seed):
    store = model_loaded(new_store())
    random_history(store, seed)
    expected = from_the_versions(store)
    assert expected and kept(store) == expected
    rebuild_statistics(store)
    assert kept(store) == expected


def test_the_statistics_command_and_a_load_place_them_again(new_store, tmp_path):
    location = new_store()
    source = model_loaded(location)
    for organisation, date, maturity in (("24062", "2022-01-01", 2), ("44021", "2021-06-01", 3),
                                         ("24062", "2020-01-01", 0), ("vvsg", "2023-01-01", 1)):
        publish(source, parts(organisation, date, maturity, 1), organisation)
    expected = from_the_versions(source)
    assert len({place for place in expected if place[1] == "rankingPlace"}) == 3
    forgetting = []  # as a store written before odmld kept the places
    for row in source.select("""PREFIX odm: <ns/odm#>
            SELECT DISTINCT ?g WHERE { GRAPH ?g { ?organisation odm:domainRankingPlace ?place } }"""):
        quads = [ox.Quad(t.subject, t.predicate, t.object, row["g"])
                 for t in source.query(queries.get("all-triples").text, default_graph=[row["g"]])
                 if t.predicate.value != BASE + "ns/odm#domainRankingPlace"]
        forgetting.append(NamedGraph(graph=row["g"], quads=quads))
    assert forgetting
    source.replace_graphs(forgetting)
    assert {place for place in kept(source) if place[1] == "domainRankingPlace"} == set()
    done = run_cli("statistics", store=location)
    assert done.returncode == 0, done.stderr
    assert kept(open_location(location, read_only=True)) == expected

    target = versions_loaded_elsewhere(source, tmp_path, new_store)
    assert kept(open_location(target, read_only=True)) == expected
