"""The pages as people use them, in Debian's Chromium driven by Playwright, against a real server on a
loopback socket: the self-assessment form, a comparison of three cities, the language switch, and axe-core
on every main page for WCAG 2.1 A and AA (0 violations). Without Chromium they skip, saying so."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from odmld import tokens

from backends import live_server
from security.chromium_browser import chromium
from security.web_targets import EXAMPLES, GENT, LEUVEN, writable_target

from .accessibility import violations

MECHELEN = "12025"
CITIES = (LEUVEN, GENT, MECHELEN)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A writable server with an assessment for each of three cities; yields (target, base URL)."""
    target = writable_target(tmp_path_factory.mktemp("browser-pages"))
    client, body = target.app.test_client(), (EXAMPLES / "assessment.csv").read_bytes()
    for city in CITIES:
        token = tokens.create(target.tokens_file, city)[1]
        for date in ("2024-01-01", "2024-06-01"):
            response = client.post(f"/api/assessments?date={date}", data=body, headers={
                "Content-Type": "text/csv", "Authorization": f"Bearer {token}"})
            assert response.status_code == 201, response.get_data(as_text=True)
    with live_server(target.app) as url:
        yield target, url
    target.close()


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


@pytest.fixture()
def page(browser):
    context = browser.new_context(bypass_csp=True)  # axe is injected as a script of its own
    yield context.new_page()
    context.close()


def test_the_form_shows_an_error_at_its_domain_then_publishes_and_lands_on_the_scored_page(site, page):
    target, url = site
    page.goto(url + "zelfevaluatie?lang=en")
    page.fill("#token", target.leuven)
    page.fill("#date", "2024-09-01")
    page.select_option("#maturity-3", "2")  # a maturity without a need
    page.click("button[type=submit]")
    error = page.locator("#fout-3")
    assert error.is_visible() and error.get_attribute("role") == "alert"
    assert page.get_attribute("#domein-3", "aria-describedby") == "fout-3"
    assert page.input_value("#maturity-3") == "2"  # what was filled in is kept
    assert violations(page) == []

    page.select_option("#need-3", "1")
    for domain, maturity, need in (("1", "1", "2"), ("2", "3", "0")):
        page.select_option(f"#maturity-{domain}", maturity)
        page.select_option(f"#need-{domain}", need)
    page.click("button[type=submit]")
    page.wait_for_url("**/doc/inschatting/24062/2024-09-01/v1")
    assert page.text_content("h1") == "City of Leuven: assessment of 2024-09-01 (version 1)"
    assert page.locator("svg.radar").count() == 1
    assert "Remediation plan" in page.text_content("main")
    assert violations(page) == []


def test_three_cities_are_compared_from_the_picker(site, page):
    _, url = site
    page.goto(url + "vergelijk?lang=en")
    for city, name in zip(CITIES, ("Leuven", "Gent", "Mechelen")):  # the picker is a search: find, tick
        page.fill("#q", name)
        page.click("main form fieldset button[type=submit]")
        page.check(f"input[name=org][value='{city}']")
    page.click("main form > button[type=submit]")
    page.wait_for_selector("svg.heatmap")
    assert sorted(v for k, v in parse_qsl(urlsplit(page.url).query) if k == "org") == sorted(CITIES)
    heat = page.text_content("svg.heatmap")
    for name in ("City of Leuven", "City of Gent", "City of Mechelen", "1. Sponsorship", "11. Infrastructure"):
        assert name in heat
    assert page.locator("svg.radar").count() == 3
    assert violations(page) == []


def test_the_language_switch_keeps_the_page_and_its_query_string(site, page):
    _, url = site
    chosen = f"vergelijk?org={LEUVEN}&org={GENT}&date=2024-03-01"
    page.goto(url + chosen + "&lang=nl")
    assert page.get_attribute("html", "lang") == "nl"
    page.click("a.lang")
    page.wait_for_url(re.compile(r".*lang=en$"))
    assert page.get_attribute("html", "lang") == "en"
    assert page.url == url + chosen + "&lang=en"
    assert page.is_checked(f"input[value='{LEUVEN}']") and page.is_checked(f"input[value='{GENT}']")
    assert page.input_value("#date") == "2024-03-01"
    page.goto(url + "model")  # the choice is remembered
    assert page.get_attribute("html", "lang") == "en"


MAIN_PAGES = [
    "", "model", "organisaties", "vergelijk", f"vergelijk?org={LEUVEN}&org={GENT}&org={MECHELEN}",
    "zelfevaluatie", "zelfevaluatie/bevraging", "sparql", "catalog", "ns/odm", "domein/4/ranking",
    "doc/conceptschema/open-data-charter", "doc/maturiteitsdomein/4", "doc/charterprincipe/8",
    f"doc/organisatie/{LEUVEN}", f"doc/inschatting/{LEUVEN}/2024-06-01/v1", "doc/bestaat/niet",
]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("path", MAIN_PAGES)
def test_every_main_page_meets_wcag_21_aa(site, page, path, lang):
    _, url = site
    page.goto(url + path + ("&" if "?" in path else "?") + f"lang={lang}")
    assert page.get_attribute("html", "lang") == lang
    assert violations(page) == []


def test_axe_finds_what_a_page_gets_wrong(page):
    """The positive control: the same check on a page without a language or an image's text fails."""
    page.set_content('<!doctype html><html><head><title>x</title></head><body><img src="x.png"></body></html>')
    found = violations(page)
    assert any(v.startswith("html-has-lang") for v in found) and any(v.startswith("image-alt") for v in found)
