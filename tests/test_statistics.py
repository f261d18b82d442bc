"""The statistics and the latest/first averages kept up to date at every publication and withdrawal
equal the ones set again from the store, and the queries that read them answer as the raw scores do."""

import io
import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from odmld.sparql import library as queries
from odmld.store_api import NamedGraph, operation
from odmld.assessments.publish import publish, rebuild_statistics, withdraw
from odmld.sparql.screen import bind_values
from odmld.assessments.statistics import published_versions, read_totals

from backends import model_loaded, open_location, run_cli
from test_research_queries import BASE, parts

pytestmark = pytest.mark.slow  # many publications and withdrawals, each validated with pySHACL

AGGREGATES = ["gap-versus-need", "top-priorities", "least-served-principles", "centrumsteden-versus-rest",
              "ranking", "most-improved", "domain-ranking", "latest-maturity"]
ORGANISATIONS = ["24062", "44021", "11002", "vvsg"]  # three centrumsteden and an association

# The four aggregates as they were written before the statistics: over the raw scores of every
# organisation's latest assessment. The statistics must give what these give.
FROM_RAW_SCORES = {
    "gap-versus-need": """
        PREFIX odm: <ns/odm#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        SELECT ?notation ?label (COUNT(?assessment) AS ?organisations) (AVG(?gap) AS ?average_gap)
               (AVG(?need) AS ?average_need)
        WHERE { ?organisation odm:latestAssessment ?assessment .
                ?plan odm:planFor ?assessment ; odm:planItem ?item . ?item odm:domain ?domain ; odm:gap ?gap .
                ?assessment odm:domainAssessment ?part .
                ?part odm:domain ?domain ; odm:needLevel/odm:rank ?need .
                ?domain skos:notation ?notation ; skos:prefLabel ?label . FILTER(LANG(?label) = "nl") }
        GROUP BY ?notation ?label ORDER BY xsd:integer(?notation)""",
    "top-priorities": """
        PREFIX odm: <ns/odm#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?notation ?label (COUNT(?organisation) AS ?organisations)
        WHERE { ?organisation odm:latestAssessment ?assessment .
                ?plan odm:planFor ?assessment ; odm:planItem ?item .
                ?item odm:order 1 ; odm:priority ?priority ; odm:domain ?domain . FILTER(?priority > 0)
                ?domain skos:notation ?notation ; skos:prefLabel ?label . FILTER(LANG(?label) = "nl") }
        GROUP BY ?notation ?label ORDER BY DESC(?organisations) ?notation""",
    "least-served-principles": """
        PREFIX odm: <ns/odm#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        SELECT ?notation ?label (COUNT(DISTINCT ?organisation) AS ?organisations)
        WHERE { ?principle a odm:CharterPrinciple ; skos:notation ?notation ; skos:prefLabel ?label .
                FILTER(LANG(?label) = "nl")
                OPTIONAL { { SELECT DISTINCT ?principle ?organisation WHERE {
                    ?organisation odm:latestAssessment/odm:domainAssessment ?part .
                    ?part odm:maturityLevel/odm:rank ?rank ; odm:domain/odm:servesPrinciple ?principle .
                    FILTER(?rank >= 2) } } } }
        GROUP BY ?notation ?label ORDER BY ?organisations xsd:integer(?notation)""",
    "centrumsteden-versus-rest": """
        PREFIX odm: <ns/odm#> PREFIX org: <http://www.w3.org/ns/org#> PREFIX dqv: <http://www.w3.org/ns/dqv#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?kind (COUNT(?organisation) AS ?organisations) (AVG(?value) AS ?average)
        WHERE { ?organisation odm:latestAssessment ?assessment .
                ?m dqv:computedOn ?assessment ; dqv:isMeasurementOf <id/metriek/gemiddelde-maturiteit> ;
                   dqv:value ?value .
                OPTIONAL { ?organisation org:classification/skos:notation ?classification }
                BIND(IF(COALESCE(?classification, "") = "centrumstad", "centrumstad", "other") AS ?kind) }
        GROUP BY ?kind ORDER BY ?kind""",
    "ranking": """
        PREFIX odm: <ns/odm#> PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX dqv: <http://www.w3.org/ns/dqv#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?organisation ?name ?date ?average
        WHERE { ?organisation odm:latestAssessment ?assessment . ?assessment dcterms:date ?date .
                ?m dqv:computedOn ?assessment ; dqv:isMeasurementOf <id/metriek/gemiddelde-maturiteit> ;
                   dqv:value ?average .
                ?organisation skos:prefLabel ?name . FILTER(LANG(?name) = "nl") }
        ORDER BY DESC(?average) ?name""",
    "most-improved": """
        PREFIX odm: <ns/odm#> PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX dqv: <http://www.w3.org/ns/dqv#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?organisation ?name ?first_date ?first ?latest_date ?latest ((?latest - ?first) AS ?improvement)
        WHERE {
          { SELECT ?organisation ?first_date (MIN(?version) AS ?first_version) WHERE {
              { SELECT ?organisation (MIN(?date) AS ?first_date) WHERE {
                  ?a odm:assessedOrganisation ?organisation ; dcterms:date ?date .
                  FILTER NOT EXISTS { ?a odm:withdrawalReason ?r } } GROUP BY ?organisation }
              ?b odm:assessedOrganisation ?organisation ; dcterms:date ?first_date ; owl:versionInfo ?version .
              FILTER NOT EXISTS { ?b odm:withdrawalReason ?r2 } } GROUP BY ?organisation ?first_date }
          ?oldest odm:assessedOrganisation ?organisation ; dcterms:date ?first_date ; owl:versionInfo ?first_version .
          ?m2 dqv:computedOn ?oldest ; dqv:isMeasurementOf <id/metriek/gemiddelde-maturiteit> ; dqv:value ?first .
          ?organisation odm:latestAssessment ?current ; skos:prefLabel ?name . FILTER(LANG(?name) = "nl")
          ?current dcterms:date ?latest_date .
          ?m1 dqv:computedOn ?current ; dqv:isMeasurementOf <id/metriek/gemiddelde-maturiteit> ; dqv:value ?latest . }
        ORDER BY DESC(?improvement) ?name""",
    "domain-ranking": """
        PREFIX odm: <ns/odm#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?domain ?organisation ?name ?maturity ?need
        WHERE { ?organisation odm:latestAssessment/odm:domainAssessment ?part ; skos:prefLabel ?name .
                FILTER(LANG(?name) = "nl")
                ?part odm:domain ?domain ; odm:maturityLevel/odm:rank ?maturity ; odm:needLevel/odm:rank ?need . }
        ORDER BY DESC(?maturity) DESC(?need) ?name""",
    "latest-maturity": """
        PREFIX odm: <ns/odm#> PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        SELECT ?organisation ?name ?date ?version ?domain ?notation ?maturity ?need
        WHERE { ?organisation odm:latestAssessment ?assessment .
                ?assessment dcterms:date ?date ; owl:versionInfo ?version ; odm:domainAssessment ?part .
                ?part odm:domain ?domain ; odm:maturityLevel/odm:rank ?maturity ; odm:needLevel/odm:rank ?need .
                ?domain skos:notation ?notation .
                ?organisation skos:prefLabel ?name . FILTER(LANG(?name) = "nl") }
        ORDER BY ?name xsd:integer(?notation)""",
}


