"""The organisation register kept by every write that changes organisations: its pages, per kind, its
counts and its search equal sorting and filtering every organisation, after loads that add and remove
organisations."""

import pyoxigraph as ox
import pytest

from odmld import register, vocab
from odmld.sparql import library as queries

from backends import model_loaded, open_location, run_cli
from test_research_queries import BASE, parts

pytestmark = pytest.mark.slow  # loads that add and remove organisations, and `odmld` in a subprocess

CENTRUMSTAD = ox.NamedNode(BASE + "id/organisatietype/centrumstad")


def every_organisation(store, lang="nl"):
    """Every organisation, sorted as the register sorts them (Dutch name without case and accents)."""
    rows = store.select(queries.get("register-sources").text)
    names = {}
    for row in rows:
        names.setdefault(row["organisation"].value, (row["name"].value, row.get("kind")))
    return sorted(names.items(), key=lambda item: (register.fold(item[1][0]), item[1][0], item[0]))


def paged(store, size, kind=None):
    found, number = [], 1
    while True:
        rows = register.page(store, number, size, "nl", kind)
        if not rows:
            return found
        found += [row["organisation"].value for row in rows]
        number += 1


def test_pages_and_counts_equal_sorting_every_organisation(model_store):
    everyone = every_organisation(model_store)
    assert len(everyone) > 10
    for size in (1, 4, 50):
        assert paged(model_store, size) == [organisation for organisation, _ in everyone]
    centrumsteden = [o for o, (_, kind) in everyone if kind == CENTRUMSTAD]
    assert paged(model_store, 5, CENTRUMSTAD) == centrumsteden and len(centrumsteden) == 13
    counted = {(row["group"].value, row.get("kind")): int(row["organisations"].value)
               for row in register.counts(model_store, "nl")}
    assert counted["all", None] == len(everyone) and counted["kind", CENTRUMSTAD] == 13
    assert sum(n for (group, _), n in counted.items() if group != "all") == len(everyone)


def test_the_search_finds_the_words_of_the_names_without_case_or_accents(model_store):
    def found(text, lang="nl"):
        return [row["name"].value for row in register.search(model_store, text, lang)]
    assert found("leuv") == ["Stad Leuven"]
    assert found("STAD gen") == ["Stad Gent", "Stad Genk"] or found("STAD gen") == ["Stad Genk", "Stad Gent"]
    assert found("city of brugge", "en") == ["City of Brugge"]
    assert found("ségé") == found("sege")
    assert found("") == [] and found("zzzz") == []


def test_a_search_reads_the_organisations_of_its_rarest_words_key(model_store):
    graph = ox.NamedNode(BASE + "graph/register")
    keys = [t.subject.value.rsplit("/", 1)[1] for t in model_store.query(queries.get("all-triples").text,
                                                                         default_graph=[graph])
            if t.predicate.value.endswith("#holderPosition")]
    counted = {row["key"].value: int(row["organisations"].value) for row in model_store.select(
        queries.get("organisation-key-counts").text, key=[vocab.register_key(BASE, k) for k in set(keys)])}
    assert counted == {vocab.register_key(BASE, k).value: keys.count(k) for k in set(keys)}
    assert keys.count("sta") > keys.count("gen") > 0
    assert register.rarest_key(model_store, {"sta", "gen"}) == "gen"
    assert register.rarest_key(model_store, {"sta", "zzz"}) is None


def test_a_search_for_a_word_most_organisations_share_reads_the_register_in_order(new_store):
    store = model_loaded(new_store())
    store.replace_graphs([many_named(700)])  # 700 share the key "gro": more than register.COMMON
    assert register.COMMON < 700
    found = [row["name"].value for row in register.search(store, "groot", "nl")]
    assert found == [f"Groot bestuur {n:03d}" for n in range(50)]
    assert [row["name"].value for row in register.search(store, "groot 654", "nl")] == ["Groot bestuur 654"]


def test_a_search_word_shorter_than_a_key_is_looked_up_by_its_own_key(new_store):
    """"groot 65" among 700 "Groot bestuur NNN": "65" starts the words of ten names past the register's
    first COMMON; reading those first COMMON found none of them."""
    store = model_loaded(new_store())
    store.replace_graphs([many_named(700)])
    found = [row["name"].value for row in register.search(store, "groot 65", "nl")]
    assert found == [f"Groot bestuur {n}" for n in range(650, 660)]
    assert register.rarest_key(store, {"gro", "65"}) == "65"
    assert [row["name"].value for row in register.search(store, "6", "nl")][:2] == ["Groot bestuur 600",
                                                                                "Groot bestuur 601"]


