"""The City of Things survey (seeds 000 and 001): instrument and published results, aggregated by SPARQL."""

import pyoxigraph as ox

from odmld.sparql import library as queries

# seed 000: the question 9 table (frequency, percent), Ja / Nee / printed total
QUESTION_9 = {
    "All": {"ja": (394, 80.4), "nee": (96, 19.6), "totaal": (480, 100.0)},
    "Uitvoerend": {"ja": (287, 78.4), "nee": (79, 21.6), "totaal": (366, 100.0)},
    "Leidinggevend": {"ja": (105, 86.8), "nee": (16, 13.2), "totaal": (121, 100.0)},
    "Invoeren&verwerken": {"ja": (188, 81.0), "nee": (44, 19.0), "totaal": (232, 100.0)},
    "Inzichten": {"ja": (199, 82.6), "nee": (42, 17.4), "totaal": (241, 100.0)},
}


def test_question_nine_table_as_published(model_store):
    found = {}
    for row in model_store.select(queries.get("survey-question-9").text):
        found.setdefault(row["segment"].value, {})[row["answer"].value] = (
            int(row["frequency"].value), float(row["percentage"].value))
    assert found == QUESTION_9


def test_yes_and_no_add_up_in_every_segment_but_the_printed_all_total(model_store):
    for segment, cells in QUESTION_9.items():
        summed = cells["ja"][0] + cells["nee"][0]
        assert (summed == cells["totaal"][0]) is (segment != "All")


def test_the_needs_per_profile_group(model_store):
    rows = model_store.select(queries.get("survey-findings-by-profile").text,
                              kind=ox.Literal("nood"))
    needs = {(r["group"].value, r["topic"].value): float(r["percentage"].value)
             for r in rows if r["kind"].value == "nood"}
    assert needs[("beleid", "Stadsbrede visie")] == 93.0
    assert needs[("technisch", "Interoperabiliteit")] == 89.0
    assert needs[("aankoop", "Technische ondersteuning")] == 83.0
    assert needs[("administratief", "Ondersteuning GDPR")] == 48.6


def test_findings_per_profile_group_and_the_general_ones(model_store):
    rows = model_store.select(queries.get("survey-findings-by-profile").text)
    groups = {}
    for row in rows:
        groups.setdefault(row["group"].value, []).append(row)
    assert {g: len(r) for g, r in groups.items()} == {
        "algemeen": 8, "administratief": 4, "beleid": 9, "technisch": 7, "aankoop": 5}
    knowledge = {g: float(r["percentage"].value) for g, rs in groups.items()
                 for r in rs if r["kind"].value == "kennis"}
    assert knowledge == {"algemeen": 80.0, "administratief": 60.0, "beleid": 89.0,
                         "technisch": 90.0, "aankoop": 95.0}


def test_the_instrument_and_the_domain_its_questions_inform(model_store):
    rows = {r["notation"].value: r for r in model_store.select(queries.get("survey-questions").text)}
    assert set(rows) == {"6a", "6b", "6c", "omgang", "9", "10a", "10b", "10c", "10d"}
    informing = {n for n, r in rows.items() if "domains" in r and r["domains"].value == "1"}
    assert informing == {"6b", "6c", "9"}  # slide "Maturiteitsmodel - Input": Sponsoring
    assert rows["9"]["text"].value == "Is open data zoals zonet beschreven voor jou een gekend concept?"
