"""HTML pages for people: Dutch and English, autoescaped, linking their RDF alternates."""

import pytest

from odmld.loading import parse_paths
from odmld.resources import default_load_paths

from backends import open_location
from conftest import BASE, make_app


def test_home_links_to_the_model_and_every_domain(client):
    page = client.get("/", headers={"Accept-Language": "nl"}).data.decode()
    assert 'href="/model"' in page
    assert page.count('href="/id/maturiteitsdomein/') == 11


def test_the_model_page_has_the_domain_by_principle_matrix(client):
    page = client.get("/model").data.decode()
    assert page.count('<tr><th scope="row">') == 11
    assert page.count("●") == 23  # the seed table: 1+1+1+5+1+2+2+1+5+1+3 domain-principle links
    assert "verworven" in page and "sterke nood / prioritair" in page


def test_a_domain_page_shows_its_actions_audiences_and_principles(client):
    page = client.get("/doc/maturiteitsdomein/4", headers={"Accept": "text/html"}).data.decode()
    assert "leermomenten en didactisch materiaal" in page
    assert "aankoopdienst" in page and "Linked Open Data" in page
    assert 'rel="alternate"' in page


def test_a_principle_page_lists_the_domains_that_serve_it(client):
    page = client.get("/doc/charterprincipe/8.html").data.decode()
    assert "Kennis" in page and "Kennisdeling" in page


def test_an_organisation_page_shows_its_smart_portrait(client):
    page = client.get("/doc/organisatie/12025.html").data.decode()
    assert "Stad Mechelen" in page and "Applicatie schema" in page
    assert "2017-10-23" in page and "Smart Portrait 2017" in page


def test_language_by_accept_language_and_by_switch(client):
    english = client.get("/doc/maturiteitsdomein/1.html", headers={"Accept-Language": "en"}).data
    assert b"<h1>Sponsorship</h1>" in english
    switched = client.get("/doc/maturiteitsdomein/1.html?lang=nl", headers={"Accept-Language": "en"})
    assert b"<h1>Sponsoring</h1>" in switched.data
    assert "lang=nl" in switched.headers["Set-Cookie"]


@pytest.mark.slow
def test_literals_with_html_are_escaped(tmp_path, new_store):
    location = new_store()
    store = open_location(location)
    hostile = tmp_path / "hostile.ttl"
    hostile.write_text('<id/test/x> <http://www.w3.org/2004/02/skos/core#prefLabel> '
                       '"<script>alert(1)</script>"@nl ; <http://purl.org/dc/terms/description> '
                       '"<img src=x onerror=alert(2)>" .\n', encoding="utf-8")
    store.replace_graphs(parse_paths(default_load_paths() + [hostile], BASE))
    app = make_app(location, store)
    try:
        page = app.test_client().get("/doc/test/x.html").data.decode()
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
        assert "<img src=x" not in page
    finally:
        app.extensions["odmld.pool"].close()
