"""Looking at SPARQL text before anything runs it: is it an update, does it call SERVICE?

pyoxigraph executes SERVICE clauses over HTTP (no switch, no timeout), so a public endpoint must refuse
them before the query reaches the store. Comments, strings and IRIs are blanked out first, so a
`SERVICE` inside a literal, an IRI or a comment is not mistaken for the keyword; a false alarm only
ever refuses a query, it never lets one through.
"""

from __future__ import annotations

import re

_NOISE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'      # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'                # short strings
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"                # IRIs
    r"|#[^\n]*",                           # comments
    re.DOTALL)
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:])", re.IGNORECASE)
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*|BASE\s*)\s*)*", re.IGNORECASE)
_UPDATE = re.compile(r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)


def strip_noise(text: str) -> str:
    """The query with strings, IRIs and comments replaced by spaces."""
    return _NOISE.sub(" ", text)


def calls_service(text: str) -> bool:
    return bool(_SERVICE.search(strip_noise(text)))


def is_update(text: str) -> bool:
    """True when the request, after its prologue, starts with an update operation."""
    body = strip_noise(text)
    return bool(_UPDATE.match(body, _PROLOGUE.match(body).end()))
