"""Facts taken from the seed documents, checked by SPARQL against the loaded store.

The tables below are copied from ../shared/seeds (README table of domains; slides 000/001; 004).
"""

import pyoxigraph as ox
import pytest

from odmld.sparql import library as queries

# seed README, "The eleven maturity domains and their charter principles"
DOMAINS = [
    ("1", "Sponsoring", [20]),
    ("2", "Visie/strategie", [20]),
    ("3", "Attitude & Awareness", [20]),
    ("4", "Kennis", [7, 8, 9, 10, 16]),
    ("5", "Inspiratie & concept", [4]),
    ("6", "Dialoog & co-creatie hergebruikers", [5, 17]),
    ("7", "Ondersteuning", [5, 17]),
    ("8", "Kennisdeling", [8]),
    ("9", "(Open) Data governance", [1, 2, 6, 11, 18]),
    ("10", "Aankoopbeleid", [19]),
    ("11", "Infrastructuur", [9, 12, 15]),
]
MATURITY_LEVELS = ["niet aanwezig", "opgestart", "gevorderd", "verworven"]
NEED_LEVELS = ["geen nood / geen prioriteit", "redelijke nood / geen prioriteit",
               "sterke nood / prioritair"]


def rows(store, name, **bindings):
    return store.select(queries.get(name).text, **bindings)


def test_the_eleven_domains_in_seed_order_with_their_principles(model_store, backend):
    found = [(r["notation"].value, r["label"].value,
              [int(p) for p in r["principles"].value.split()]) for r in rows(model_store, "domains")]
    if backend == "virtuoso":  # SPARQL leaves GROUP_CONCAT's order open: Virtuoso ignores the subquery's
        found = [(notation, label, sorted(principles)) for notation, label, principles in found]
    assert found == DOMAINS


@pytest.mark.parametrize("notation, label, principles", DOMAINS)
def test_each_domain_has_a_definition_and_actions(model_store, notation, label, principles):
    domain = ox.NamedNode(f"{model_store.base_uri}id/maturiteitsdomein/{notation}")
    found = rows(model_store, "domain-principles", domain=domain)
    assert sorted(int(r["notation"].value) for r in found) == principles
    detail = rows(model_store, "domain-detail", domain=domain)
    assert detail and detail[0]["definition"].language == "nl"
    assert int(detail[0]["actions"].value) >= 1


def test_maturity_levels_are_ordered_by_rank(model_store):
    found = [(r["label"].value.lower(), int(r["rank"].value))
             for r in rows(model_store, "maturity-levels")]
    assert found == [(label, rank) for rank, label in enumerate(MATURITY_LEVELS)]


def test_need_levels_are_ordered_by_rank(model_store):
    found = [(r["label"].value.lower(), int(r["rank"].value)) for r in rows(model_store, "need-levels")]
    assert found == [(label, rank) for rank, label in enumerate(NEED_LEVELS)]


def test_the_charter_has_twenty_principles_and_says_which_names_the_seeds_lack(model_store):
    found = rows(model_store, "charter-principles")
    assert [int(r["notation"].value) for r in found] == list(range(1, 21))
    assert all(r["label"].language == "nl" for r in found)
    by_number = {int(r["notation"].value): r for r in found}
    assert by_number[20]["label"].value.lower() == "uitdragen"
    for unnamed in (3, 13, 14):
        assert "note" in by_number[unnamed], f"principle {unnamed} needs an editorial note"


def test_five_user_profiles(model_store):
    labels = {r["label"].value for r in rows(model_store, "user-profiles")}
    assert labels == {"Stadsmedewerker (administratief)", "Beleidsmedewerker", "Data-expert",
                      "Data-manager", "Aankoopdienst"}


# seed 004, back-up slides: items per area
CHECKLIST_AREAS = {"1": ("Problem (re)definition", 5), "2": ("Capacity and resources", 3),
                   "3": ("Organizational culture", 3), "4": ("Governance", 4),
                   "5": ("Partnerships", 4), "6": ("Risks", 5)}


def test_the_checklist_has_six_areas_and_twenty_four_items(model_store):
    found = rows(model_store, "checklist")
    assert len(found) == 24
    for notation, (title, count) in CHECKLIST_AREAS.items():
        items = [r for r in found if r["area_notation"].value == notation]
        assert len(items) == count and items[0]["area"].value == title
    titles = {r["notation"].value: r["title"].value for r in found}
    assert titles["4.2"] == "Set roles and responsibility"
    assert titles["6.5"] == "“Open washing”"


def test_five_stars_with_the_flemish_target_of_three(model_store):
    found = rows(model_store, "five-star")
    assert [int(r["rank"].value) for r in found] == [1, 2, 3, 4, 5]
    assert [r["meets_target"].value for r in found] == ["false", "false", "true", "true", "true"]
    assert "open formaat" in found[2]["definition"].value
