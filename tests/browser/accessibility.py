"""axe-core (npm `axe-core`, vendored in assets/ by assets/fetch-axe.sh) run in the page for WCAG 2.1 A
and AA: what a public-sector site in the EU must meet (EN 301 549)."""

from __future__ import annotations

import hashlib
from pathlib import Path

AXE = Path(__file__).parent / "assets" / "axe.min.js"
AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_source() -> str:
    """The vendored axe.min.js, checked to be the pinned release."""
    data = AXE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == AXE_SHA256, (
        f"{AXE} is not axe-core {AXE_VERSION}: run tests/browser/assets/fetch-axe.sh")
    return data.decode("utf-8")


def violations(page) -> list[str]:
    """axe's WCAG 2.1 A/AA violations on the page as it is now, one line each (rule, impact, where).

    The page's Content-Security-Policy refuses inline script, so the context that runs axe must be made
    with `bypass_csp=True`; nothing else about the page changes."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    found = page.evaluate("""tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                     resultTypes: ['violations']})
                              .then(r => r.violations.map(v => [v.id, v.impact,
                                  v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')]))""",
                          WCAG_21_AA)
    return [f"{rule} ({impact}): {where}" for rule, impact, where in found]
