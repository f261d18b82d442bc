"""The research query library on fixture data published through the real publishing code."""

import itertools
from decimal import Decimal

import pyoxigraph as ox
import pytest

from odmld import client
from odmld.sparql import library as queries
from odmld.assessments.graph import AssessmentParts, DomainPart, ListedDataset
from odmld.client import python_value
from odmld.config import load_config
from odmld import vocab
from odmld.assessments.publish import publish, withdraw
from odmld.vocab import integer
from odmld.sparql.screen import bind_values, query_form
from odmld.embedded_store import EmbeddedStore
from odmld.web import create_app

from backends import live_server, model_loaded

BASE = "http://odmld.test/"
LEVELS = ["niet-aanwezig", "opgestart", "gevorderd", "verworven"]
NEEDS = ["geen-nood", "redelijke-nood", "sterke-nood"]
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def parts(org: str, date: str, maturity: int, need: int, datasets=()) -> AssessmentParts:
    return AssessmentParts(
        organisation=vocab.organisation(BASE, org),
        date=ox.Literal(date, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
        method=ox.NamedNode(BASE + "id/methode/zelfevaluatie"),
        domains=[DomainPart(ox.NamedNode(f"{BASE}id/maturiteitsdomein/{n}"),
                            ox.NamedNode(f"{BASE}id/maturiteitsniveau/{LEVELS[maturity]}"),
                            ox.NamedNode(f"{BASE}id/noodniveau/{NEEDS[need]}"), None) for n in range(1, 12)],
        datasets=list(datasets))


@pytest.fixture(scope="module")
def location(new_store) -> str:
    return new_store()


@pytest.fixture(scope="module")
def store(location):
    """Leuven 2020 (0) -> 2022 v1 (1) -> 2022 v2 (2); Gent 2021 (3), its 2023 version withdrawn;
    VVSG 2022 (1). Leuven's latest lists a CSV (3 stars) and a PDF (1 star)."""
    target = model_loaded(location)
    publish(target, parts("24062", "2020-01-01", 0, 2), "24062")
    publish(target, parts("24062", "2022-01-01", 1, 1), "24062")
    listed = [ListedDataset(ox.Literal("Parkings"), ox.NamedNode("https://l.example/p.csv"), "text/csv", CC_BY, False),
              ListedDataset(ox.Literal("Verslag"), ox.NamedNode("https://l.example/v.pdf"), "pdf", CC_BY, False)]
    publish(target, parts("24062", "2022-01-01", 2, 1, listed), "24062")
    publish(target, parts("44021", "2021-06-01", 3, 0), "44021")
    withdrawn = publish(target, parts("44021", "2023-01-01", 0, 2), "44021")
    withdraw(target, withdrawn.iri, "test")
    publish(target, parts("vvsg", "2022-03-03", 1, 2), "vvsg")
    return target


def rows(store, name, **bindings):
    return store.select(queries.get(name).text, **bindings)


def number(term) -> Decimal:
    return Decimal(term.value)


def test_latest_maturity(store):
    found = rows(store, "latest-maturity")
    assert len(found) == 33
    leuven = {(r["date"].value, r["version"].value, r["maturity"].value) for r in found
              if r["name"].value == "Stad Leuven"}
    assert leuven == {("2022-01-01", "2", "2")}


def test_the_table_of_latest_maturity_has_a_pair_of_columns_for_each_domain_of_the_model(store):
    """latest-maturity-table names the model's domains by number in its text: a domain added to the
    model without a column would be left out silently."""
    notations = {int(row["notation"].value) for row in rows(store, "domains")}
    columns = [variable.value for variable in ox.Store().query(
        queries.get("latest-maturity-table").text, base_iri=BASE).variables]
    assert [f"{kind}_{n}" for n in sorted(notations) for kind in ("maturity", "need")] == columns[4:]
    table = rows(store, "latest-maturity-table")
    assert len(table) == 3 and {row["name"].value for row in table} >= {"Stad Leuven"}


def test_ranking(store):
    assert [(r["name"].value, number(r["average"])) for r in rows(store, "ranking")] == [
        ("Stad Gent", 3), ("Stad Leuven", 2), ("Vereniging van Vlaamse Steden en Gemeenten", 1)]


def test_maturity_trend_of_one_organisation(store):
    found = rows(store, "maturity-trend", organisation=vocab.organisation(BASE, "24062"))
    assert [(r["date"].value, r["version"].value, number(r["average"])) for r in found] == [
        ("2020-01-01", "1", 0), ("2022-01-01", "2", 2)]


@pytest.mark.slow
def test_maturity_trend_falls_back_when_a_dates_newest_version_is_withdrawn(new_store):
    target = model_loaded(new_store())
    publish(target, parts("24062", "2020-01-01", 1, 1), "24062")
    publish(target, parts("24062", "2020-01-01", 3, 1), "24062")
    withdraw(target, publish(target, parts("24062", "2020-01-01", 0, 1), "24062").iri, "test")
    publish(target, parts("24062", "2021-01-01", 2, 1), "24062")
    found = rows(target, "maturity-trend", organisation=vocab.organisation(BASE, "24062"))
    assert [(r["date"].value, r["version"].value, number(r["average"])) for r in found] == [
        ("2020-01-01", "2", 3), ("2021-01-01", "1", 2)]


def test_gap_versus_need(store):
    found = rows(store, "gap-versus-need")
    assert len(found) == 11
    for row in found:  # gaps 1 (Leuven), 0 (Gent), 2 (VVSG); needs 1, 0, 2
        assert int(row["organisations"].value) == 3
        assert number(row["average_gap"]) == 1 and number(row["average_need"]) == 1


def test_centrumsteden_versus_rest(store):
    found = {r["kind"].value: (int(r["organisations"].value), number(r["average"]))
             for r in rows(store, "centrumsteden-versus-rest")}
    assert found == {"centrumstad": (2, Decimal("2.5")), "other": (1, 1)}


def test_least_served_principles(store):
    found = rows(store, "least-served-principles")
    assert [(r["notation"].value, int(r["organisations"].value)) for r in found[:3]] == [
        ("3", 0), ("13", 0), ("14", 0)]
    assert all(int(r["organisations"].value) == 2 for r in found[3:])  # Leuven (2) and Gent (3)


def test_portrait_versus_maturity(store):
    found = rows(store, "portrait-versus-maturity")
    assert [(r["name"].value, r["steering_group"].value, number(r["average"])) for r in found] == [
        ("Stad Gent", "true", 3), ("Stad Leuven", "true", 2)]


def test_share_of_datasets_at_three_stars(store):
    found = rows(store, "datasets-three-stars")
    assert [(r["name"].value, number(r["share"])) for r in found] == [("Stad Leuven", Decimal("0.5"))]


def test_most_improved(store):
    found = rows(store, "most-improved")
    assert [(r["name"].value, number(r["improvement"])) for r in found] == [
        ("Stad Leuven", 2), ("Stad Gent", 0), ("Vereniging van Vlaamse Steden en Gemeenten", 0)]


def test_domain_ranking(store):
    found = rows(store, "domain-ranking", domain=ox.NamedNode(BASE + "id/maturiteitsdomein/4"))
    assert [(r["name"].value, int(r["maturity"].value)) for r in found] == [
        ("Stad Gent", 3), ("Stad Leuven", 2), ("Vereniging van Vlaamse Steden en Gemeenten", 1)]


def test_top_priorities(store):
    found = rows(store, "top-priorities")
    assert [(r["notation"].value, int(r["organisations"].value)) for r in found] == [("1", 2)]


def test_survey_results_by_profile(store):
    found = rows(store, "survey-findings-by-profile", kind=ox.Literal("kennis"))
    assert {r["group"].value: number(r["percentage"]) for r in found} == {
        "algemeen": 80, "administratief": 60, "beleid": 89, "technisch": 90, "aankoop": 95}


# organisations.rq as it was written before it joined each property by hash: it must answer the same.
ORGANISATIONS_LOOKED_UP = """
    PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?lang ?organisation ?name ?identifier ?kind
    WHERE { ?organisation a org:Organization ; skos:prefLabel ?dutch ; dcterms:identifier ?identifier .
            FILTER(LANG(?dutch) = "nl")
            OPTIONAL { ?organisation skos:prefLabel ?own FILTER(LANG(?own) = ?lang) }
            BIND(COALESCE(?own, ?dutch) AS ?name)
            OPTIONAL { ?organisation org:classification/skos:prefLabel ?kind FILTER(LANG(?kind) = ?lang) } }
    ORDER BY ?kind ?name"""


@pytest.mark.parametrize("lang", [None, "nl", "en"])
def test_organisations_answer_as_when_each_was_looked_up(store, lang):
    bound = {"lang": ox.Literal(lang)} if lang else {}
    found = rows(store, "organisations", **bound)
    assert len(found) >= 18 and (lang is None or any("kind" in row for row in found))
    assert found == store.select(ORGANISATIONS_LOOKED_UP, **bound)


SAMPLES = {"lang": [ox.Literal("nl"), ox.Literal("en")],
           "domain": [ox.NamedNode(BASE + "id/maturiteitsdomein/3")],
           "principle": [ox.NamedNode(BASE + "id/charterprincipe/2")],
           "organisation": [vocab.organisation(BASE, "24062"), vocab.organisation(BASE, "44021")],
           "date": [ox.Literal("2022-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))],
           "resource": [ox.NamedNode(BASE + "id/maturiteitsdomein/1"), vocab.organisation(BASE, "24062")],
           "assessment": [ox.NamedNode(BASE + "id/inschatting/24062/2022-01-01/v2"),
                          ox.NamedNode(BASE + "id/inschatting/44021/2023-01-01/v1")],
           "kind": [ox.Literal("kennis"), ox.NamedNode(BASE + "id/organisatietype/centrumstad")],
           "position": [integer(1), integer(3)],
           "graph": [ox.NamedNode(BASE + "graph/data/charter"), ox.NamedNode(BASE + "graph/bestaat-niet"),
                     ox.NamedNode(BASE + "graph/laatste/24062/domeinen")],
           "identifier": [ox.Literal("24062"), ox.Literal("00000")],
           "subject": [ox.NamedNode(BASE + "id/conceptschema/open-data-charter"), ox.NamedNode(BASE + "id/x")],
           "base": [ox.Literal(BASE)],
           "counted": [ox.NamedNode(BASE + "id/statistiek/laatste/24062/3"),
                       ox.NamedNode(BASE + "id/organisatie/24062/meting/laatste-gemiddelde-maturiteit")],
           "place": [ox.NamedNode(BASE + "id/statistiek/actueel/domeinrangschikking/3/2/1")],
           "dump": [ox.NamedNode(BASE + "dump/inschatting/24062/2022-01-01/v2.ttl.gz"),
                    ox.NamedNode(BASE + "dump/data/charter.ttl.gz")],
           # a search key: a literal (organisation-search) or its count's node (organisation-key-counts)
           "key": [ox.Literal("sta"), ox.NamedNode(BASE + "id/register/sleutel/sta")],
           "partition": [ox.NamedNode(BASE + ".well-known/void"),
                         ox.NamedNode(BASE + "id/void/eigenschap/0000000000000000")],
           "observation": [ox.NamedNode(BASE + "id/statistiek/actueel/versies/other"),
                           ox.NamedNode(BASE + "id/statistiek/actueel/domein/3")],
           "place": [ox.NamedNode(BASE + "id/statistiek/actueel/rangschikking/2.00"),
                     ox.NamedNode(BASE + "id/statistiek/actueel/domeinrangschikking/4/2/1")],
           "order": [ox.NamedNode(BASE + "graph/plaatsvolgorde/rangschikking/2.00"),
                     ox.NamedNode(BASE + "graph/plaatsvolgorde/domeinrangschikking/4/2/1")]}
UNORDERED_LISTS = {"reasons"}  # GROUP_CONCAT columns whose order the query does not fix


def answer(results) -> list:
    """Results in a comparable form: rows (lists in UNORDERED_LISTS as sets), a boolean, or triples."""
    if isinstance(results, ox.QueryBoolean):
        return [bool(results)]
    if isinstance(results, ox.QuerySolutions):
        names = [v.value for v in results.variables]
        return sorted(repr([sorted(s[n].value.split("; ")) if n in UNORDERED_LISTS and s[n] else str(s[n])
                            for n in names]) for s in results)
    return sorted(str(triple) for triple in results)


@pytest.mark.parametrize("name", [q.name for q in queries.every_query() if q.parameters])
def test_parameters_bound_as_values_answer_as_substitutions_do(store, name):
    """Parameters bound as a VALUES block (as odmld binds them) give what pyoxigraph's substitution gives."""
    if not isinstance(store, EmbeddedStore):
        pytest.skip("compares the two ways on the embedded store")
    query = queries.get(name)
    assert set(query.parameters) <= set(SAMPLES), f"add sample values for {query.parameters}"
    answered = 0
    for values in itertools.product(*(SAMPLES[p] for p in query.parameters)):
        bindings = dict(zip(query.parameters, values))
        substituted = answer(store.snapshot().store.query(  # pyoxigraph's own substitution, the reference
            query.text, base_iri=BASE, use_default_graph_as_union=True,
            substitutions={ox.Variable(name): value for name, value in bindings.items()}))
        answered += bool(substituted)
        assert answer(store.query(bind_values(query.text, bindings))) == substituted, bindings
    assert answered, f"{name} answers nothing for any sample: pick samples it answers"


@pytest.fixture(scope="module")
def endpoint(store, location):
    """odmld's /sparql over the fixture store, on a loopback socket."""
    app = create_app(load_config({"store": location, "base_uri": BASE}, environ={}), store=store)
    with live_server(app) as base:
        yield base + "sparql"
    app.extensions["odmld.pool"].close()


SELECTS = [q.name for q in queries.every_query() if query_form(q.text) == "SELECT"]


@pytest.mark.slow
@pytest.mark.parametrize("name", SELECTS)
def test_every_select_answers_through_the_service_with_sparqlwrapper_as_on_the_store(store, endpoint, name):
    """The Python client (SPARQLWrapper, parameters bound by odmld.client) against the running service
    gets the rows the store gives directly, which the tests above check against expected values."""
    query = queries.get(name)
    bindings = {parameter: SAMPLES[parameter][0] for parameter in query.parameters}
    direct = [{column: python_value(cell_of(term)) for column, term in row.items()}
              for row in store.select(query.text, **bindings)]
    if name in queries.names():
        served = client.run(name, endpoint, base_uri=BASE, **bindings)
    else:  # the app's own queries are not offered by name: sent as text
        served = client.run_text(query.text, endpoint, base_uri=BASE, **bindings)
    assert sorted(map(repr, served)) == sorted(map(repr, direct))


def cell_of(term) -> dict[str, str]:
    """A pyoxigraph term as a SPARQL JSON results cell."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