def many_named(count):
    from odmld.store_api import NamedGraph
    graph = ox.NamedNode(BASE + "graph/data/veel")
    quads = []
    for n in range(count):
        organisation = ox.NamedNode(f"{BASE}id/organisatie/g{n}")
        quads += [ox.Quad(organisation, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                          ox.NamedNode("http://www.w3.org/ns/org#Organization"), graph),
                  ox.Quad(organisation, ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
                          ox.Literal(f"Groot bestuur {n:03d}", language="nl"), graph),
                  ox.Quad(organisation, ox.NamedNode("http://purl.org/dc/terms/identifier"), ox.Literal(f"g{n}"), graph)]
    return NamedGraph(graph=graph, quads=quads)


def test_loading_organisations_sets_the_register_again(new_store, tmp_path):
    location = new_store()
    store = model_loaded(location)
    publish_first = store.select(queries.get("organisation-counts").text)
    extra = tmp_path / "extra.ttl"
    extra.write_text(f"""@prefix org: <http://www.w3.org/ns/org#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <{BASE}id/organisatie/99999> a org:Organization ; skos:prefLabel "Gemeente Aardenburg"@nl ;
            <http://purl.org/dc/terms/identifier> "99999" .""")
    assert run_cli("load", str(extra), store=location).returncode == 0
    reopened = open_location(location, read_only=True)
    assert paged(reopened, 3)[0] == f"{BASE}id/organisatie/99999"
    assert [row["name"].value for row in register.search(reopened, "aard", "nl")] == ["Gemeente Aardenburg"]
    assert paged(reopened, 7) == [o for o, _ in every_organisation(reopened)]
    extra.write_text("# no organisation any more\n")
    assert run_cli("load", str(extra), store=location).returncode == 0
    reopened = open_location(location, read_only=True)
    assert register.search(reopened, "aard", "nl") == []
    assert reopened.select(queries.get("organisation-counts").text) == publish_first


def test_a_publication_leaves_the_register_as_it_is(new_store):
    store = model_loaded(new_store())
    graph = ox.NamedNode(BASE + "graph/register")
    before = sorted(map(str, store.query(queries.get("all-triples").text, default_graph=[graph])))
    from odmld.assessments.publish import publish
    publish(store, parts("24062", "2022-01-01", 2, 1), "24062")
    assert sorted(map(str, store.query(queries.get("all-triples").text, default_graph=[graph]))) == before


def test_the_home_summary_is_read_from_kept_figures_and_equals_counting_them(new_store):
    from decimal import Decimal
    from odmld.assessments.publish import publish, withdraw
    store = model_loaded(new_store())
    empty = store.select(queries.get("home-summary").text)[0]
    assert int(empty["organisations"].value) == 18 and "average" not in empty
    publish(store, parts("24062", "2022-01-01", 2, 1), "24062")
    withdrawn = publish(store, parts("44021", "2021-06-01", 3, 0), "44021")
    publish(store, parts("vvsg", "2022-03-03", 1, 2), "vvsg")
    withdraw(store, withdrawn.iri, "test")
    summary = store.select(queries.get("home-summary").text)[0]
    ranked = store.select(queries.get("ranking").text)
    assert int(summary["organisations"].value) == len(every_organisation(store))
    assert int(summary["assessed"].value) == len(ranked) == 2
    assert Decimal(summary["average"].value) == sum(Decimal(r["average"].value) for r in ranked) / 2
    assert int(summary["versions"].value) == 3  # a withdrawn version stays published


def test_statistics_sets_a_register_of_an_earlier_form_again(new_store):
    """A register written before the keys of one and two letters (only each word's first three): a
    short search word finds nothing until `odmld statistics` sets the register again."""
    location = new_store()
    store = model_loaded(location)
    store.replace_graphs([many_named(700)])
    kept = register.register_file(store)
    earlier = [quad for quad in kept.quads  # no key node of fewer than three letters
               if not (quad.subject.value.startswith(BASE + "id/register/sleutel/")
                       and len(quad.subject.value.rsplit("/", 1)[1]) < 3)]
    store.replace_graphs([type(kept)(graph=kept.graph, quads=earlier)])
    assert register.search(store, "groot 65", "nl") == []
    done = run_cli("statistics", store=location)
    assert done.returncode == 0, done.stderr
    reopened = open_location(location, read_only=True)
    assert len(register.search(reopened, "groot 65", "nl")) == 10
