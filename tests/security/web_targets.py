"""What the web-facing security tests attack: a writable app on a real on-disk store holding the model,
write tokens for two cities, and helpers to submit and to read pages as an attacker would.

Only the embedded store: these tests are about what a browser, a body or a submitted value can do to
the web app, which does not depend on where the store lives (the store tests run on both).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
from flask import Flask

from odmld import tokens
from odmld.config import load_config
from odmld.resources import folder
from odmld.store import Store
from odmld.web import create_app

from backends import BASE_URI, model_loaded

EXAMPLES = folder("data") / "examples"
LEUVEN, GENT = "24062", "44021"


@dataclass
class Target:
    app: Flask
    store: Store
    leuven: str   # a write token for Leuven (24062)
    gent: str     # and one for Gent (44021)

    @property
    def tokens_file(self) -> Path:
        return Path(self.app.config["ODMLD"].tokens)

    def close(self) -> None:
        self.app.extensions["odmld.pool"].close()


def writable_target(folder_path: Path, **settings) -> Target:
    """A writable app (as `odmld serve` makes it) on a new store in `folder_path`."""
    location = str(folder_path / "store")
    store = model_loaded(location)
    config = load_config({"store": location, "base_uri": BASE_URI, **settings}, environ={})
    app = create_app(config, store=store)
    token_file = Path(config.tokens)
    return Target(app, store, tokens.create(token_file, LEUVEN)[1], tokens.create(token_file, GENT)[1])


def post_assessment(target: Target, body: bytes, media: str, *, token: str | None = None, query: str = "",
                    lang: str = "en", headers: dict[str, str] | None = None):
    sent = {"Content-Type": media, "Accept": "application/json", "Accept-Language": lang,
            "Authorization": f"Bearer {token or target.leuven}", **(headers or {})}
    return target.app.test_client().post("/api/assessments" + query, data=body, headers=sent)


def quads(store: Store) -> bytes:
    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.N_QUADS)
    return out.getvalue()


def turtle_assessment(date: str = "2016-06-06", *, licence: str | None = None, datasets: str = "",
                      evidence: str = '"Schepen steunt"@nl') -> bytes:
    """A small Turtle submission for Leuven; `datasets` is the object list of odm:listedDataset."""
    text = f"""
@prefix odm: <ns/odm#> . @prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
[] a odm:Assessment ; odm:assessedOrganisation <id/organisatie/{LEUVEN}> ;
   dcterms:date "{date}"^^xsd:date ; odm:method <id/methode/zelfevaluatie> ;
   {f"dcterms:license <{licence}> ;" if licence else ""}
   {f"odm:listedDataset {datasets} ;" if datasets else ""}
   odm:domainAssessment [ a odm:DomainAssessment ; odm:domain <id/maturiteitsdomein/1> ;
       odm:maturityLevel <id/maturiteitsniveau/opgestart> ; odm:needLevel <id/noodniveau/geen-nood> ;
       odm:evidence {evidence} ] .
"""
    return text.encode("utf-8")


def jsonld_assessment(date: str = "2016-06-06", *, licence: str | None = None,
                      datasets: list[dict] | None = None, evidence: dict | str = "Schepen steunt") -> bytes:
    document = {
        "@context": {"@vocab": "ns/odm#", "dcterms": "http://purl.org/dc/terms/",
                     "dcat": "http://www.w3.org/ns/dcat#", "xsd": "http://www.w3.org/2001/XMLSchema#"},
        "@type": "Assessment",
        "assessedOrganisation": {"@id": f"id/organisatie/{LEUVEN}"},
        "dcterms:date": {"@value": date, "@type": "xsd:date"},
        "method": {"@id": "id/methode/zelfevaluatie"},
        "domainAssessment": [{"@type": "DomainAssessment", "domain": {"@id": "id/maturiteitsdomein/1"},
                              "maturityLevel": {"@id": "id/maturiteitsniveau/opgestart"},
                              "needLevel": {"@id": "id/noodniveau/geen-nood"}, "evidence": evidence}],
    }
    if licence:
        document["dcterms:license"] = {"@id": licence}
    if datasets:
        document["listedDataset"] = datasets
    return json.dumps(document).encode("utf-8")


class Links(HTMLParser):
    """Every URL an HTML page hands the browser (href, src, action, formaction, ...), and the
    elements and attributes that would run script or style inline."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.inline.append("<script> without src")
        if tag == "style":
            self.inline.append("<style>")
        for name, value in attrs:
            if name in self.URL_ATTRIBUTES and value is not None:
                self.urls.append(value)
            if name == "style" or name.startswith("on"):
                self.inline.append(f"{tag} {name}={value!r}")

    handle_startendtag = handle_starttag


def page_links(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def is_harmless_url(url: str) -> bool:
    """A URL a browser can follow without running anything: a path on this site, or http(s)/mailto."""
    stripped = url.strip().lower()
    if stripped.startswith(("http://", "https://", "mailto:", "/", "?", "#")):
        return True
    scheme, colon, _ = stripped.partition(":")
    return not colon or "/" in scheme or "?" in scheme or "#" in scheme  # a relative reference
