"""Pages as a person reads them (issue 19): an assessment opens with whose it is, when, how and which
version; the charter is its 20 principles in order; every chart names its domains; the pages speak the
page's language, keeping Dutch (marked lang="nl") only where the data has no English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from odmld import tokens
from odmld.resources import folder

from backends import model_loaded
from conftest import make_app

LEUVEN = "24062"
FIRST, SECOND = "/doc/inschatting/24062/2024-01-01/v1", "/doc/inschatting/24062/2024-01-01/v2"


@pytest.fixture(scope="module")
def site(new_store):
    """A store with the model and Leuven's assessment of 2024-01-01 in two versions."""
    path = new_store()
    app = make_app(path, model_loaded(path))
    token = tokens.create(Path(app.config["ODMLD"].tokens), LEUVEN)[1]
    body = (folder("data") / "examples" / "assessment.csv").read_bytes()
    client = app.test_client()
    for version in (body, body.replace(b"nog geen budget", b"budget gevraagd")):  # v2 differs from v1
        response = client.post("/api/assessments?date=2024-01-01", data=version, headers={
            "Content-Type": "text/csv", "Authorization": f"Bearer {token}"})
        assert response.status_code == 201
    yield client
    app.extensions["odmld.pool"].close()


def html(client, path: str, lang: str = "en") -> str:
    response = client.get(path, headers={"Accept": "text/html", "Accept-Language": lang})
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def main_part(page: str) -> str:
    return page[page.index("<main>"):page.index("</main>")]


def test_an_assessment_page_opens_with_organisation_date_method_and_version_and_is_titled_in_words(site):
    page = html(site, FIRST)
    assert "<title>City of Leuven: assessment of 2024-01-01 (version 1) · odmld</title>" in page
    heading = re.search(r"<h1>(.*?)</h1>", page).group(1)
    assert "http" not in heading and "2024-01-01" in heading and "version 1" in heading
    facts = page[page.index('<dl class="facts">'):page.index("</dl>")]
    assert 'href="/id/organisatie/24062"' in facts and "self-evaluation" in facts and "2024-01-01" in facts
    assert ">zelfevaluatie<" not in main_part(page)


def test_the_remediation_plan_is_a_heading_once(site):
    for lang, words in (("en", "Remediation plan"), ("nl", "Remediëringsplan")):
        page = html(site, FIRST, lang)
        assert len(re.findall(rf"<h[1-6]>{words}</h[1-6]>", page)) == 1, lang


def test_an_assessment_page_links_the_previous_and_the_next_version(site):
    first, second = html(site, FIRST), html(site, SECOND)
    assert 'href="/id/inschatting/24062/2024-01-01/v2"' in first and "next version" in first
    assert "previous version" not in first
    assert 'href="/id/inschatting/24062/2024-01-01/v1"' in second and "previous version" in second
    assert "next version" not in second


def test_the_radar_names_every_domain_in_its_legend(site):
    svg = re.search(r"<svg.*?</svg>", html(site, FIRST), re.S).group(0)
    for name in ("1. Sponsorship", "4. Knowledge", "11. Infrastructure"):
        assert f">{name}</text>" in svg


def test_the_heat_map_names_every_domain_on_its_axis(site):
    page = html(site, "/vergelijk?org=24062")
    heat = re.search(r'<svg[^>]*class="heatmap".*?</svg>', page, re.S).group(0)
    assert ">1. Sponsorship</text>" in heat and ">11. Infrastructure</text>" in heat
    assert "not present" in heat  # the legend of the colours


def test_the_charter_page_numbers_its_20_principles_in_order_each_with_the_domains_that_serve_it(site):
    page = html(site, "/doc/conceptschema/open-data-charter")
    charter = page[page.index('<ol class="charter">'):]
    numbers = [int(n) for n in re.findall(r'<li value="(\d+)">', charter)]
    assert numbers == list(range(1, 21))
    principle_8 = charter[charter.index('<li value="8">'):charter.index('<li value="9">')]
    assert "4. Knowledge" in principle_8 and "8. Knowledge sharing" in principle_8
    principle_3 = charter[charter.index('<li value="3">'):charter.index('<li value="4">')]
    assert "No maturity domain serves this principle" in principle_3


def test_a_domain_page_opens_with_its_definition_then_its_actions(site):
    page = main_part(html(site, "/doc/maturiteitsdomein/4"))
    definition = page.index("The technical and legal knowledge of publishing and reusing data is present.")
    assert definition < page.index("<h2>Actions</h2>") < page.index("<h2>Properties</h2>")
    assert 'href="/domein/4/ranking"' in page


@pytest.mark.parametrize("path", ["/doc/conceptschema/open-data-charter", "/doc/organisatie/vlaamse-overheid",
                                  "/doc/charterprincipe/3", "/doc/charterprincipe/5", "/doc/maturiteitsdomein/9"])
def test_no_internal_note_is_shown_to_the_public(site, path):
    for lang in ("nl", "en"):
        page = html(site, path, lang)
        assert not re.search(r"\bseeds?\b", page, re.I), (path, lang)
        assert "editorialNote" not in page


