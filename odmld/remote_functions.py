"""The functions a query sent to a SPARQL server may call: SPARQL's own, and the XSD casts.

Engines add functions of their own, named by IRI, and some reach far beyond the data: Virtuoso runs
its SQL built-ins from SPARQL (`bif:http_get` fetches any URL for whoever sends the query, also through
odmld's public /sparql; `bif:` and `sql:` need no PREFIX there). A query a remote store sends may
therefore call a function by IRI only if the IRI is an XSD datatype (a cast, as SPARQL defines):
SPARQL's built-ins are keywords (`STR(`, `REGEX(`), never IRIs, so everything else called by IRI is
an extension, and refused before it reaches the server. The check reads the text past strings and
comments, resolves prefixed names against every PREFIX the query declares (a prefix declared twice is
judged by each declaration) and refuses a relative IRI in call position (a BASE could make it any).
An RDF collection written straight after an IRI, `ex:p (1 2)`, reads as a call and is refused too.

This keeps odmld from being the way in; the server must still be unable to reach anything it should
not (docs/deploying.md, "A remote store"), which is the guarantee by construction.
"""

from __future__ import annotations

import re

XSD = "http://www.w3.org/2001/XMLSchema#"

_IRI = r"<[^<>\"{}|^`\\\s]*>"
_STRINGS_IRIS_COMMENTS = re.compile(  # an IRI is kept (a '#' in it starts no comment), the rest blanked
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|(" + _IRI + ")"
    r"|#[^\n]*", re.DOTALL)
_PREFIX = re.compile(r"(?<![\w:?$])PREFIX\s+([^\W\d_][\w.-]*)?\s*:\s*(" + _IRI + ")", re.IGNORECASE)
_CALL = re.compile(r"(" + _IRI + r"|(?<![\w:?$<])(?:[^\W\d_][\w.-]*)?:[\w.%-]*)\s*\(")


class ExtensionRefused(ValueError):
    """The query calls a function that is not SPARQL's own."""


def check_functions(text: str) -> None:
    """Raise ExtensionRefused if `text` calls a function by IRI other than an XSD cast."""
    plain = _STRINGS_IRIS_COMMENTS.sub(
        lambda match: match.group() if match.group(1) else " " * len(match.group()), text)
    declared: dict[str, list[str]] = {}
    for prefix, iri in _PREFIX.findall(plain):
        declared.setdefault(prefix or "", []).append(iri[1:-1])
    for call in _CALL.finditer(plain):
        name = call.group(1)
        if name.startswith("<"):
            meanings = [name[1:-1]]
        else:
            prefix, _, local = name.partition(":")
            meanings = [iri + local for iri in declared.get(prefix, [])] or \
                ([XSD + local] if prefix == "xsd" else [name])
        for meaning in meanings:
            if not meaning.startswith(XSD) or not re.fullmatch(r"[A-Za-z]+", meaning[len(XSD):]):
                raise ExtensionRefused(f"the function {name} is not SPARQL's own: a query on this store "
                                       "may call SPARQL's functions and the XSD casts only")