# Queries whose order is only fixed for one value of a parameter are compared for each value.
BINDINGS = {name: [{"domain": ox.NamedNode(f"{BASE}id/maturiteitsdomein/{n}")} for n in range(1, 12)]
            for name in ("domain-ranking", "latest-maturity")}
BINDINGS["latest-maturity"].append({})


def comparable(rows: list[dict]) -> list[tuple]:
    """Rows with numbers compared as numbers (an average may be written 1.5 or 1.50)."""
    def value(term):
        if isinstance(term, ox.Literal) and term.datatype.value.endswith(("#integer", "#decimal")):
            return round(float(term.value), 9)
        return term.value
    return [tuple(sorted((name, value(term)) for name, term in row.items())) for row in rows]


def random_history(store, seed: int) -> None:
    """Publications and withdrawals in a random order: new dates, older dates, second versions."""
    rng = random.Random(seed)
    published = []
    for _ in range(14):
        if published and rng.random() < 0.25:
            withdraw(store, published.pop(rng.randrange(len(published))), "test")
            continue
        organisation = rng.choice(ORGANISATIONS)
        date = f"20{rng.randint(18, 24)}-0{rng.randint(1, 9)}-01"
        draft = parts(organisation, date, rng.randint(0, 3), rng.randint(0, 2))
        draft.domains[:] = [part for part in draft.domains if rng.random() < 0.9] or draft.domains[:1]
        published.append(publish(store, draft, organisation).iri)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_statistics_answer_as_the_raw_scores_and_equal_a_rebuild(new_store, seed):
    store = model_loaded(new_store())
    random_history(store, seed)
    kept = read_totals(store)
    asked = [(name, bindings) for name in AGGREGATES for bindings in BINDINGS.get(name, [{}])]
    answers = [comparable(store.select(queries.get(name).text, **bindings)) for name, bindings in asked]
    for (name, bindings), answer in zip(asked, answers):
        assert answer == comparable(store.select(bind_values(FROM_RAW_SCORES[name], bindings))), (name, bindings)
    assert any(answers[asked.index(("domain-ranking", bindings))] for bindings in BINDINGS["domain-ranking"])
    rebuild_statistics(store)
    assert read_totals(store) == kept
    assert [comparable(store.select(queries.get(name).text, **bindings)) for name, bindings in asked] == answers