def test_properties_are_named_in_words_not_by_their_iri(site):
    page = html(site, "/doc/organisatie/44021")
    assert ">http://www.w3.org/2004/02/skos/core#prefLabel</a>" not in page
    assert ">name</a>" in page


def test_english_pages_name_methods_catalogue_entries_and_organisations_in_english(site):
    form = html(site, "/zelfevaluatie")
    assert ">self-evaluation</option>" in form and ">survey</option>" in form
    catalogue = html(site, "/catalog")
    assert "Open data maturity of City of Leuven, 2024-01-01 (version 1)" in catalogue
    assert "Open data maturiteit" not in catalogue
    picker = html(site, "/vergelijk?q=Gent")  # the picker is a search: its results in the page's language
    assert "City of Gent" in picker and "Stad Gent" not in picker
    history = html(site, "/doc/organisatie/24062")
    assert "(self-evaluation," in history


def test_dutch_kept_on_an_english_page_is_marked_as_dutch(site):
    page = html(site, "/doc/charterprincipe/5")  # its Dutch alternative label has no English
    assert '<span lang="nl">Aanspreekpunt</span>' in page


def test_an_error_page_speaks_the_page_language(site):
    for lang, title, detail in (("nl", "404 Niet gevonden", "Over "), ("en", "404 Not found", "Nothing is known")):
        response = site.get("/doc/bestaat/niet", headers={"Accept": "text/html", "Accept-Language": lang})
        page = response.get_data(as_text=True)
        assert response.status_code == 404 and f"<h1>{title}</h1>" in page and detail in page, lang
        assert f'<html lang="{lang}">' in page


def test_the_language_switch_keeps_the_path_and_the_query_string(site):
    page = html(site, "/vergelijk?org=24062&org=44021&date=2024-06-01", "nl")
    switch = re.search(r'<a class="lang" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert switch == "/vergelijk?org=24062&org=44021&date=2024-06-01&lang=en"
    switched = html(site, switch, "nl")
    assert '<html lang="en">' in switched and 'value="24062" checked' in switched
    back = re.search(r'<a class="lang" href="([^"]+)"', switched).group(1).replace("&amp;", "&")
    assert back == "/vergelijk?org=24062&org=44021&date=2024-06-01&lang=nl"


def test_the_home_page_lists_the_latest_publications_newest_first(site):
    page = html(site, "/")
    latest = page[page.index('<ol class="latest">'):]
    latest = latest[:latest.index("</ol>")]
    assert latest.index("2024-01-01/v2") < latest.index("2024-01-01/v1")
    assert "City of Leuven" in latest and "assessment of 2024-01-01 (version 2)" in latest
    assert "self-evaluation" in latest


def test_the_home_page_gives_maturity_per_domain_across_organisations(site):
    page = html(site, "/")
    overview = page[page.index('<table class="facts overview">'):page.index("</table>")]
    assert overview.count("<tr>") == 12  # a heading row and the eleven domains
    assert 'href="/domein/1/ranking"' in overview and "1. Sponsorship" in overview
    assert "/ 3" in overview  # Leuven's latest assessment scores its domains


@pytest.mark.parametrize("target", ["/vergelijk", "/catalog", "/catalog.ttl", "/catalog.jsonld", "/feed",
                                    "/dump/odmld.nq.gz", "/sparql", "/organisaties", "/model", "/domein/1/ranking",
                                    "/doc/conceptschema/open-data-charter", "/zelfevaluatie", "/ns/odm"])
def test_the_home_page_links_every_part_of_the_service(site, target):
    assert f'href="{target}"' in html(site, "/")


@pytest.mark.slow
def test_every_main_page_is_reachable_from_the_navigation(site):
    """Follow the links of the home page and the menu, two steps deep, as a visitor would."""
    wanted = {"/", "/model", "/organisaties", "/vergelijk", "/zelfevaluatie", "/sparql", "/catalog",
              "/ns/odm", "/domein/4/ranking", "/doc/conceptschema/open-data-charter",
              "/id/maturiteitsdomein/4", "/id/charterprincipe/8", "/id/organisatie/24062",
              "/id/inschatting/24062/2024-01-01/v1"}
    seen, frontier = {"/"}, ["/"]
    for _ in range(2):
        following = []
        for path in frontier:
            response = site.get(path, headers={"Accept": "text/html"}, follow_redirects=True)
            if "text/html" not in response.content_type:
                continue
            for href in re.findall(r'href="(/[^"?#]*)"', response.get_data(as_text=True)):
                if href not in seen and not href.startswith("/static/"):
                    seen.add(href)
                    following.append(href)
        frontier = following
    assert wanted <= seen, wanted - seen


def test_the_language_switch_of_a_path_with_a_question_mark_in_it_stays_on_that_path(site):
    response = site.get("/doc/bestaat%3Fniet%22x", headers={"Accept": "text/html", "Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert '<a class="lang" href="/doc/bestaat%3Fniet%22x?lang=nl"' in page
