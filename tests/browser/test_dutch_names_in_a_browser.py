"""A Dutch-only organisation name on an English comparison, as Chromium reads it: the language of the
SVG text that draws it is Dutch (`:lang(nl)`, which is what the browser and a screen reader use), the
English names are not, and axe-core finds no WCAG 2.1 A/AA violation. Without Chromium it skips."""

from __future__ import annotations

import pytest

from odmld import tokens
from odmld.loading import parse_paths

from backends import BASE_URI, live_server
from security.chromium_browser import chromium
from security.web_targets import EXAMPLES, LEUVEN, writable_target

from .accessibility import violations

DUTCH_ONLY = "99998"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser-dutch-names")
    target = writable_target(folder)
    extra = folder / "proefdorp.ttl"
    extra.write_text(f"""<{BASE_URI}id/organisatie/{DUTCH_ONLY}> a <http://www.w3.org/ns/org#Organization> ;
    <http://www.w3.org/2004/02/skos/core#prefLabel> "Gemeente Proefdorp"@nl ;
    <http://purl.org/dc/terms/identifier> "{DUTCH_ONLY}" .
""", encoding="utf-8")
    target.store.replace_graphs(parse_paths([extra], BASE_URI))
    body = (EXAMPLES / "assessment.csv").read_bytes()
    for token in (target.leuven, tokens.create(target.tokens_file, DUTCH_ONLY)[1]):
        response = target.app.test_client().post("/api/assessments?date=2024-01-01", data=body, headers={
            "Content-Type": "text/csv", "Authorization": f"Bearer {token}"})
        assert response.status_code == 201, response.get_data(as_text=True)
    with live_server(target.app) as url:
        yield url
    target.close()


@pytest.fixture()
def page():
    with chromium() as browser:
        context = browser.new_context(bypass_csp=True)  # axe is injected as a script of its own
        yield context.new_page()
        context.close()


def test_a_dutch_name_in_an_english_chart_is_read_as_dutch_and_the_page_meets_wcag(site, page):
    page.goto(site + f"vergelijk?org={LEUVEN}&org={DUTCH_ONLY}&lang=en")
    page.wait_for_selector("svg.heatmap")
    languages = page.evaluate("""() => [...document.querySelectorAll('svg text, svg tspan, figcaption span')]
        .filter(e => /Gemeente Proefdorp|City of Leuven/.test(e.textContent) && e.children.length === 0)
        .map(e => [e.textContent.trim(), e.matches(':lang(nl)'), e.matches(':lang(en)')])""")
    dutch = [found for found in languages if found[0] == "Gemeente Proefdorp"]
    english = [found for found in languages if found[0].startswith("City of Leuven")]
    assert len(dutch) >= 12 and all(nl and not en for _, nl, en in dutch), dutch  # heat map, 11 bars
    assert english and all(en and not nl for _, nl, en in english), english
    assert violations(page) == []
