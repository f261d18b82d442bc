"""The functions a query sent to a SPARQL server may call: SPARQL's own, and the XSD casts.

Engines add functions of their own, named by IRI, and some reach far beyond the data: Virtuoso runs
its SQL built-ins from SPARQL (`bif:http_get` fetches any URL for whoever sends the query, also through
odmld's public /sparql; `bif:` and `sql:` need no PREFIX there). A query a remote store sends may
therefore call a function by IRI only if the IRI is an XSD datatype (a cast, as SPARQL defines):
SPARQL's built-ins are keywords (`STR(`, `REGEX(`), never IRIs, so everything else called by IRI is
an extension, and refused before it reaches the server.

Like the public endpoint's screen (screen.py), the check does not trust one reading of the text:
it reads it as written and with its code point escapes applied (a parser applies `\\u003A` before it
reads), and looks for a name followed by `(` everywhere but in comments that fill their line: inside
strings, IRIs and trailing comments too (a parser may read `<` as less-than, and what looked like an
IRI, or the start of a comment within one, is then code). A prefixed name is
resolved against every PREFIX the text declares (a prefix declared twice is judged by each); a
relative IRI in call position is refused (a BASE could make it any). What this refuses beyond calls
(`ex:p (1 2)`, a collection after a property; a variable glued to a name, `?x:y`; such text in a
string or an IRI) is refused on the safe side.

This keeps odmld from being the way in; the server must still be unable to reach anything it should
not (docs/deploying.md, "A remote store"), which is the guarantee by construction.
"""

from __future__ import annotations

import re
from ..vocab import XSD

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_GAP = r"(?:\s|#[^\r\n]*(?:\r|\n|$))*"  # white space and comments
_PNAME = r"(?<![\w.\-:?$])(?:[^\W\d_][\w.\-]*)?:(?:[\w.:%\-]|\\.)*"  # where a prefixed name can start
_PREFIX = re.compile(r"PREFIX" + _GAP + r"([^\W\d_][\w.\-]*)?" + _GAP + ":" + _GAP + r"<([^>]*)>",
                     re.IGNORECASE)
_CALL = re.compile(r"(<[^<>]*>|" + _PNAME + ")" + _GAP + r"\(")
_VARIABLE_THEN_NAME = re.compile(r"[?$]\w+:")
_WHOLE_LINE_COMMENT = re.compile(r"^[ \t]*#[^\r\n]*", re.MULTILINE)  # a comment in every reading


class ExtensionRefused(ValueError):
    """The query calls a function that is not SPARQL's own."""


def check_functions(text: str) -> None:
    """Raise ExtensionRefused if some reading of `text` calls a function by IRI other than an XSD cast."""
    for reading in readings(text):
        reading = _WHOLE_LINE_COMMENT.sub("", reading)
        if _VARIABLE_THEN_NAME.search(reading):  # `?x:f(` is ?x and then :f( to a parser
            raise ExtensionRefused("write a space between a variable and what follows it")
        declared: dict[str, list[str]] = {}
        for prefix, iri in _PREFIX.findall(reading):
            declared.setdefault(prefix or "", []).append(iri)
        for call in _CALL.finditer(reading):
            name = call.group(1)
            if name.startswith("<"):
                meanings = [name[1:-1]]
            else:
                prefix, _, local = name.partition(":")
                meanings = [iri + local for iri in declared.get(prefix, [])] or \
                    ([XSD + local] if prefix == "xsd" else [name])
            if not all(is_cast(meaning) for meaning in meanings):
                raise ExtensionRefused(f"the function {name} is not SPARQL's own: a query on this store "
                                       "may call SPARQL's functions and the XSD casts only")


def is_cast(iri: str) -> bool:
    return iri.startswith(XSD) and re.fullmatch(r"[A-Za-z]+", iri[len(XSD):]) is not None


def readings(text: str) -> list[str]:
    """The text as written, then with its code point escapes applied, again until none are left."""
    found = [text]
    while ("\\u" in found[-1] or "\\U" in found[-1]) and len(found) <= 8:
        applied = _CODEPOINT.sub(_codepoint, found[-1])
        if applied == found[-1]:
            break
        found.append(applied)
    return found


def _codepoint(match: re.Match) -> str:
    value = int(match.group(1) or match.group(2), 16)
    return chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else match.group()
