"""Every list a person sees is bounded whatever the number of organisations: the organisations a page of
50 (or a kind's page, or a search's matches), the home page a summary of counts, a ranking its top and
the organisation asked for, the comparison's picker a search; each works without JavaScript (links and
GET forms)."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from odmld.store_api import NamedGraph
from odmld.assessments.publish import publish
from odmld.web.bounded_lists import PAGE_SIZE

from backends import model_loaded
from test_research_queries import parts
from conftest import BASE, make_app

pytestmark = pytest.mark.slow  # a store with more organisations than a page holds, each published

EXTRA = 130  # organisations beside the model's: three pages of the list


def organisations_file(count: int) -> NamedGraph:
    graph = ox.NamedNode(BASE + "graph/data/extra-organisaties")
    skos, dcterms = "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/terms/"
    quads = []
    for n in range(count):
        organisation = ox.NamedNode(f"{BASE}id/organisatie/x{n}")
        quads += [ox.Quad(organisation, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                          ox.NamedNode("http://www.w3.org/ns/org#Organization"), graph),
                  ox.Quad(organisation, ox.NamedNode(skos + "prefLabel"), ox.Literal(f"Proefbestuur {n:03d}", language="nl"), graph),
                  ox.Quad(organisation, ox.NamedNode(dcterms + "identifier"), ox.Literal(f"x{n}"), graph)]
    return NamedGraph(graph=graph, quads=quads)


@pytest.fixture(scope="module")
def many(new_store):
    location = new_store()
    store = model_loaded(location)
    store.replace_graphs([organisations_file(EXTRA)])
    for n in range(30):  # 30 ranked: more than the ranking's top
        publish(store, parts(f"x{n}", "2023-01-01", n % 4, n % 3), f"x{n}")
    app = make_app(location, store)
    yield app.test_client()
    app.extensions["odmld.pool"].close()


def rows(page: str) -> list[str]:
    return re.findall(r"<td><a href=\"/id/organisatie/([^\"]+)\"", page)


def test_the_organisations_list_is_a_page_of_50_with_links_to_the_next(many):
    first = many.get("/organisaties").data.decode()
    assert len(rows(first)) == PAGE_SIZE and 'rel="next" href="/organisaties?page=2"' in first
    every = []
    for number in (1, 2, 3):
        every += rows(many.get(f"/organisaties?page={number}").data.decode())
    assert len(every) == len(set(every)) == EXTRA + 18
    assert 'rel="next"' not in many.get("/organisaties?page=3").data.decode()
    assert many.get("/organisaties?page=4").status_code == 404
    assert many.get("/organisaties?page=0").status_code == 400


def test_the_organisations_list_filters_by_kind_and_searches_names(many):
    kind = many.get("/organisaties?soort=centrumstad").data.decode()
    assert len(rows(kind)) == 13 and "x1" not in rows(kind)
    assert many.get("/organisaties?soort=nothing").status_code == 404
    found = many.get("/organisaties?q=proefbestuur+012").data.decode()
    assert rows(found) == ["x12"]
    assert len(rows(many.get("/organisaties?q=proefbestuur").data.decode())) == 50  # at most 50
    assert many.get("/organisaties?q=" + "a" * 101).status_code == 400


def test_the_home_page_shows_counts_not_every_organisation(many):
    home = many.get("/?lang=en").data.decode()
    assert "/id/organisatie/x1\"" not in home
    assert f"{EXTRA + 18} organisations, 30 with an assessment; 30 versions published." in home


def test_a_ranking_shows_its_top_and_the_organisation_asked_for(many):
    top = many.get("/domein/4/ranking").data.decode()
    ranked = rows(top)
    assert 0 < len(ranked) <= 20 and "x0" not in ranked  # x0: maturity 0, at the bottom
    asked = many.get("/domein/4/ranking?org=x0&lang=en").data.decode()
    # named in Dutch only: marked as Dutch on the English page
    assert re.search(r'<span lang="nl">Proefbestuur 000</span>: rank \d+ of 30', asked)
    assert "no assessment in this domain" in many.get("/domein/4/ranking?org=x100&lang=en").data.decode()
    assert many.get("/domein/4/ranking?org=nobody").status_code == 404
    found = many.get("/domein/4/ranking?q=proefbestuur+007").data.decode()
    assert 'href="/domein/4/ranking?org=x7"' in found


def test_the_comparison_picker_is_a_search_not_every_organisation(many):
    empty = many.get("/vergelijk").data.decode()
    assert 'type="checkbox"' not in empty and 'name="q"' in empty
    searched = many.get("/vergelijk?q=proefbestuur+00&org=x20").data.decode()
    boxes = re.findall(r'<input type="checkbox" name="org" value="([^"]+)"( checked)?', searched)
    assert ("x20", " checked") in boxes
    assert {value for value, checked in boxes if not checked} == {f"x{n}" for n in range(10)}
