"""The stored-script chain of issue 15 (item 2), replayed in Chromium against a real server.

One city's assessment lists a dataset whose landing page is a `javascript:` URL (written past the
shapes, as an older odmld accepted it). Another city's data manager, signed in on the form, opens that
page and clicks. Before, the click ran the script in the site's origin and it published an assessment
in the second city's name. Now the page shows the URL as text, and the Content-Security-Policy stops a
`javascript:` URL or an inline script even where one reaches the page.
"""

from __future__ import annotations

import base64

import pyoxigraph as ox
import pytest

from odmld.assessments.graph import AssessmentParts, DomainPart, ListedDataset
from odmld import vocab
from odmld.assessments.publish import publish

from backends import BASE_URI, live_server
from .chromium_browser import chromium
from .web_targets import GENT, LEUVEN, writable_target

# fetch the form (with whatever token it carries) and post it as whoever is signed in
ATTACK = """
window.__ran = 1;
fetch('/zelfevaluatie').then(r => r.text()).then(page => {
  const csrf = page.match(/name="csrf" value="([^"]+)"/);
  const body = new URLSearchParams({date: '2016-02-02', method: 'zelfevaluatie',
                                    'maturity-1': '1', 'need-1': '1'});
  if (csrf) body.set('csrf', csrf[1]);
  return fetch('/zelfevaluatie', {method: 'POST', body});
}).then(r => { window.__status = r.status; });
"""
SCRIPT_URL = "javascript:eval(atob('" + base64.b64encode(ATTACK.encode()).decode() + "'))"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    target = writable_target(tmp_path_factory.mktemp("browser-links"))
    base = BASE_URI
    planted = publish(target.store, AssessmentParts(
        organisation=vocab.organisation(base, LEUVEN),
        date=ox.Literal("2016-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
        method=ox.NamedNode(f"{base}id/methode/zelfevaluatie"),
        domains=[DomainPart(ox.NamedNode(f"{base}id/maturiteitsdomein/1"),
                            ox.NamedNode(f"{base}id/maturiteitsniveau/opgestart"),
                            ox.NamedNode(f"{base}id/noodniveau/geen-nood"), None)],
        datasets=[ListedDataset(title=ox.Literal("Klik hier"), url=ox.NamedNode(SCRIPT_URL),
                                media="text/csv", licence=None, links=False)]), LEUVEN)
    with live_server(target.app) as url:
        yield target, url, "/doc/" + planted.iri.value[len(base + "id/"):]
    target.close()


def gent_versions(target) -> int:
    rows = target.store.select(
        "SELECT (COUNT(?a) AS ?n) WHERE { ?a <http://odmld.test/ns/odm#assessedOrganisation> ?o }",
        o=vocab.organisation(BASE_URI, GENT))
    return int(rows[0]["n"].value)


def sign_in_as_gent(page, url: str, token: str) -> None:
    page.goto(url + "zelfevaluatie?lang=en")
    page.fill("#token", token)
    page.fill("#date", "2016-03-03")
    page.select_option("#maturity-1", "1")
    page.select_option("#need-1", "1")
    page.click("button[type=submit]")
    page.wait_for_url("**/doc/inschatting/**")


def test_a_planted_script_link_neither_shows_as_a_link_nor_runs_when_forced(site):
    target, url, planted = site
    with chromium() as browser:
        page = browser.new_context().new_page()
        sign_in_as_gent(page, url, target.gent)
        signed_in = gent_versions(target)
        assert signed_in == 1

        page.goto(url + planted.lstrip("/") + ".html?lang=en")
        hrefs = page.eval_on_selector_all("[href]", "nodes => nodes.map(n => n.getAttribute('href'))")
        assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")]
        page.get_by_text("Klik hier").first.click()  # the title, shown as text
        page.evaluate("""() => { window.__violations = [];
            document.addEventListener('securitypolicyviolation',
                                      e => window.__violations.push(e.effectiveDirective)); }""")

        # a link that reached the page anyway (from any template) is stopped by the policy
        page.evaluate("""url => { const a = document.createElement('a'); a.href = url;
                                  a.textContent = 'planted'; document.body.append(a); }""", SCRIPT_URL)
        page.click("text=planted")
        page.evaluate("""() => { const s = document.createElement('script');
                                 s.textContent = 'window.__inline = 1'; document.body.append(s); }""")
        page.wait_for_function("() => window.__violations.length >= 2")
        assert all(v.startswith("script-src") for v in page.evaluate("() => window.__violations"))
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => [window.__ran, window.__inline]") == [None, None]
        assert gent_versions(target) == signed_in


def test_the_attack_script_itself_works_so_only_the_page_stops_it(site):
    """The positive control: run as the page's own script would (Playwright's evaluate is not bound
    by the page's policy), the same script does publish in Gent's name."""
    target, url, planted = site
    with chromium() as browser:
        page = browser.new_context().new_page()
        sign_in_as_gent(page, url, target.gent)
        before = gent_versions(target)
        page.goto(url + planted.lstrip("/") + ".html")
        page.evaluate(ATTACK)
        page.wait_for_function("() => window.__status !== undefined")
        assert page.evaluate("() => window.__status") in (200, 303)
        assert gent_versions(target) == before + 1
