"""Smart Portrait 2017 facts (seed 002), typed in by hand from the report's tables, checked by SPARQL."""

import pyoxigraph as ox
import pytest

from odmld.sparql import library as queries

# Tabel 5 (coordinator, steering group, ad hoc), Tabel 7 (clauses, enterprise architect),
# Tabel 9 (inventory), Bijlage 3 (interview date). "o" in Tabel 7 is "onbekend" (the legend).
TABLE = {
    "41002": (False, False, True, "soms", "neen", "nog-niet", "2017-10-09"),   # Aalst
    "11002": (True, True, False, "altijd", "ja", "bezig", "2017-10-13"),       # Antwerpen
    "31005": (False, False, True, "neen", "onbekend", "nog-niet", "2017-09-13"),  # Brugge
    "71016": (False, True, False, "altijd", "onbekend", "nog-niet", "2017-10-26"),  # Genk
    "44021": (False, True, False, "altijd", "ja", "nog-niet", "2017-09-14"),   # Gent
    "71022": (False, True, False, "soms", "ja", "bezig", "2017-10-03"),        # Hasselt
    "34022": (False, False, True, "soms", "ja", "afgerond", "2017-09-07"),     # Kortrijk
    "24062": (False, True, False, "soms", "neen", "nog-niet", "2017-09-20"),   # Leuven
    "12025": (True, True, False, "soms", "applicatieschema", "bezig", "2017-10-23"),  # Mechelen
    "35013": (True, False, True, "soms", "ja", "bezig", "2017-10-10"),         # Oostende
    "36015": (False, False, True, "neen", "neen", "bezig", "2017-10-17"),      # Roeselare
    "46021": (True, False, True, "soms", "neen", "nog-niet", "2017-10-05"),    # Sint-Niklaas
    "13040": (False, False, True, "soms", "neen", "nog-niet", "2017-10-11"),   # Turnhout
    "vgc": (False, False, True, "onbekend", "onbekend", "bezig", "2017-10-02"),
}
# Tabel 10 (status december 2017)
PORTALS = {
    "11002": "http://opendata.antwerpen.be/",
    "44021": "https://data.stad.gent",
    "31005": "https://www.brugge.be/opendata",
    "35013": "https://www.oostende.be/opendata.aspx",
    "34022": "https://www.kortrijk.be/opendata/node/1716418",
    "46021": "https://www.sint-niklaas.be/node/43232",
}


@pytest.fixture(scope="module")
def portraits(model_store):
    found = model_store.select(queries.get("smart-portrait").text)
    return {row["identifier"].value: row for row in found}


def test_there_is_a_portrait_for_each_of_the_fourteen_organisations(portraits):
    assert set(portraits) == set(TABLE)


@pytest.mark.parametrize("identifier", sorted(TABLE))
def test_portrait_facts_match_the_report(portraits, identifier):
    row = portraits[identifier]
    coordinator, steering, ad_hoc, clauses, architect, inventory, interview = TABLE[identifier]
    assert (row["coordinator"].value, row["steering_group"].value, row["ad_hoc"].value) == \
        tuple(str(v).lower() for v in (coordinator, steering, ad_hoc))
    assert (row["clauses"].value, row["enterprise_architect"].value, row["inventory"].value) == \
        (clauses, architect, inventory)
    assert row["interview_date"].value == interview
    assert ("portal" in row and row["portal"].value) == PORTALS.get(identifier, False)


def test_table_five_totals(portraits):
    totals = [sum(row[key].value == "true" for row in portraits.values())
              for key in ("coordinator", "steering_group", "ad_hoc")]
    assert totals == [4, 6, 8]  # "Totaal 4 6 8"


def test_only_leuven_is_recruiting_a_coordinator(portraits):
    assert [k for k, row in portraits.items() if row["recruiting"].value == "true"] == ["24062"]


def test_twelve_work_packages_in_order(model_store):
    found = model_store.select(queries.get("work-packages").text)
    assert [int(r["notation"].value) for r in found] == list(range(1, 13))
    titles = {int(r["notation"].value): r["title"].value for r in found}
    assert titles[1] == "Visievorming" and titles[9] == "Open data" and titles[12] == "Procestool"
    assert int(found[0]["topics"].value) == 5  # werkpakket 1 lists five topics


def test_organisations_are_identified_by_nis_code_and_linked_to_the_registries(model_store):
    rows = model_store.select(queries.get("organisations").text, lang=ox.Literal("nl"))
    cities = {r["identifier"].value for r in rows if r.get("kind") and r["kind"].value == "centrumstad"}
    assert cities == set(TABLE) - {"vgc"}
    leuven = ox.NamedNode(model_store.base_uri + "id/organisatie/24062")
    links = {t.object.value for t in model_store.query(queries.get("describe").text,
                                                       bindings={"resource": leuven})
             if t.subject == leuven}
    assert "https://data.vlaanderen.be/id/gemeente/24062" in links
    assert "http://www.wikidata.org/entity/Q118958" in links


# Wikidata items confirmed by two sources (a NIS code -> Wikidata table, and a place -> item list or a
# geocoder record); Aalst, Genk and Turnhout have one source only and the VGC none, so they have no link.
WIKIDATA = {"11002": "Q12892", "31005": "Q12994", "44021": "Q1296", "71022": "Q58780", "34022": "Q12995",
            "24062": "Q118958", "12025": "Q162022", "35013": "Q12996", "36015": "Q211037", "46021": "Q13127"}


@pytest.mark.parametrize("identifier", sorted(TABLE))
def test_wikidata_links_only_where_confirmed(model_store, identifier):
    organisation = ox.NamedNode(model_store.base_uri + "id/organisatie/" + identifier)
    items = {t.object.value for t in model_store.query(queries.get("describe").text,
                                                       bindings={"resource": organisation})
             if t.subject == organisation and t.object.value.startswith("http://www.wikidata.org/")}
    expected = {"http://www.wikidata.org/entity/" + WIKIDATA[identifier]} if identifier in WIKIDATA else set()
    assert items == expected
