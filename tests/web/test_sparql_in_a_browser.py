"""The SPARQL page in Debian's Chromium: YASGUI runs under the strict Content-Security-Policy, asks
this site only, and a library example opened in the editor answers; without JavaScript the forms
answer HTML tables. Skips, saying why, where Playwright or Chromium is missing."""

import pytest

from security.chromium_browser import chromium

from backends import live_server

pytestmark = pytest.mark.slow

# YASGUI's column resizer writes a <style> element, which style-src 'self' blocks; its rules are in
# odmld/web/static/sparql-page.css instead. Any other refusal is a failure.
KNOWN = ("Applying inline style violates",)


@pytest.fixture(scope="module")
def base(app):
    with live_server(app) as address:
        yield address


def test_yasgui_runs_a_library_example_under_the_csp_talking_to_this_site_only(base):
    with chromium() as browser:
        page = browser.new_page()
        problems, asked = [], []
        page.on("console", lambda m: m.type == "error" and "favicon" not in m.text and problems.append(m.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("request", lambda r: asked.append(r.url))
        page.goto(base + "sparql")
        page.wait_for_selector(".yasgui .CodeMirror", timeout=30000)
        assert page.locator("#plain-query").is_hidden()
        page.locator("#q-domain-actions summary").click()
        page.select_option("#domain-actions-domain", "4")
        page.locator("#q-domain-actions button.edit").click()
        page.wait_for_selector(".yasr table tbody tr", timeout=30000)
        assert page.locator(".yasr table tbody tr").count() > 1
        assert "maturiteitsdomein/4" in page.locator(".yasgui .CodeMirror").inner_text()
        assert [url for url in asked if not url.startswith(base)] == []
        assert [p for p in problems if not p.startswith(KNOWN) and "404" not in p] == []


def test_without_javascript_a_form_answers_a_table(base):
    with chromium() as browser:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(base + "sparql")
        page.locator("#q-domain-ranking summary").click()
        page.select_option("#domain-ranking-domain", "2")
        page.locator("#q-domain-ranking button[type=submit]").click()
        page.wait_for_selector("table.answer")
        assert "/sparql/library/domain-ranking?domain=2" in page.url
        assert page.locator("a[download]").count() == 4
        context.close()