def turned(rows: list[dict]) -> list[dict]:
    """latest-maturity's rows (one an organisation and domain) as latest-maturity-table's (one an
    organisation, with maturity_n and need_n for domain n), in the order of their names."""
    table: dict = {}
    for row in rows:
        found = table.setdefault(row["organisation"], {name: row[name] for name in ("organisation", "name",
                                                                                  "date", "version")})
        found[f"maturity_{row['notation'].value}"] = row["maturity"]
        found[f"need_{row['notation'].value}"] = row["need"]
    return sorted(table.values(), key=lambda found: found["name"].value)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_table_of_latest_maturity_is_its_rows_turned(new_store, seed):
    """One row an organisation, a pair of columns a domain, unbound where the latest version did not
    score the domain (random_history leaves some out): latest-maturity's answer for every domain."""
    store = model_loaded(new_store())
    random_history(store, seed)
    partly = parts("11002", "2025-01-01", 2, 1)  # the latest of 11002, scoring three domains only
    del partly.domains[3:]
    publish(store, partly, "11002")
    table = store.select(queries.get("latest-maturity-table").text)
    assert table == turned(store.select(queries.get("latest-maturity").text))
    scored = {row["organisation"].value: len(row) - 4 for row in table}
    assert scored[BASE + "id/organisatie/11002"] == 2 * 3 and len(scored) >= 2


def positions(store) -> list[tuple[str, int]]:
    rows = store.select(queries.get("feed-members").text)
    return [(row["assessment"].value, int(row["position"].value)) for row in rows]


@pytest.mark.parametrize("seed", [1, 2])
def test_publication_positions_number_every_version_in_publication_order(new_store, seed):
    """Kept at each write, the positions number every version, withdrawn ones too, 1..N in the order of
    publication; the count the feed and the catalogue page by is N; a rebuild numbers them the same."""
    store = model_loaded(new_store())
    random_history(store, seed)
    order = [row["assessment"].value for row in store.select(queries.get("publication-order").text)]
    kept = positions(store)
    assert kept == [(assessment, number) for number, assessment in enumerate(order, start=1)]
    assert published_versions(read_totals(store)) == len(order) > 0
    rebuild_statistics(store)
    assert positions(store) == kept and published_versions(read_totals(store)) == len(order)


def kept_graphs(store) -> dict[str, set]:
    """Every organisation's kept graphs (<graph/laatste/{id}> and its /domeinen), as sets of statements."""
    found: dict[str, set] = {}
    for graph in store.named_graphs():
        if isinstance(graph, ox.NamedNode) and graph.value.startswith(BASE + "graph/laatste/"):
            triples = store.query(queries.get("all-triples").text, default_graph=[graph])
            found[graph.value] = {(t.subject, t.predicate, t.object) for t in triples}
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_kept_graphs_a_history_leaves_are_what_a_rebuild_writes(new_store, seed):
    """Each publication changes its organisation's kept graph statement by statement (its position, and
    its latest or first version where it becomes either); each withdrawal its ends: after publications
    and withdrawals in any order, every kept graph holds exactly what setting them again writes."""
    store = model_loaded(new_store())
    random_history(store, seed)
    kept = kept_graphs(store)
    assert any(key.endswith("/domeinen") for key in kept) and len(kept) > 2
    rebuild_statistics(store)
    assert kept_graphs(store) == {graph: statements for graph, statements in kept.items() if statements}


