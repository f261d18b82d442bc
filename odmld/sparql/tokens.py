"""The terminals of the SPARQL 1.1 grammar (https://www.w3.org/TR/sparql11-query/#grammar, 19.8) as a
tokenizer, and every way a text can be split into them.

`tokens(text)` is the reading of the grammar: longest match, an IRIREF where `<...>` is one. A screen
must not trust one reading, though: a text can be read two ways, and the store's parser (or another
SPARQL server's) may take the other. `code_words(text)` is therefore every word that ANY plausible
reading sees as code (not inside a string, an IRI, a comment or a name). The places where readings
part, each tried both ways:

- `<` after an operand inside brackets, where `<` may be the less-than operator (`(1<2)#>` is an IRI
  to the grammar, and a comparison and a comment to a parser that reads an expression there);
- `<` up to the first `>` with no white space in between, whatever it holds: Oxigraph reads that far
  and then checks the IRI, so a stricter tokenizer must not hide what follows;
- a prefixed name or blank node label with a `.` inside: Oxigraph 0.5's local name stops at its second
  `.` (`ex:a.b.c` is `ex:a.b` then `.c`);
- a language tag with a `-`, and `'''` / `\"\"\"` (a long string, or an empty short one and a quote).

Every state (position, bracket depth, whether an operand came before) is explored once, so the work is
linear in practice; past a budget the text counts as too intricate to screen and is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_PN_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_VARNAME = f"[{_U}0-9][{_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*"
_ECHAR = r"\\[tbnrf\\\"']|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"  # with UCHAR, as Oxigraph reads strings
_EXPONENT = r"[eE][+-]?[0-9]+"

_TOKEN = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in (
    ("ws", r"[ \t\r\n]+"),
    ("comment", r"#[^\r\n]*"),                      # a comment ends at CR or LF
    ("iri", r"<[^<>\"{}|^`\\\x00-\x20]*>"),
    ("long1", f"'''(?:(?:'|'')?(?:[^'\\\\]|{_ECHAR}))*'''"),
    ("long2", f'"""(?:(?:"|"")?(?:[^"\\\\]|{_ECHAR}))*"""'),
    ("string1", f"'(?:[^'\\\\\\n\\r]|{_ECHAR})*'"),
    ("string2", f'"(?:[^"\\\\\\n\\r]|{_ECHAR})*"'),
    ("var", f"[?$]{_VARNAME}"),
    ("bnode", f"_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?"),
    ("pname", f"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?"),
    ("langtag", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    ("number", f"[0-9]+\\.[0-9]*{_EXPONENT}|\\.[0-9]+(?:{_EXPONENT})?|[0-9]+{_EXPONENT}"
               f"|[0-9]*\\.[0-9]+|[0-9]+"),
    ("word", f"[{_BASE}][{_U}0-9]*"),
    ("punct", r"\^\^|&&|\|\||!=|<=|>=|<<|>>|[\s\S]"),  # any other character stands for itself
)))
_OXIGRAPH_IRI = re.compile(r"<[^> \t\r\n]*>")  # Oxigraph's IRIREF: anything up to `>`, checked after
_OPERANDS = frozenset(("var", "iri", "pname", "string1", "string2", "long1", "long2", "number", "langtag"))
_DEPTH_CAP = 64


@dataclass(frozen=True)
class Token:
    kind: str
    start: int
    end: int
    text: str


def tokens(text: str) -> Iterator[Token]:
    """The grammar's reading of `text`, white space and comments left out."""
    for match in _TOKEN.finditer(text):
        if match.lastgroup not in ("ws", "comment"):
            yield Token(match.lastgroup, match.start(), match.end(), match.group())


class TooIntricate(Exception):
    """The text has so many places where readings part that screening it would cost too much."""


def code_words(text: str, budget: int | None = None) -> set[str]:
    """Every word, upper-cased, that some reading of `text` sees as code: keywords and function names
    (`word` tokens) and the prefixes of prefixed names (`SERVICE:x` may be read as SERVICE then `:x`)."""
    budget = budget if budget is not None else 50 * len(text) + 10_000
    found: set[str] = set()
    seen: set[tuple[int, int, bool]] = set()
    todo = [(0, 0, False)]
    while todo:
        start = todo.pop()
        if start in seen:
            continue
        seen.add(start)
        position, depth, operand = start
        while position < len(text):
            budget -= 1
            if budget < 0:
                raise TooIntricate()
            match = _TOKEN.match(text, position)
            kind, end = match.lastgroup, match.end()
            for fork in _forks(text, match, depth, operand):
                todo.append(fork)
            if kind == "word":
                found.add(match.group().upper())
            elif kind == "pname":
                found.add(match.group().split(":", 1)[0].upper())
            if kind not in ("ws", "comment"):
                if match.group() == "(":
                    depth = min(depth + 1, _DEPTH_CAP)
                elif match.group() == ")":
                    depth = max(depth - 1, 0)
                operand = kind in _OPERANDS or match.group() in (")", "]") or (
                    kind == "word" and match.group().upper() in ("TRUE", "FALSE"))
            position = end
    return found


def _forks(text: str, match: re.Match, depth: int, operand: bool) -> Iterator[tuple[int, int, bool]]:
    """The other readings that start where `match` does: states (position, depth, operand) to explore."""
    kind, start, end = match.lastgroup, match.start(), match.end()
    if text.startswith("<", start):
        if kind == "iri" and operand and depth > 0:
            yield start + 1, depth, False          # `<` the operator, not an IRI
        lenient = _OXIGRAPH_IRI.match(text, start)
        if lenient is not None and lenient.end() != end:
            yield lenient.end(), depth, True       # an IRI as Oxigraph reads one, however odd
    elif kind in ("pname", "bnode"):
        local_from = match.group().index(":") + 1
        for dot in re.finditer(r"\.+", match.group()[local_from:]):
            yield start + local_from + dot.start(), depth, True
    elif kind == "langtag":
        for dash in re.finditer("-", match.group()):
            yield start + dash.start(), depth, True
    elif kind in ("long1", "long2"):
        yield start + 2, depth, True               # an empty short string, then a quote
