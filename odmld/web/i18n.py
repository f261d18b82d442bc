"""Dutch and English for the HTML pages: the language choice and the interface's own words."""

from __future__ import annotations

from typing import Callable
from urllib.parse import quote, urlencode

from flask import request
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from .messages import MESSAGES

LANGUAGES = ("nl", "en")


def current_language() -> str:
    """?lang= wins, then the cookie a previous switch set, then Accept-Language; Dutch by default."""
    chosen = request.args.get("lang") or request.cookies.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "nl"


def translator(lang: str) -> Callable[..., str]:
    """`t(key, **values)`: the interface's words for `key` in `lang` (the key itself if there are none),
    with `{name}` filled in from `values`."""
    def t(key: str, **values: object) -> str:
        text = MESSAGES[lang].get(key, key)
        return text.format(**values) if values else text
    return t


def message(key: str, **values: object) -> str:
    """The interface's words for `key` in the language of this request: what an error tells a
    person, so that a Dutch page's error is in Dutch."""
    return translator(current_language())(key, **values)


def said(term: object, lang: str) -> Markup:
    """A literal as a page shows it: its text, marked with its own language (`lang="nl"`) where that is
    not the page's, so a screen reader reads a Dutch name kept on an English page as Dutch."""
    if term is None:
        return Markup("")
    text = getattr(term, "value", term)
    own = getattr(term, "language", None)
    if own and own != lang:
        return Markup('<span lang="{}">{}</span>').format(own, text)
    return escape(text)


def lang_attribute(term: object, lang: str) -> Markup:
    """For a literal drawn inside an SVG chart, where said()'s <span> cannot go (an SVG <text> holds
    no HTML): the attributes that mark the element holding it with the literal's own language where
    that is not the page's. Both: `lang` is what HTML and SVG 2 read, `xml:lang` what SVG 1.1 readers
    read (the HTML parser puts it in the XML namespace; axe checks both)."""
    own = getattr(term, "language", None)
    if own and own != lang:
        return Markup(' lang="{0}" xml:lang="{0}"').format(own)
    return Markup("")


def switch_href(path: str, args: MultiDict[str, str], lang: str) -> str:
    """The page itself in the other language: the same path, the same query (the comparison keeps its
    selection), with `lang` set to the other language."""
    other = "en" if lang == "nl" else "nl"
    kept = [(name, value) for name, value in args.items(multi=True) if name != "lang"]
    # the path as it was asked (request.path is decoded: a '?' or '#' in it would end the path)
    return quote(path, safe="/:@!$&'()*+,;=-._~") + "?" + urlencode(kept + [("lang", other)])



# The SPARQL page, the library's forms and an answer's table (kept apart from the pages' words above).
SPARQL_WORDS = {
    "nl": {"answer": "Antwoord", "rows": "rijen", "download": "Downloaden als", "editor": "Editor",
           "open_in_editor": "Openen in de editor",
           "sparql_intro": "Stel vragen aan de gegevens in SPARQL. De bibliotheek hieronder bevat de "
                           "onderzoeksvragen, elk met een formulier voor de parameters; zonder JavaScript "
                           "krijgt u het antwoord als tabel, met links naar CSV, JSON en RDF.",
           "no_script": "Zonder JavaScript: schrijf de vraag hieronder; het antwoord komt als tabel.",
           "param_organisation": "Organisatie (NIS-code of vgc)", "param_domain": "Maturiteitsdomein",
           "param_principle": "Charterprincipe", "param_date": "Datum", "param_lang": "Taal",
           "param_assessment": "Inschatting (organisatie/datum/versie)", "param_kind": "Soort bevinding"},
    "en": {"answer": "Answer", "rows": "rows", "download": "Download as", "editor": "Editor",
           "open_in_editor": "Open in the editor",
           "sparql_intro": "Ask the data in SPARQL. The library below holds the research questions, each "
                           "with a form for its parameters; without JavaScript the answer comes as a table, "
                           "with links to CSV, JSON and RDF.",
           "no_script": "Without JavaScript: write the query below; the answer comes as a table.",
           "param_organisation": "Organisation (NIS code or vgc)", "param_domain": "Maturity domain",
           "param_principle": "Charter principle", "param_date": "Date", "param_lang": "Language",
           "param_assessment": "Assessment (organisation/date/version)", "param_kind": "Kind of finding"},
}
for _lang, _words in SPARQL_WORDS.items():
    MESSAGES[_lang].update(_words)
MESSAGES["nl"].update({"parameter": "Parameter", "description": "Beschrijving", "body": "Inhoud"})
MESSAGES["en"].update({"parameter": "Parameter", "description": "Description", "body": "Body"})