def test_a_publication_changes_only_the_statements_of_the_kept_graph_it_must(new_store):
    """A publication reads what its organisation's kept graph says of the organisation and its two
    measurements, not every version's position, and writes the difference: a statement it has no
    reason to touch stays (written whole, the graph lost it)."""
    store = model_loaded(new_store())
    publish(store, parts("24062", "2022-01-01", 2, 1), "24062")
    graph = ox.NamedNode(BASE + "graph/laatste/24062")
    stray = ox.Quad(ox.NamedNode(BASE + "id/elders"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
                    ox.Literal("not a version"), graph)
    store.write(add_statement, stray)
    publish(store, parts("24062", "2023-01-01", 3, 1), "24062")  # the latest now
    publish(store, parts("24062", "2021-01-01", 1, 1), "24062")  # the first now
    statements = kept_graphs(store)[graph.value]
    assert (stray.subject, stray.predicate, stray.object) in statements
    ends = {o.value for s, p, o in statements if p.value.endswith(("#latestAssessmentDate", "#firstAssessmentDate"))}
    assert ends == {"2023-01-01", "2021-01-01"}
    assert sum(p.value.endswith("#publicationPosition") for s, p, o in statements) == 3


@operation
def add_statement(writer, quad: ox.Quad) -> None:
    writer.change_quads([], [quad])


def versions_loaded_elsewhere(source, tmp_path: Path, new_store) -> str:
    """A new store holding the model, into which `odmld load` has read `source`'s assessment versions
    from a file (a restore, a migration); its location."""
    dumped = io.BytesIO()
    source.dump(dumped, ox.RdfFormat.N_QUADS)
    versions_only = [quad for quad in ox.parse(dumped.getvalue(), format=ox.RdfFormat.N_QUADS)
                     if quad.graph_name.value.startswith(BASE + "graph/inschatting/")]
    path = tmp_path / "assessments.nq"
    path.write_bytes(ox.serialize(versions_only, format=ox.RdfFormat.N_QUADS))
    location = new_store()
    model_loaded(location)
    done = run_cli("load", str(path), store=location)
    assert done.returncode == 0, done.stderr
    return location


def test_loading_assessment_versions_numbers_them_and_counts_them(new_store, tmp_path):
    """Assessment versions loaded from a file (a restore, a migration) are numbered and counted by the
    load itself, as publishing them would have."""
    source = model_loaded(new_store())
    for organisation, date in (("24062", "2022-01-01"), ("44021", "2021-06-01"), ("24062", "2020-01-01")):
        publish(source, parts(organisation, date, 2, 1), organisation)
    location = versions_loaded_elsewhere(source, tmp_path, new_store)
    loaded = open_location(location, read_only=True)
    assert positions(loaded) == positions(source) and len(positions(loaded)) == 3
    assert read_totals(loaded) == read_totals(source)


def over_latest(totals):
    """The totals over the latest assessments: all but the count of published versions."""
    return {key: value for key, value in totals.items() if key[0] != "versies"}


def test_an_earlier_date_or_a_withdrawn_older_version_leaves_them_as_they_are(new_store):
    store = model_loaded(new_store())
    latest = publish(store, parts("24062", "2022-01-01", 2, 1), "24062")
    kept = over_latest(read_totals(store))
    older = publish(store, parts("24062", "2020-01-01", 0, 2), "24062")
    assert over_latest(read_totals(store)) == kept
    withdraw(store, older.iri, "test")
    assert over_latest(read_totals(store)) == kept
    withdraw(store, latest.iri, "test")
    # withdrawn versions stay published (as tombstones in the feed and the catalogue)
    versions_only = {("versies", "centrumstad", "versionCount"): 2}
    assert read_totals(store) == versions_only
    assert store.select(queries.get("gap-versus-need").text) == []
    assert store.select(queries.get("ranking").text) == []
    rebuild_statistics(store)  # an organisation with every version withdrawn stays without a latest one
    assert read_totals(store) == versions_only and store.select(queries.get("ranking").text) == []


def test_the_statistics_command_adds_them_up_again(new_store):
    location = new_store()
    store = model_loaded(location)
    publish(store, parts("24062", "2022-01-01", 2, 1), "24062")
    publish(store, parts("44021", "2021-06-01", 3, 0), "44021")
    kept, ranked = read_totals(store), store.select(queries.get("ranking").text)
    emptied = [ox.NamedNode(BASE + name) for name in ("graph/statistiek", "graph/laatste/24062")]
    store.replace_graphs([NamedGraph(graph=graph, quads=[]) for graph in emptied])
    assert read_totals(store) == {} and len(store.select(queries.get("ranking").text)) == 1
    done = run_cli("statistics", store=location)
    assert done.returncode == 0, done.stderr
    assert "graph/statistiek" in done.stdout
    reopened = open_location(location, read_only=True)
    assert read_totals(reopened) == kept
    found = {row["kind"].value: int(row["organisations"].value)
             for row in reopened.select(queries.get("centrumsteden-versus-rest").text)}
    assert found == {"centrumstad": 2}
    assert reopened.select(queries.get("ranking").text) == ranked
